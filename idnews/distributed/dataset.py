"""``process_dataset``: a ``ray.data.Dataset`` of texts mapped to idnews output records by a pool of replicas."""
from __future__ import annotations

from typing import Any

from idnews.batch.outputs import render_jsonl_line
from idnews.batch.pipeline import Options, finish_record, plan_record, translate_sentences
from idnews.batch.records import Record
from idnews.distributed.spec import ClusterSettings, ModelSpec, require_ray
from idnews.errors import IdnewsError

RECORD_COLUMN = "record"
ERROR_COLUMN = "error"


class RecordReplica:
    """A Ray actor: loads the models once; each batch of rows is planned, translated together and finished."""

    def __init__(self, spec: ModelSpec, options: Options, cpus: float, gpus: float, text_column: str,
                 id_column: str) -> None:
        self.models = spec.load(cpus=cpus, gpus=gpus)
        self.models.check(options)
        self.options = options
        self.signature = self.models.signature(options)
        self.text_column = text_column
        self.id_column = id_column

    def __call__(self, batch: Any) -> dict[str, Any]:
        rows = batch.to_pylist()  # a pyarrow.Table (batch_format="pyarrow"): missing values stay None
        ids = [row[self.id_column] for row in rows]
        plans = [plan_record(Record.from_row(row, name=str(row[self.id_column]), column=self.text_column),
                             self.models, self.options) for row in rows]
        sentences = [s for plan in plans if plan.problem is None for s in plan.sentences]
        try:
            segments = translate_sentences(self.models, sentences)
        except IdnewsError as exc:
            for plan in plans:
                plan.problem = plan.problem or f"translation failed: {exc}"
            segments = []
        records, position = [], 0
        for plan in plans:
            count = len(plan.sentences) if plan.problem is None else 0
            records.append(finish_record(plan, segments[position : position + count], self.signature, self.options))
            position += count
        return {
            self.id_column: ids,
            RECORD_COLUMN: [render_jsonl_line(record).rstrip("\n") for record in records],
            ERROR_COLUMN: [record.get("error") for record in records],
        }


def process_dataset(
    ds: Any,
    spec: ModelSpec,
    options: Options = Options(),
    *,
    text_column: str = "text",
    id_column: str = "id",
    rows_per_task: int = 64,
    cluster: ClusterSettings = ClusterSettings(),
) -> Any:
    """Map ``ds`` (a ``ray.data.Dataset`` with ``id_column`` and ``text_column``) to a lazy dataset with the
    columns ``id_column``, ``record`` (the output record as one JSON line, as ``idnews process`` writes for
    JSON-lines inputs: the row's other columns are its ``fields``) and ``error`` (``None``, or why the row failed). Nothing runs until the caller consumes
    or writes the result. The models are loaded here first, so that a model is converted to CTranslate2 once and
    bad settings fail now; each replica then loads its own from ``spec``."""
    ray = require_ray()
    spec.load().check(options)
    missing = [name for name in (text_column, id_column) if name not in ds.columns()]
    if missing:
        raise IdnewsError(f"the data set has no column {missing[0]!r}; its columns: {', '.join(ds.columns())}")
    return ds.map_batches(
        RecordReplica,
        fn_constructor_args=(spec, options, cluster.cpus_per_replica, cluster.gpus_per_replica, text_column, id_column),
        batch_size=rows_per_task, batch_format="pyarrow", **cluster.map_arguments(ray, cluster.replicas),
    )

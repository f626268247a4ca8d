"""``idnews eval``: score summaries (ROUGE) and translations (sacreBLEU), evaluate methods, run suites."""
from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from idnews.cli.options import backend_option, bullets_option, calibrate_option, out_option
from idnews.errors import IdnewsError
from idnews.evaluation.bootstrap import DEFAULT_SAMPLES, DEFAULT_SEED

if TYPE_CHECKING:
    from idnews.evaluation.metrics import Metric
    from idnews.evaluation.results import EvalResult

PATH = click.Path(path_type=Path)
EXISTING = click.Path(exists=True, dir_okay=False, path_type=Path)


def _common(function):  # type: ignore[no-untyped-def]
    function = click.option("--seed", type=int, default=DEFAULT_SEED, show_default=True, help="Bootstrap seed.")(function)
    function = click.option(
        "--bootstrap", "n_bootstrap", type=click.IntRange(min=0), default=DEFAULT_SAMPLES, show_default=True,
        help="Bootstrap resamples for the 95% intervals (0: none).",
    )(function)
    function = click.option("--json", "json_out", type=PATH, help="Also write the result as JSON here.")(function)
    return function


@click.group("eval")
def eval_group() -> None:
    """Score summaries and translations; evaluate methods on data sets; run eval suites."""


@eval_group.command("rouge")
@click.option("--hyp", required=True, type=EXISTING, help="JSONL: one summary (string or list of sentences) per line.")
@click.option("--ref", required=True, type=EXISTING, help='JSONL: one reference per line, or {"refs": [...]}.')
@click.option("--compare", "compare_hyp", type=EXISTING, help="A second system's JSONL: paired bootstrap test against --hyp.")
@click.option("--stem/--no-stem", default=False, show_default=True, help="Indonesian stemming (Sastrawi).")
@_common
def rouge_cmd(hyp: Path, ref: Path, compare_hyp: Path | None, stem: bool, json_out: Path | None, n_bootstrap: int, seed: int) -> None:
    """ROUGE-1/2/L/Lsum F1 of --hyp against --ref (line i against line i), with 95% intervals."""
    from idnews.evaluation.io import read_summaries, read_summary_references
    from idnews.evaluation.rouge import Rouge

    metric = Rouge(n_bootstrap=n_bootstrap, seed=seed, stem=stem)
    references = read_summary_references(ref)
    _score_files("rouge", hyp, ref, read_summaries, references, [metric], compare_hyp, json_out)


@eval_group.command("bleu")
@click.option("--hyp", required=True, type=EXISTING, help="Plain text: one translated segment per line.")
@click.option("--ref", required=True, type=EXISTING, multiple=True, help="Plain text reference(s); repeat for several.")
@click.option("--compare", "compare_hyp", type=EXISTING, help="A second system's output: paired bootstrap test against --hyp.")
@_common
def bleu_cmd(hyp: Path, ref: Sequence[Path], compare_hyp: Path | None, json_out: Path | None, n_bootstrap: int, seed: int) -> None:
    """BLEU, chrF, chrF++ and TER of --hyp against --ref (sacreBLEU's metrics and defaults), with 95% intervals."""
    from idnews.errors import InputError
    from idnews.evaluation.io import read_segments
    from idnews.evaluation.metrics import get_metric

    streams = [read_segments(path) for path in ref]
    for path, stream in zip(ref, streams):
        if len(stream) != len(streams[0]):
            raise InputError(path, f"{len(stream)} lines but {ref[0]} has {len(streams[0])}")
    references = [list(item) for item in zip(*streams)]
    metrics = [get_metric(name, n_bootstrap=n_bootstrap, seed=seed) for name in ("bleu", "chrf", "chrf++", "ter")]
    _score_files("bleu", hyp, ref, read_segments, references, metrics, compare_hyp, json_out)


def _data_options(task: str):  # type: ignore[no-untyped-def]
    """--data and its field mapping, shared by ``eval summaries`` and ``eval translation``."""
    input_names = ("--text-field", "--source-field") if task == "summaries" else ("--source-field", "--text-field")
    what = "article text" if task == "summaries" else "source segment"

    def decorate(function):  # type: ignore[no-untyped-def]
        function = click.option("--split", help="Split of a datasets dataset (saved folder or hf: id).")(function)
        function = click.option(
            "--reference-field", help="Field holding the reference(s) in a JSONL/CSV/TSV file or a datasets dataset."
        )(function)
        function = click.option(*input_names, "input_field", help=f"Field holding the {what} in a table or dataset.")(function)
        if task == "translation":
            function = click.option(
                "--ref", "ref", type=EXISTING, help="Reference file, line-aligned with a plain-text --data source file."
            )(function)
        help_text = (
            "A built-in data set, a JSONL/CSV/TSV file, a datasets folder (save_to_disk), "
            "hf:OWNER/NAME[:CONFIG][@SPLIT] from the local cache"
        )
        help_text += ", or a folder of news pages." if task == "summaries" else ", or a source file with --ref (or pair:SRC,REF)."
        return click.option("--data", required=True, help=help_text)(function)

    return decorate


def _load_data(data: str, task: str, limit: int | None, **options: Any) -> Any:
    from idnews.evaluation.datasets import load_eval_dataset
    from idnews.evaluation.dataspec import DataSpec

    ref = options.pop("ref", None)
    spec = DataSpec.parse(data, ref=None if ref is None else str(ref), **options)
    dataset = load_eval_dataset(spec, task=task, limit=limit)  # type: ignore[arg-type]
    click.echo(f"data: {dataset.spec} ({len(dataset.items)} items, hash {dataset.content_hash})")
    return dataset


@eval_group.command("summaries")
@_data_options("summaries")
@click.option("--method", "methods", required=True, multiple=True, help="Summariser (lead, textrank, learned, oracle); repeat to compare with the first.")
@bullets_option(auto=True)
@click.option("--limit", type=click.IntRange(min=1), help="Score only the first N items.")
@click.option("--stem/--no-stem", default=False, show_default=True, help="Indonesian stemming (Sastrawi) in ROUGE.")
@_common
def summaries_cmd(
    data: str, input_field: str | None, reference_field: str | None, split: str | None, methods: Sequence[str],
    bullets: int | None, limit: int | None, stem: bool, json_out: Path | None, n_bootstrap: int, seed: int,
) -> None:
    """Summarise every item of a data set and score the bullets with ROUGE against its references."""
    from idnews.evaluation.tasks import evaluate_summaries, summary_metrics

    dataset = _load_data(data, "summaries", limit, split=split, input_field=input_field, reference_field=reference_field)
    metrics = summary_metrics(n_bootstrap=n_bootstrap, seed=seed, stem=stem)
    results = [evaluate_summaries(dataset, method, n=bullets, metrics=metrics) for method in methods]
    for result in results:
        result.describe_data(dataset)
    _report_systems(results, metrics, json_out)


@eval_group.command("translation")
@_data_options("translation")
@click.option("--model", "models", required=True, multiple=True, help="Registry name or model folder; repeat to compare with the first.")
@click.option("--limit", type=click.IntRange(min=1), help="Score only the first N segments.")
@backend_option
@click.option("--beam-size", type=click.IntRange(min=1), default=4, show_default=True)
@click.option("--compute-type", help="e.g. int8, float32 (backend default when omitted).")
@calibrate_option
@_common
def translation_cmd(
    data: str, ref: Path | None, input_field: str | None, reference_field: str | None, split: str | None,
    models: Sequence[str], limit: int | None, backend: str, beam_size: int, compute_type: str | None,
    calibrate: str | None, json_out: Path | None, n_bootstrap: int, seed: int,
) -> None:
    """Translate the source side of a test set and score it with BLEU, chrF, chrF++ and TER."""
    from idnews.evaluation.tasks import evaluate_translation, translation_metrics

    dataset = _load_data(
        data, "translation", limit, ref=ref, split=split, input_field=input_field, reference_field=reference_field
    )
    metrics = translation_metrics(n_bootstrap=n_bootstrap, seed=seed)
    options: dict[str, Any] = {"backend": backend, "beam_size": beam_size, "compute_type": compute_type}
    if calibrate is not None:
        options["calibrate"] = calibrate
    results = [evaluate_translation(dataset, model, metrics=metrics, translator_options=options) for model in models]
    for result in results:
        result.describe_data(dataset)
    _report_systems(results, metrics, json_out)


@eval_group.command("run")
@click.argument("suite_file", type=PATH)
@out_option("Folder for results.json, report.md, report.html and outputs/.")
@click.option("--limit", type=click.IntRange(min=1), help="Only the first N items of every data set (quick runs).")
def run_cmd(suite_file: Path, out_dir: Path, limit: int | None) -> None:
    """Run an eval suite (e.g. eval/default.yaml) and write its results and reports into --out."""
    from idnews.evaluation.report import groups, write_reports
    from idnews.evaluation.suite import check_output_folder, clear_earlier_report, load_suite, run_suite, write_outputs

    suite = load_suite(suite_file)
    out = out_dir
    check_output_folder(out)
    run = run_suite(suite, limit=limit, progress=lambda message: click.echo(message, err=True))
    clear_earlier_report(out)
    write_outputs(run, out)
    write_reports(run, out)
    for (task, data), rows in groups(run.results).items():
        described = next((r for r in rows if r.data_hash), None)
        about = ""
        if described is not None:
            spec = "" if described.data_spec == data else f"{described.data_spec}, "
            about = f" ({spec}hash {described.data_hash})"
        click.echo(f"\n{task}: {data}{about}")
        _print_table(rows)
    click.echo(f"\nwrote {out / 'results.json'}, {out / 'report.md'}, {out / 'report.html'} ({run.seconds:.0f} s)")
    failed = [r for r in run.results if r.status == "error"]
    if failed:
        raise click.ClickException(f"{len(failed)} row(s) failed: " + "; ".join(f"{r.system} on {r.data}" for r in failed))


def _report_systems(results: list[EvalResult], metrics: list[Metric], json_out: Path | None) -> None:
    from idnews.evaluation.results import compare

    baseline = results[0]
    if baseline.status == "ok":
        for other in results[1:]:
            if other.status == "ok":
                compare(baseline, other, metrics)
    _print_table(results)
    for result in results[1:]:
        if result.comparisons:
            _print_comparison(result)
    for result in results:
        if result.status == "ok":
            click.echo(f"signature ({result.system}): {result.signature}")
    if json_out is not None:
        rows = [r.to_dict() for r in results]
        _write_json(json_out, rows[0] if len(rows) == 1 else {"results": rows})
    if all(r.status != "ok" for r in results):
        raise click.ClickException("nothing was scored: " + "; ".join(f"{r.system}: {r.reason}" for r in results))


def _score_files(
    task: str,
    hyp: Path,
    ref: Path | Sequence[Path],
    read: Callable[[Path], list[Any]],
    references: list[list[Any]],
    metrics: list[Metric],
    compare_hyp: Path | None,
    json_out: Path | None,
) -> None:
    from idnews.errors import InputError
    from idnews.evaluation.io import file_hash
    from idnews.evaluation.results import compare, context_signature, score

    ref_paths = [ref] if isinstance(ref, Path) else list(ref)
    ref_field = f"{'+'.join(p.name for p in ref_paths)}@{file_hash(*ref_paths)}"
    ids = [str(i + 1) for i in range(len(references))]

    def score_file(path: Path) -> EvalResult:
        hypotheses = read(path)
        if len(hypotheses) != len(references):
            raise InputError(path, f"{len(hypotheses)} items but the reference has {len(references)}")
        context = context_signature(hyp=f"{path.name}@{file_hash(path)}", ref=ref_field, n=len(hypotheses))
        return score(task, ",".join(p.name for p in ref_paths), path.name, hypotheses, references, metrics, context, ids)

    result = score_file(hyp)
    other = score_file(compare_hyp) if compare_hyp is not None else None
    if other is not None:
        compare(result, other, metrics)
        _print_table([result, other])
        _print_comparison(other)
    else:
        _print_table([result])
    click.echo(f"signature: {result.signature}")
    if json_out is not None:
        row = result.to_dict()
        payload: dict[str, Any] = {"n": row["n"], "scores": row["scores"], "signature": row["signature"]}
        if other is not None:
            payload["compare"] = other.to_dict()
        _write_json(json_out, payload)


def _print_table(results: Sequence[EvalResult]) -> None:
    from idnews.evaluation.report import score_table

    click.echo(score_table(results))


def _print_comparison(result: EvalResult) -> None:
    click.echo(f"paired bootstrap ({result.system} vs {result.baseline}):")
    for name, comparison in result.comparisons.items():
        click.echo(
            f"  {name:<10} {comparison.baseline:7.2f} -> {comparison.system:7.2f}"
            f"  diff {comparison.system - comparison.baseline:+7.2f}  p = {comparison.p_value:.4f}"
        )


def _write_json(path: Path, payload: object) -> None:
    from idnews.batch.outputs import atomic_write

    data = (json.dumps(payload, ensure_ascii=False, indent=2) + "\n").encode("utf-8")
    try:
        atomic_write(path, data)  # a failed write leaves any earlier file whole
    except OSError as exc:
        raise IdnewsError(f"--json {path}: cannot write it ({exc.strerror or exc})") from None
    click.echo(f"wrote {path}")

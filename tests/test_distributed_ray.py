"""``--engine ray`` on a local Ray cluster: the same tree as a local run, also when a replica, the driver or a
node is killed mid-run.

One Ray instance serves the whole session (start-up costs seconds); runs connect to it with ``--address``.
Replicas get half a CPU each: two whole-CPU replicas on two CPUs can deadlock a pipeline (ray-project/ray#44687).
The three-node test starts its own cluster in a separate process (``distributed_node_loss.py``).
"""
from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from test_batch_helpers import make_pages, private_cache, tree_bytes  # noqa: F401 (fixtures)

pytestmark = [pytest.mark.distributed, pytest.mark.xdist_group("ray")]
PAGES = 24
MODEL_OPTIONS = ["--beam-size", "2", "--max-length", "24", "--no-guard"]
RAY_OPTIONS = ["--replicas", "2", "--cpus-per-replica", "0.5"]


@pytest.fixture(scope="session")
def ray_address(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The address of a session-wide local Ray instance: 2 CPUs, no dashboard, a small object store."""
    ray = pytest.importorskip("ray", reason='Ray is not installed (pip install "idnews[ray]")')
    ray.init(
        address="local", num_cpus=2, include_dashboard=False, log_to_driver=False,
        _temp_dir=str(tmp_path_factory.mktemp("ray")), object_store_memory=100 * 1024 * 1024,
    )
    try:
        yield ray.get_runtime_context().gcs_address
    finally:
        ray.shutdown()


@pytest.fixture(scope="module")
def pages(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_pages(tmp_path_factory.mktemp("pages") / "pages", PAGES)


@pytest.fixture(scope="module")
def reference(tmp_path_factory: pytest.TempPathFactory, pages: Path, tiny_marian: Path) -> dict[str, bytes]:
    """The tree of an uninterrupted ``--engine local`` run."""
    out = tmp_path_factory.mktemp("local") / "out"
    subprocess.run(_command(pages, out, tiny_marian), check=True, capture_output=True)
    tree = tree_bytes(out)
    assert sum(1 for name in tree if name.endswith(".json")) == PAGES
    return tree


def _command(pages: Path, out: Path, model: Path, *extra: str) -> list[str]:
    return [sys.executable, "-m", "idnews", "process", str(pages), "--out", str(out), "--format", "json",
            "--method", "lead", "--model", str(model), *MODEL_OPTIONS, "-q", *extra]


def _ray(address: str, *extra: str) -> list[str]:
    return ["--engine", "ray", "--address", address, *RAY_OPTIONS, *extra]


def _replicas() -> list[int]:
    """Process ids of the file replicas of the session's Ray instance (descendants of this process)."""
    import psutil

    found = []
    for child in psutil.Process().children(recursive=True):
        try:
            if "FileReplica" in " ".join(child.cmdline()):
                found.append(child.pid)
        except psutil.Error:
            continue
    return found


def _outputs(out: Path) -> int:
    return sum(1 for _ in out.glob("*.json")) if out.is_dir() else 0


def _wait_for(condition: object, what: str, timeout: float = 240) -> None:
    deadline = time.monotonic() + timeout
    while not condition():  # type: ignore[operator]
        if time.monotonic() > deadline:
            pytest.fail(f"timed out waiting for {what}")
        time.sleep(0.01)


def test_ray_engine_writes_the_same_tree_as_local(
    tmp_path: Path, pages: Path, tiny_marian: Path, reference: dict[str, bytes], ray_address: str
) -> None:
    out = tmp_path / "out"
    log = tmp_path / "log.jsonl"
    run = subprocess.run(_command(pages, out, tiny_marian, *_ray(ray_address, "--files-per-task", "3"),
                                  "--log-json", str(log)), capture_output=True, text=True)
    assert run.returncode == 0, run.stderr[-2000:]
    assert tree_bytes(out) == reference
    events = [json.loads(line) for line in log.read_text(encoding="utf-8").splitlines()]
    assert sorted(e["path"] for e in events if e["event"] == "file" and e["status"] == "ok") == sorted(
        str(p) for p in pages.glob("*.txt"))
    summary = events[-1]
    assert (summary["event"], summary["files"], summary["ok"], summary["failed"]) == ("summary", PAGES, PAGES, 0)

    again = subprocess.run(_command(pages, out, tiny_marian, *_ray(ray_address), "--log-json", str(log)),
                           capture_output=True, text=True)
    assert again.returncode == 0, again.stderr[-2000:]
    assert json.loads(log.read_text(encoding="utf-8").splitlines()[-1])["skipped"] == PAGES
    assert tree_bytes(out) == reference


def test_process_files_with_a_sharded_listing_writes_the_same_tree(
    tmp_path: Path, pages: Path, tiny_marian: Path, reference: dict[str, bytes], ray_address: str
) -> None:
    from idnews.distributed import ClusterSettings, process_files

    out = tmp_path / "out"
    summary = process_files(
        [pages], out, model=tiny_marian, method="lead", fmt="json", progress=False,
        translator_options={"beam_size": 2, "max_length": 24, "guard": False},
        cluster=ClusterSettings(replicas=2, cpus_per_replica=0.5, files_per_task=4, listing_shard_rows=10),
    )
    assert (summary.ok, summary.failed, summary.exit_code) == (PAGES, 0, 0)
    assert tree_bytes(out) == reference  # the listing shards under .idnews/listing are gone too


def test_a_killed_replica_is_replaced_and_the_tree_is_the_same(
    tmp_path: Path, pages: Path, tiny_marian: Path, reference: dict[str, bytes], ray_address: str
) -> None:
    out = tmp_path / "out"
    run = subprocess.Popen(_command(pages, out, tiny_marian, *_ray(ray_address, "--files-per-task", "1")),
                           stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    _wait_for(lambda: _outputs(out) >= 2 or run.poll() is not None, "the first outputs")
    victims = _replicas()
    assert run.poll() is None and victims and _outputs(out) < PAGES, "the run ended before a replica was killed"
    os.kill(victims[0], signal.SIGKILL)
    _, err = run.communicate(timeout=300)
    assert run.returncode == 0, err[-2000:]
    assert tree_bytes(out) == reference


def test_a_killed_driver_is_resumed_by_a_rerun(
    tmp_path: Path, pages: Path, tiny_marian: Path, reference: dict[str, bytes], ray_address: str
) -> None:
    out = tmp_path / "out"
    driver = subprocess.Popen(_command(pages, out, tiny_marian, *_ray(ray_address, "--files-per-task", "1")),
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    journal = out / ".idnews" / "done.jsonl"
    _wait_for(lambda: (journal.is_file() and len(journal.read_bytes().splitlines()) >= 4) or driver.poll() is not None,
              "four done-records")
    assert driver.poll() is None, "the run ended before the driver was killed"
    os.killpg(driver.pid, signal.SIGKILL)
    driver.wait()
    _wait_for(lambda: not _replicas(), "the killed run's replicas to end", timeout=120)

    log = tmp_path / "log.jsonl"
    rerun = subprocess.run(_command(pages, out, tiny_marian, *_ray(ray_address), "--log-json", str(log)),
                           capture_output=True, text=True)
    assert rerun.returncode == 0, rerun.stderr[-2000:]
    summary = json.loads(log.read_text(encoding="utf-8").splitlines()[-1])
    assert summary["skipped"] >= 4 and summary["skipped"] + summary["ok"] == PAGES and summary["failed"] == 0
    assert tree_bytes(out) == reference


def test_losing_a_node_of_a_three_node_cluster(
    tmp_path: Path, tmp_path_factory: pytest.TempPathFactory, pages: Path, tiny_marian: Path,
    reference: dict[str, bytes],
) -> None:
    pytest.importorskip("ray", reason='Ray is not installed (pip install "idnews[ray]")')
    out = tmp_path / "out"
    script = Path(__file__).with_name("distributed_node_loss.py")
    temp = tmp_path_factory.mktemp("rc")  # short: Ray's socket paths must fit in 107 bytes
    run = subprocess.run([sys.executable, str(script), str(pages), str(out), str(tiny_marian), str(temp)],
                         capture_output=True, text=True, timeout=540)
    assert run.returncode == 0, run.stderr[-3000:]
    report = json.loads(run.stdout.strip().splitlines()[-1])
    assert report["removed_node_had_replica"], report
    assert report["outputs_when_removed"] < PAGES, report
    assert (report["ok"], report["failed"]) == (PAGES, 0), report
    assert tree_bytes(out) == reference


def test_process_dataset_maps_rows_to_the_records_of_a_local_run(tiny_marian: Path, ray_address: str) -> None:
    import ray

    from idnews.batch.pipeline import Options, process_record
    from idnews.batch.records import Record
    from idnews.distributed import ClusterSettings, ModelSpec, process_dataset
    from test_batch_helpers import ARTICLES

    rows = [{"id": f"a{index}", "text": text} for index, text in enumerate(ARTICLES)] + [
        {"id": "blank", "text": "   "}, {"id": "missing", "text": None}]
    spec = ModelSpec(translator={"model": str(tiny_marian), "beam_size": 2, "max_length": 24, "guard": False},
                     summarizer="lead")
    options = Options(task="process", bullets=2)
    mapped = process_dataset(ray.data.from_items(rows), spec, options, rows_per_task=3,
                             cluster=ClusterSettings(replicas=1, cpus_per_replica=0.5))
    got = {row["id"]: (json.loads(row["record"]), row["error"]) for row in mapped.iter_rows()}

    models = spec.load()
    for row in rows:
        expected = process_record(Record.from_row(row, name=row["id"]), models, options)
        assert got[row["id"]] == (expected, expected.get("error")), row["id"]
    assert got["blank"][1] == "the text is empty"
    assert got["missing"][1] == "field 'text' is missing"

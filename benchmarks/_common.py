"""Helpers shared by the benchmark scripts: machine facts, child processes, medians, tables, JSON, models.

Every measurement runs in a fresh child process (``python <script> --child SPEC --json-out PATH``) so that
peak memory (``ru_maxrss``) belongs to one engine only; the parent interleaves the configurations over
several rounds and reports medians, because run-to-run noise on a shared CPU is large.
"""
from __future__ import annotations

import json
import os
import platform
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterable, Sequence
from importlib import metadata
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
CHILD_ENV = {
    "HF_HUB_OFFLINE": "1",
    "TRANSFORMERS_OFFLINE": "1",
    "HF_DATASETS_OFFLINE": "1",
    "TRANSFORMERS_VERBOSITY": "error",
    "HF_HUB_DISABLE_PROGRESS_BARS": "1",
    "TOKENIZERS_PARALLELISM": "false",
    "PYTHONWARNINGS": "ignore",
}


LABEL_KEYS = ("label", "regime", "engine", "side", "method", "runner", "mode", "articles")


class BenchmarkError(RuntimeError):
    """A benchmark cannot run (missing data, a failing child process)."""


def shared_dir() -> Path:
    """``$IDNEWS_SHARED`` or ``shared/`` beside the checkout (data sets and the opus-mt-id-en config)."""
    from idnews.paths import shared_dir as library_shared_dir

    return library_shared_dir()


def require(path: Path, what: str) -> Path:
    if not path.exists():
        raise BenchmarkError(f"{what} not found at {path} (set IDNEWS_SHARED to the folder holding data/ and models/)")
    return path


def default_work_dir() -> Path:
    """Where built models and generated inputs are cached between runs: ``<idnews cache>/bench``."""
    from idnews.paths import cache_dir

    return cache_dir() / "bench"


def peak_rss_mb() -> float:
    """Peak resident memory of this process so far, in MiB.

    Linux's ``VmHWM`` is used because ``ru_maxrss`` survives ``exec``: a child started by a large parent
    would report the parent's peak.
    """
    try:
        for line in Path("/proc/self/status").read_text(encoding="ascii").splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / 1024 if sys.platform != "darwin" else peak / 2**20


def cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text(encoding="utf-8").splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def _version(package: str) -> str | None:
    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:
        return None


def machine_info() -> dict[str, Any]:
    """What the numbers were measured on (without importing any heavy library)."""
    return {
        "date_utc": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
        "cpu_model": cpu_model(),
        "cpu_count": os.cpu_count(),
        "machine": platform.machine(),
        "python": platform.python_version(),
        "versions": {name: _version(name) for name in ("torch", "transformers", "ctranslate2", "idnews")},
    }


def median(values: Iterable[float]) -> float:
    return statistics.median(list(values))


def child_env() -> dict[str, str]:
    """This process's environment with :data:`CHILD_ENV` and this checkout first on ``PYTHONPATH``."""
    env = {**os.environ, **CHILD_ENV}
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO), env.get("PYTHONPATH")]))
    return env


def run_child(script: Path, spec: dict[str, Any], *, timeout: float = 1800) -> dict[str, Any]:
    """Run ``script --child SPEC --json-out FILE`` in a fresh interpreter and return the JSON it wrote."""
    with tempfile.TemporaryDirectory(prefix="idnews-bench-") as tmp:
        out = Path(tmp) / "result.json"
        command = [sys.executable, str(script), "--child", json.dumps(spec), "--json-out", str(out)]
        done = subprocess.run(command, env=child_env(), capture_output=True, text=True, timeout=timeout)
        if done.returncode != 0 or not out.exists():
            tail = "\n".join(done.stderr.strip().splitlines()[-15:])
            raise BenchmarkError(f"child {config_label(spec)} failed with exit code {done.returncode}:\n{tail}")
        return json.loads(out.read_text(encoding="utf-8"))


def interleave(
    configs: Sequence[dict[str, Any]],
    rounds: int,
    measure: Callable[[dict[str, Any]], dict[str, Any]],
    *,
    log: Callable[[str], None] = print,
) -> list[list[dict[str, Any]]]:
    """Measure every config once per round, each round starting one config later (A B C, B C A, C A B, ...), so
    that no config always runs first: with two configs and an even number of rounds each runs first equally often.

    Returns one list of per-round results for each config, in ``configs`` order.
    """
    results: list[list[dict[str, Any]]] = [[] for _ in configs]
    for round_index in range(rounds):
        start = round_index % len(configs) if configs else 0
        for index in [*range(start, len(configs)), *range(start)]:
            config = configs[index]
            started = time.perf_counter()
            result = measure(config)
            results[index].append(result)
            log(f"  round {round_index + 1}/{rounds} {config_label(config):<48} {time.perf_counter() - started:6.1f}s")
    return results


def config_label(config: dict[str, Any]) -> str:
    return " ".join(f"{key}={value}" for key, value in config.items() if key in LABEL_KEYS)


def summarise_rounds(rounds: list[dict[str, Any]], keys: Sequence[str]) -> dict[str, Any]:
    """Median of each numeric key over the rounds, plus the raw per-round values."""
    summary: dict[str, Any] = {key: median(r[key] for r in rounds) for key in keys}
    summary["rounds"] = rounds
    return summary


def format_table(rows: Sequence[dict[str, Any]], columns: Sequence[tuple[str, str, str]]) -> str:
    """A Markdown table; ``columns`` are ``(key, header, format)`` with ``format`` like ``"{:.1f}"``."""
    header = "| " + " | ".join(title for _, title, _ in columns) + " |"
    rule = "|" + "|".join("---" for _ in columns) + "|"
    lines = [header, rule]
    for row in rows:
        cells = []
        for key, _, fmt in columns:
            value = row.get(key)
            cells.append("–" if value is None else fmt.format(value))
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def write_json(path: Path, data: Any) -> None:
    """Write ``data`` as JSON, creating the folder; written to a temporary name first, then renamed."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(path.name + ".partial")
    partial.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    partial.replace(path)


def ensure_marian(work_dir: Path, size: str, quantizations: Sequence[str] = ("int8", "float32")) -> dict[str, Path]:
    """Build (once) a random-weight Marian of the opus-mt-id-en shape and the CTranslate2 conversions asked for.

    Returns ``{"hf": ..., "ct2_int8": ..., "ct2_float32": ...}`` (the ``ct2_`` keys of ``quantizations``). A
    finished model is marked by a ``.complete`` file, so an interrupted build is redone rather than reused; a
    conversion is written atomically, so one that exists is complete, and one missing is made on first request.
    """
    from idnews.testing import build_marian, convert_to_ct2

    config_dir = require(shared_dir() / "models" / "opus-mt-id-en", "the opus-mt-id-en config and tokenizer")
    root = Path(work_dir) / f"marian-{size}"
    paths = {"hf": root / "hf", **{f"ct2_{q}": root / f"ct2-{q}" for q in quantizations}}
    marker = root / ".complete"
    if not marker.exists():
        shutil.rmtree(paths["hf"], ignore_errors=True)
        root.mkdir(parents=True, exist_ok=True)
        build_marian(paths["hf"], config_dir=config_dir, size=size, seed=0)
        marker.write_text("ok\n", encoding="utf-8")
    for quantization in quantizations:
        target = paths[f"ct2_{quantization}"]
        if not (target / "model.bin").is_file():
            convert_to_ct2(paths["hf"], target, quantization=None if quantization == "float32" else quantization)
    return paths


def child_main(run: Callable[[dict[str, Any]], dict[str, Any]], spec_json: str, json_out: str) -> None:
    """Body of a child process: run one measurement, add its peak RSS, write the JSON result."""
    result = run(json.loads(spec_json))
    result["peak_rss_mb"] = peak_rss_mb()
    write_json(Path(json_out), result)

"""The library does only what it says: it changes no process-wide state (allocator, signal handlers, environment,
thread pools, logging, warnings) unless asked, neither in its source nor when imported, constructed or used."""
from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import REPO

#: Calls that change the whole process. The command line (``idnews/cli/``) is the application and may set up its
#: own process; ``python -m idnews.summarization.train`` is a script; a batch run installs Ctrl-C/SIGTERM handlers
#: for its own duration and restores the previous ones (``idnews/batch/stopping.py``); the transformers backend
#: sets torch's thread count only when the user gave ``intra_threads``.
PROCESS_WIDE = re.compile(
    r"\b(mallopt|malloc_trim|madvise|MADV_\w+|mlockall|CDLL|ctypes|os\.putenv|os\.unsetenv|os\.environ\[[^]]+\]\s*=[^=]"
    r"|os\.environ\.(setdefault|update|pop|clear)|signal\.signal|sys\.setrecursionlimit|sys\.setswitchinterval"
    r"|threading\.stack_size|resource\.setrlimit|locale\.setlocale|os\.umask|os\.chdir|gc\.(disable|freeze|set_threshold)"
    r"|set_num_threads|set_num_interop_threads|logging\.basicConfig|warnings\.(filterwarnings|simplefilter)"
    r"|disable_progress_bars?|set_verbosity\w*|faulthandler\.enable|sys\.settrace|atexit\.register)"
)
ALLOWED = {
    "idnews/cli/__init__.py": {"logging.basicConfig", "os.environ.setdefault", "disable_progress_bars",
                               "disable_progress_bar", "set_verbosity_error"},
    "idnews/summarization/train.py": {"logging.basicConfig"},
    "idnews/batch/stopping.py": {"signal.signal"},
    "idnews/translation/backends/hf.py": {"set_num_threads"},
}


def test_no_idnews_module_changes_process_wide_state() -> None:
    found: dict[str, set[str]] = {}
    for path in sorted((REPO / "idnews").rglob("*.py")):
        relative = path.relative_to(REPO).as_posix()
        for match in PROCESS_WIDE.finditer(path.read_text(encoding="utf-8")):
            call = re.sub(r"\[.*", "[...]", match.group(0).strip())
            if call not in ALLOWED.get(relative, set()):
                found.setdefault(relative, set()).add(call)
    assert found == {}


def test_the_scan_finds_what_it_looks_for() -> None:
    hits = [PROCESS_WIDE.search(line) for line in (
        "libc.mallopt(M_MMAP_THRESHOLD, 1 << 26)", "os.environ['OMP_NUM_THREADS'] = '1'", "torch.set_num_threads(2)",
        "signal.signal(signal.SIGINT, handler)", "libc.madvise(address, size, MADV_COLLAPSE)",
    )]
    assert all(hits)
    assert PROCESS_WIDE.search("if os.environ['HF_HUB_OFFLINE'] == '1':") is None  # reading is fine


STATE = r"""
import json, logging, os, signal, sys, threading, warnings
def state():
    return {
        "environ": dict(os.environ),
        "signals": {str(s): repr(signal.getsignal(s)) for s in (signal.SIGINT, signal.SIGTERM, signal.SIGPIPE)},
        "logging": [repr(h) for h in logging.getLogger().handlers] + [logging.getLogger().level],
        "warnings": len(warnings.filters),
        "cwd": os.getcwd(),
        "recursion": sys.getrecursionlimit(),
        "heavy": sorted({"torch", "transformers", "ctranslate2", "ray", "datasets"} & set(sys.modules)),
    }
before = state()
import idnews
from idnews.translation import EngineConfig, Translator
translator = Translator(sys.argv[1], backend="ct2", engine=EngineConfig(compute_type="float32"), guard=None)
constructed = state()
translator.translate("Presiden meresmikan jembatan baru di Jakarta.")
used = state()
print(json.dumps({"before": before, "constructed": constructed, "used": used}))
"""


def test_import_construction_and_translation_leave_the_process_as_it_was(tiny_ct2: Path, tmp_path: Path) -> None:
    env = {key: value for key, value in __import__("os").environ.items()}
    env["IDNEWS_CACHE"] = str(tmp_path / "cache")
    done = subprocess.run([sys.executable, "-c", STATE, str(tiny_ct2)], capture_output=True, text=True, env=env,
                          timeout=300)
    assert done.returncode == 0, done.stderr
    states = json.loads(done.stdout)
    before, constructed, used = states["before"], states["constructed"], states["used"]
    assert constructed == before  # nothing imported that is heavy, nothing set
    assert before["heavy"] == [] and "ctranslate2" in used["heavy"] and "torch" not in used["heavy"]
    used.pop("heavy"), before.pop("heavy")
    assert used == before
    assert not (tmp_path / "cache" / "calibration").exists()  # nothing measured or written unasked


@pytest.mark.parametrize("variable", ["MALLOC_MMAP_THRESHOLD_", "GLIBC_TUNABLES", "intra_threads"])
def test_process_settings_are_the_users_to_make(variable: str) -> None:
    """The performance tips name the settings a user may choose for their own process; idnews sets none."""
    tips = (REPO / "docs" / "translation.md").read_text(encoding="utf-8")
    assert "## Performance tips" in tips
    assert variable in tips.split("## Performance tips", 1)[1]

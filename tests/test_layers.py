"""Layers import downward: checked on the import graph that ``tools/import_graph.py`` prints."""
from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
SCRIPT = REPO / "tools" / "import_graph.py"
DOCUMENT_LAYER = ("idnews.text", "idnews.article", "idnews.reader", "idnews.outlets")
UPPER_LAYERS = ("idnews.summarization", "idnews.translation", "idnews.evaluation", "idnews.batch", "idnews.cli",
                "idnews.distributed",
                "idnews.corpora", "idnews.testing")


def _load_script():
    spec = importlib.util.spec_from_file_location("import_graph", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["import_graph"] = module
    spec.loader.exec_module(module)
    return module


import_graph = _load_script()


@pytest.fixture(scope="module")
def graph() -> dict:
    return import_graph.module_imports()


def _in(module: str, packages: tuple[str, ...]) -> bool:
    return any(module == p or module.startswith(p + ".") for p in packages)


def test_summarization_imports_neither_evaluation_nor_translation_at_module_level(graph) -> None:
    summarization = [name for name in graph if _in(name, ("idnews.summarization",))]
    assert "idnews.summarization.base" in summarization and "idnews.summarization.seq2seq" in summarization
    offending = {
        name: sorted(t for t in graph[name].eager if _in(t, ("idnews.evaluation", "idnews.translation")))
        for name in summarization
    }
    assert {name: targets for name, targets in offending.items() if targets} == {}


def test_importing_every_summarisation_module_loads_no_evaluation_or_translation_module(graph) -> None:
    names = sorted(name for name in graph if _in(name, ("idnews.summarization",)))
    code = (
        "import importlib, sys\n"
        f"for name in {names!r}: importlib.import_module(name)\n"
        "print(sorted(m for m in sys.modules if m.startswith(('idnews.evaluation', 'idnews.translation'))))"
    )
    out = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_the_document_layer_imports_nothing_above_it(graph) -> None:
    assert all(layer in graph for layer in DOCUMENT_LAYER)
    assert all(any(_in(name, (layer,)) for name in graph) for layer in UPPER_LAYERS)
    upward = {
        name: sorted(t for kind in import_graph.KINDS for t in getattr(graph[name], kind) if _in(t, UPPER_LAYERS))
        for name in DOCUMENT_LAYER
    }
    assert {name: targets for name, targets in upward.items() if targets} == {}


def test_the_script_tells_eager_lazy_and_typing_imports_apart(tmp_path: Path) -> None:
    package = tmp_path / "idnews"
    (package / "sub").mkdir(parents=True)
    (package / "__init__.py").write_text("")
    (package / "low.py").write_text("X = 1\n")
    (package / "other.py").write_text("Y = 2\n")
    (package / "sub" / "__init__.py").write_text("from .mod import f\n")
    (package / "sub" / "mod.py").write_text(
        "from typing import TYPE_CHECKING\n"
        "import json\n"
        "from .. import low\n"
        "try:\n    import idnews.other\nexcept ImportError:\n    pass\n"
        "if TYPE_CHECKING:\n    from idnews.sub.helper import H\n"
        "class C:\n    from idnews.low import X\n"
        "def f():\n    from idnews import sub\n    from idnews.helper import g\n"
    )
    (package / "sub" / "helper.py").write_text("H = 3\n")
    (package / "helper.py").write_text("def g():\n    pass\n")
    graph = import_graph.module_imports(package)
    mod = graph["idnews.sub.mod"]
    assert mod.eager == {"idnews.low", "idnews.other"}
    assert mod.lazy == {"idnews.sub", "idnews.helper"}
    assert mod.typing == {"idnews.sub.helper"}
    assert graph["idnews.sub"].eager == {"idnews.sub.mod"}
    folded = import_graph.package_graph(graph)
    assert folded["idnews.sub"].eager == {"idnews.low", "idnews.other"}
    assert folded["idnews.sub"].lazy == {"idnews.helper"}
    assert folded["idnews.sub"].typing == set()


def test_the_script_prints_the_package_graph() -> None:
    out = subprocess.run([sys.executable, str(SCRIPT)], capture_output=True, text=True, check=True).stdout
    lines = out.splitlines()
    assert "idnews.errors -> (nothing)" in lines
    assert any(line.startswith("idnews.reader -> ") and "idnews.outlets" in line for line in lines)
    assert any(line.strip().startswith("lazy: ") for line in lines)

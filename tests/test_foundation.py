import subprocess
import sys
from pathlib import Path

import pytest

from idnews.errors import IdnewsError, UnknownNameError

REPO = Path(__file__).resolve().parent.parent


def test_import_idnews_stays_light():
    code = (
        "import sys, idnews, idnews.cli, idnews.article, idnews.text, idnews.distributed;"
        "heavy = [m for m in ('torch', 'transformers', 'ctranslate2', 'datasets', 'ray') if m in sys.modules];"
        "print(','.join(heavy))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""


def test_registry_imports_component_modules_only_when_a_name_is_looked_up(tmp_path, monkeypatch):
    package = tmp_path / "widgets_pkg"
    package.mkdir()
    (package / "__init__.py").write_text("from idnews.registry import Registry\n"
                                         "WIDGETS = Registry('widget', modules=['widgets_pkg.beta'], aliases={'b': 'beta'})\n")
    (package / "beta.py").write_text("from widgets_pkg import WIDGETS\n\n@WIDGETS.register('beta')\nclass Beta:\n    pass\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    import widgets_pkg

    @widgets_pkg.WIDGETS.register("alpha")
    class Alpha:
        pass

    assert "widgets_pkg.beta" not in sys.modules
    assert widgets_pkg.WIDGETS.get("alpha") is Alpha
    assert "widgets_pkg.beta" not in sys.modules
    assert widgets_pkg.WIDGETS.get("b").__name__ == "Beta"
    assert widgets_pkg.WIDGETS.get("beta") is sys.modules["widgets_pkg.beta"].Beta
    with pytest.raises(UnknownNameError, match="unknown widget 'gamma'; known: alpha, b, beta"):
        widgets_pkg.WIDGETS.get("gamma")
    with pytest.raises(IdnewsError, match="widget 'alpha' is registered twice"):
        widgets_pkg.WIDGETS.register("alpha")(type("Other", (), {}))
    for name in ("widgets_pkg", "widgets_pkg.beta"):
        monkeypatch.delitem(sys.modules, name)


def test_summarisers_backends_and_metrics_each_register_once_by_decorator():
    """Every name comes from one ``@REGISTRY.register`` in the defining module (no string tables)."""
    from idnews.evaluation.metrics import METRICS
    from idnews.summarization.base import SUMMARIZERS
    from idnews.translation.backends import BACKENDS

    source = "\n".join(p.read_text(encoding="utf-8") for p in (REPO / "idnews").rglob("*.py"))
    assert "register_lazy" not in source
    for registry, names in (
        (SUMMARIZERS, ["ct2", "hf", "lead", "learned", "oracle", "textrank"]),
        (BACKENDS, ["ct2", "hf"]),
        (METRICS, ["bleu", "chrf", "chrf++", "rouge", "ter"]),
    ):
        registry.names()  # imports every component module
        assert sorted(registry._entries) == names
        for name in names:
            defining_module = REPO / Path(*registry.get(name).__module__.split("."))
            decorator = f'@{registry_name(registry)}.register("{name}")'
            assert decorator in defining_module.with_suffix(".py").read_text(encoding="utf-8")
            assert source.count(decorator) == 1
    assert SUMMARIZERS.get("auto") is SUMMARIZERS.get("learned")


def registry_name(registry) -> str:
    return {"summarisation method": "SUMMARIZERS", "translation backend": "BACKENDS", "metric": "METRICS"}[registry.kind]


def test_cli_help_lists_commands():
    out = subprocess.run([sys.executable, "-m", "idnews", "--help"], capture_output=True, text=True, check=True)
    for name in ("clean", "show", "translate", "summarize", "process", "eval", "models"):
        assert name in out.stdout

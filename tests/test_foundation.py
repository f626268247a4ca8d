import subprocess
import sys

import pytest

from idnews.errors import UnknownNameError
from idnews.registry import Registry


def test_import_idnews_stays_light():
    code = (
        "import sys, idnews, idnews.cli, idnews.article, idnews.text;"
        "heavy = [m for m in ('torch', 'transformers', 'ctranslate2', 'datasets') if m in sys.modules];"
        "print(','.join(heavy))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""


def test_registry_unknown_name_lists_known_ones():
    reg: Registry[type] = Registry("widget")

    @reg.register("alpha")
    class Alpha:  # noqa: D401
        pass

    reg.register_lazy("beta", "collections:OrderedDict")
    assert reg.get("alpha") is Alpha
    assert reg.get("beta").__name__ == "OrderedDict"
    with pytest.raises(UnknownNameError, match="unknown widget 'gamma'; known: alpha, beta"):
        reg.get("gamma")


def test_cli_help_lists_commands():
    out = subprocess.run([sys.executable, "-m", "idnews", "--help"], capture_output=True, text=True, check=True)
    for name in ("clean", "show", "translate", "summarize", "process", "eval", "models"):
        assert name in out.stdout

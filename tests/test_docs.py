"""The command outputs shown in README.md and docs/*.md are what the code prints now.

``docs/generate_outputs.py`` regenerates them from real runs; these tests run the same snippets and compare,
ignoring only timings. The quick ones run by default, the whole-data-set ones under ``slow``.
"""
from __future__ import annotations

import importlib.util
import re
import sys

import pytest

from conftest import REPO, require_shared

SCRIPT = REPO / "docs" / "generate_outputs.py"
_spec = importlib.util.spec_from_file_location("generate_outputs", SCRIPT)
assert _spec is not None and _spec.loader is not None
generate = importlib.util.module_from_spec(_spec)
sys.modules["generate_outputs"] = generate  # dataclasses look their module up there
_spec.loader.exec_module(generate)


def shown_blocks() -> dict[str, list[str]]:
    """Every generated block in the documents, by name (text as shown, indentation removed)."""
    found: dict[str, list[str]] = {}
    for document in generate.DOCUMENTS:
        for match in generate.blocks(document.read_text(encoding="utf-8")):
            found.setdefault(match.group(2), []).append(generate.dedent(match.group(5), match.group(1)))
    return found


CHEAP = sorted(name for name, snippet in generate.SNIPPETS.items() if snippet.cheap)
SLOW = sorted(name for name, snippet in generate.SNIPPETS.items() if not snippet.cheap)


def test_every_snippet_has_a_block_and_every_block_a_snippet() -> None:
    assert set(shown_blocks()) == set(generate.SNIPPETS)


def test_timings_are_the_only_thing_the_comparison_ignores() -> None:
    assert generate.normalise("5 files: 5 ok; 0.3 s (9.8 sentences/s)") == generate.normalise(
        "5 files: 5 ok; 12.0 s (1.1 sentences/s)")
    assert generate.normalise("5 files: 5 ok; 0.3 s") != generate.normalise("4 files: 5 ok; 0.3 s")
    assert generate.normalise("rouge1 66.07") != generate.normalise("rouge1 67.05")


def compare(name: str) -> None:
    require_shared("data", "summ", "indosum_dev_allfolds.jsonl")
    require_shared("models", "opus-mt-id-en")
    now = generate.run_snippet(name)
    for shown in shown_blocks()[name]:
        assert generate.normalise(shown) == generate.normalise(now), (
            f"the {name!r} block differs from what the code prints now; run `python docs/generate_outputs.py "
            f"--only {name}` and review the change:\n--- shown\n{shown}\n--- now\n{now}"
        )


@pytest.mark.parametrize("name", CHEAP)
def test_quick_outputs_match_a_run_now(name: str) -> None:
    compare(name)


@pytest.mark.slow
@pytest.mark.parametrize("name", SLOW)
def test_whole_data_set_outputs_match_a_run_now(name: str) -> None:
    compare(name)


def test_figures_in_the_docs_name_the_command_that_reproduces_them() -> None:
    """Score tables and speed figures stand under a generated block or next to the command that made them."""
    problems = []
    for document in [*generate.DOCUMENTS, REPO / "benchmarks" / "README.md"]:
        text = document.read_text(encoding="utf-8")
        generated = [match.span() for match in generate.blocks(text)]
        for table in re.finditer(r"(?:^\|.*\|\n){3,}", text, re.MULTILINE):
            if any(start <= table.start() < end for start, end in generated):
                continue  # printed by the command in the block's marker
            header = table.group().splitlines()[0]
            if not re.search(r"rouge|R1|bleu|chrf|/s\b|F1|flagged|RSS|LEAD|margin|sent/s", header, re.IGNORECASE):
                continue  # not a table of measured figures
            before = text[max(0, table.start() - 1500):table.start()]
            if not re.search(r"`(?:\$ )?(?:python|idnews) [^`]+`|<!-- (?:output|table):|^\$ (?:python|idnews) ", before, re.MULTILINE):
                problems.append(f"{document.name}: {header[:100]}")
    assert not problems, "tables of figures without the command that made them:\n" + "\n".join(problems)

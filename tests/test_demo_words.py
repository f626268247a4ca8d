"""The random-weight demo and test models write no offensive word: by construction, and in what the docs run.

Random weights over a real vocabulary can emit any word, so :mod:`idnews.testing` biases the output layer of
every model it builds towards :data:`~idnews.testing.PLACEHOLDER_WORDS`. These tests check that bias in the
saved weights, in what both backends decode from every example page, and in the whole output of the documented
``idnews`` commands that run the tiny model, read against better-profanity's maintained word list
(``tests/test_examples.py`` reads the documented ``python examples/...`` runs the same way). A failure prints
line numbers and counts, never the words.
"""
from __future__ import annotations

import os
import re
import shlex
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from better_profanity import Profanity

from conftest import REPO, shared_dir

# its module fixtures are costly: every test of the file runs on one worker under pytest-xdist
pytestmark = pytest.mark.xdist_group("demo-words")

LIST = Profanity()
#: Words the list flags, yet harmless where the output shows them: idnews's signature key ``max_len`` (the list
#: holds its last three letters) and Indonesian source text quoted from the example pages (``massa``: mass, as in
#: ``massa udara``, an air mass). None is a placeholder word, so no model output is let through by them.
FALSE_POSITIVES = re.compile(r"\b(?:max_len|massa)\b", re.IGNORECASE)
PAGES = sorted((REPO / "examples" / "pages").iterdir())
DOCUMENTS = [REPO / "README.md", *sorted((REPO / "docs").glob("*.md"))]
TINY_COMMAND = re.compile(r"^\$ (idnews .*--model tiny-marian\b.*)$", re.MULTILINE)


def offensive_lines(text: str) -> list[str]:
    """The numbers of the lines of ``text`` that hold a word of the list. Never the lines themselves: censoring
    replaces whole words only, and a listed word glued to other pieces would show through."""
    return [f"line {number}" for number, line in enumerate(text.splitlines(), 1)
            if LIST.contains_profanity(FALSE_POSITIVES.sub("", line))]


def test_the_check_finds_a_listed_word() -> None:
    from better_profanity.utils import get_complete_path_of_file, read_wordlist

    # read from the list, so that no listed word is written in the repository
    listed = min((w for w in read_wordlist(get_complete_path_of_file("profanity_wordlist.txt")) if w.isalpha()), key=len)
    assert offensive_lines(f"clean\na {listed} b\nclean") == ["line 2"]
    assert offensive_lines("[model:m|beam:1|max_len:auto(2*pow2+10)|max_input:auto]\npertemuan massa udara") == []


def test_placeholder_words_are_plain_and_not_on_the_list() -> None:
    from idnews.testing import PLACEHOLDER_WORDS

    assert all(word.isalpha() and word.islower() for word in PLACEHOLDER_WORDS)
    text = " ".join(form for word in PLACEHOLDER_WORDS for form in (word, word.capitalize()))
    assert offensive_lines(text) == []


def allowed_forms() -> set[str]:
    from idnews.testing import PLACEHOLDER_WORDS

    return {form for word in PLACEHOLDER_WORDS for form in (word, word.capitalize())}


def strange_words(texts: list[str]) -> str:
    """How many distinct words of ``texts`` are not placeholder words (each may carry the placeholder
    punctuation), "" when none: a count, so that a failing assertion prints none of them."""
    words = {word.strip(".,") for text in texts for word in text.split()} - allowed_forms() - {""}
    return f"{len(words)} words beyond the placeholders" if words else ""


@pytest.fixture(scope="module")
def tiny(tmp_path_factory: pytest.TempPathFactory, opus_config_dir: Path) -> Path:
    from idnews.testing import build_marian

    return build_marian(tmp_path_factory.mktemp("demo-words") / "tiny-marian", config_dir=opus_config_dir, seed=0)


@pytest.fixture(scope="module")
def cache(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """One idnews cache for the module: each model is converted (and its layout measured) once."""
    folder = tmp_path_factory.mktemp("demo-words-cache")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("IDNEWS_CACHE", str(folder))
        yield folder


def test_only_placeholder_pieces_escape_the_bias(tiny: Path) -> None:
    import json

    from safetensors.numpy import load_file

    from idnews.testing import BANNED_BIAS, END_BIAS, placeholder_ids

    vocab = json.loads((tiny / "vocab.json").read_text(encoding="utf-8"))
    pieces = {index: piece for piece, index in vocab.items()}
    [bias] = load_file(str(tiny / "model.safetensors"))["final_logits_bias"]
    open_ids = {int(i) for i in (bias > BANNED_BIAS).nonzero()[0]}
    assert open_ids == {*placeholder_ids(vocab), vocab["</s>"]}
    assert bias[vocab["</s>"]] == END_BIAS and bias.max() == 0.0
    words = [pieces[i].removeprefix("\u2581") for i in open_ids if pieces[i] not in (".", ",", "</s>")]
    assert strange_words(words) == "" and len(words) >= 30
    assert all(pieces[i].startswith("\u2581") for i in open_ids if pieces[i][0].isalpha())


def test_saved_files_share_one_mode(tiny: Path) -> None:
    """safetensors alone would leave ``model.safetensors`` 0600 beside 0644 files."""
    modes = {path.name: oct(path.stat().st_mode & 0o777) for path in tiny.iterdir()}
    assert len(set(modes.values())) == 1, modes


def translate_pages(model: Path, backend: str, beam_size: int) -> list[str]:
    """Every target text of every example page: titles, bullets and segments, the guard's retries included.
    Outputs stop at 24 tokens: the bias acts on every token alike, so longer outputs only cost time."""
    from idnews import Decoding, Translator, load_article

    translator = Translator(model, backend=backend, decoding=Decoding(beam_size=beam_size, max_length=24))
    texts = []
    for page in PAGES:
        document = translator.translate_document(load_article(page))
        texts += [segment.target for segment in document.segments()]
        texts += [bullet.target for bullet in document.bullets]
    return texts


@pytest.mark.parametrize(("backend", "beam_size"), [("ct2", 1), ("ct2", 4), ("hf", 1)])
def test_tiny_marian_writes_only_placeholder_words(tiny: Path, backend: str, beam_size: int, cache: Path) -> None:
    texts = translate_pages(tiny, backend, beam_size)
    assert sum(len(t.split()) for t in texts) > 1000
    assert strange_words(texts) == ""
    assert len(set(texts)) > 1  # still input-dependent
    assert offensive_lines("\n".join(texts)) == []


def test_tiny_nllb_writes_only_placeholder_words(tmp_path: Path, cache: Path) -> None:
    from idnews import load_article, split_sentences
    from idnews.testing import build_tiny_nllb

    sentences = [s for page in PAGES for s in split_sentences(load_article(page).text)]
    folder = build_tiny_nllb(tmp_path / "nllb", texts=sentences)
    for backend, beam_size in [("ct2", 1), ("ct2", 4), ("hf", 1)]:
        texts = translate_pages(folder, backend, beam_size)
        assert strange_words(texts) == "", backend
        assert len(set(texts)) > 1


def documented_tiny_model_commands() -> list[str]:
    """The ``idnews`` commands the README and docs/ show with ``--model tiny-marian``."""
    return sorted({m.group(1) for d in DOCUMENTS for m in TINY_COMMAND.finditer(d.read_text(encoding="utf-8"))})


def test_documented_tiny_model_commands_print_no_offensive_word(tmp_path: Path) -> None:
    """Each documented ``idnews ... --model tiny-marian`` command that needs no file of its page (those are run
    by tests/test_docs_own_data.py) runs beside a ``tiny-marian/`` built as documented; all it prints is read."""
    from idnews.evaluation.datasets import MT_FILES

    commands = documented_tiny_model_commands()
    runnable = [c for c in commands if re.search(rf"--data ({'|'.join(MT_FILES)})\b", c)]
    assert runnable, commands
    env = {**os.environ, "IDNEWS_CACHE": str(tmp_path / "cache"), "HF_HUB_CACHE": str(tmp_path / "hf"),
           "HF_HUB_OFFLINE": "1", "IDNEWS_SHARED": str(shared_dir())}
    (tmp_path / "examples").symlink_to(REPO / "examples")
    built = subprocess.run([sys.executable, "examples/build_tiny_model.py"], cwd=tmp_path, env=env,
                           capture_output=True, text=True, timeout=600)
    assert built.returncode == 0, built.stderr
    for command in runnable:
        argv = [sys.executable, "-m", "idnews", *shlex.split(command)[1:]]
        done = subprocess.run(argv, cwd=tmp_path, env=env, capture_output=True, text=True, timeout=600)
        assert "tiny-marian" in done.stdout and "Traceback" not in done.stderr, (command, done.stderr)
        assert offensive_lines(done.stdout + done.stderr) == [], command

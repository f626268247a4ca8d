"""One document model: every stage reads a ``str`` through ``Article.from_text``, and every output names exactly
what produced it (models by content), so resume redoes work exactly when an output-affecting input changes."""
from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from idnews.article import Article
from idnews.cli import main
from idnews.layout import markup_prefix
from idnews.summarization import summarize
from idnews.translation import Decoding, EngineConfig, Translator

from test_batch_helpers import make_pages, private_cache, tree_bytes  # noqa: F401 (fixtures)

LIST_INTRO = (
    "Pemerintah mengumumkan daerah yang rawan banjir pada musim hujan tahun ini kepada seluruh warga.\n\n"
    "Berikut daftar lengkapnya:\n\n"
    "1. Jakarta Utara\n2. Bekasi\n3. Tangerang Selatan\n\n"
    "Warga di daerah tersebut diminta menyiapkan tas siaga bencana sejak sekarang."
)
LONG_LINE_WITHOUT_PUNCTUATION = (
    "Badan Meteorologi memperkirakan hujan lebat disertai angin kencang akan melanda sebagian besar wilayah "
    "Jawa bagian barat hingga akhir pekan depan\n\n"
    "Warga diminta menghindari bepergian ke daerah pegunungan selama cuaca buruk berlangsung."
)
SINGLE_NEWLINES = (
    "Presiden meresmikan jembatan baru di Kalimantan Timur pada Senin pagi.\n"
    "Jembatan itu menghubungkan dua kabupaten yang selama ini terpisah sungai.\n"
    "Biaya pembangunan jembatan mencapai Rp 1,5 triliun menurut kementerian."
)
NUMBERED_SUBHEADINGS = (
    "Jakarta, IDN Times - Badan Meteorologi memprediksi hujan lebat di sejumlah wilayah pekan ini.\n\n"
    "1. Wilayah yang perlu waspada\n\n"
    "Wilayah pesisir utara Jawa diperkirakan menerima curah hujan paling tinggi selama tiga hari.\n\n"
    "2. Imbauan bagi warga\n\n"
    "Warga diimbau membersihkan saluran air dan menyiapkan nomor darurat di rumah masing-masing."
)
TEXTS = {
    "list intro": LIST_INTRO,
    "long line": LONG_LINE_WITHOUT_PUNCTUATION,
    "single newlines": SINGLE_NEWLINES,
    "numbered sub-headings": NUMBERED_SUBHEADINGS,
}


@pytest.fixture(scope="module")
def translator(tiny_marian: Path) -> Translator:  # noqa: F811
    return Translator(tiny_marian, backend="ct2", engine=EngineConfig(compute_type="float32"),
                      decoding=Decoding(beam_size=1, max_length=4), guard=None, detect_english=False).load()


def test_the_reader_decides_structure_once() -> None:
    intro = Article.from_text(LIST_INTRO)
    assert intro.paragraphs[2:5] == ["1. Jakarta Utara", "2. Bekasi", "3. Tangerang Selatan"]
    assert intro.headings == []  # the items a list intro announces are not sub-headings
    assert Article.from_text(LONG_LINE_WITHOUT_PUNCTUATION).headings == []
    assert len(Article.from_text(SINGLE_NEWLINES).paragraphs) == 3
    numbered = Article.from_text(NUMBERED_SUBHEADINGS)
    assert numbered.dateline == "Jakarta, IDN Times"
    assert [numbered.paragraphs[i] for i in numbered.headings] == ["1. Wilayah yang perlu waspada", "2. Imbauan bagi warga"]


def _texts_and_seeds(seeds_dir: Path) -> dict[str, str]:
    seeds = {path.name: path.read_text(encoding="utf-8") for path in sorted(seeds_dir.glob("*.txt"))}
    assert len(seeds) == 5
    return {**TEXTS, **seeds}


def test_translated_document_has_the_articles_paragraphs_and_headings(translator: Translator, seeds_dir: Path) -> None:
    for name, text in _texts_and_seeds(seeds_dir).items():
        article = Article.from_text(text)
        document = translator.translate_document(text)
        assert document.headings == article.headings, name
        assert len(document.paragraphs) == len(article.paragraphs), name
        for index, (paragraph, segments) in enumerate(zip(article.paragraphs, document.paragraphs)):
            body = paragraph[len(markup_prefix(paragraph)):]
            joined = "".join(s.source for s in segments)  # the splitter may part glued sentences ("x.Pada")
            assert joined.replace(" ", "") == body.replace(" ", ""), (name, index)
        assert (document.title.source if document.title else None) == article.title, name
        assert [b.source for b in document.bullets] == article.bullets, name


def test_translate_as_given_keeps_every_line_and_the_layout(translator: Translator) -> None:
    for name, text in TEXTS.items():
        verbatim = Article.from_text(text, clean=False)
        out = translator.translate(text)
        assert out.count("\n") == text.count("\n"), name
        assert len(translator.translate_document(verbatim).paragraphs) == len(verbatim.paragraphs), name
    assert Article.from_text(NUMBERED_SUBHEADINGS, clean=False).paragraphs[0].startswith("Jakarta, IDN Times -")


@pytest.mark.parametrize("method", ["lead", "textrank", "learned"])
def test_summaries_never_return_a_heading(method: str, seeds_dir: Path) -> None:
    for name, text in _texts_and_seeds(seeds_dir).items():
        article = Article.from_text(text)
        headings = {article.paragraphs[i] for i in article.headings}
        bullets = summarize(text, n=20, method=method)
        assert bullets, name
        assert not headings & set(bullets), name
        assert summarize(article, n=20, method=method) == bullets, name  # the same Article either way


# ------------------------------------------------------------------ resume identity


def _run(args: list[str], log: Path) -> dict[str, int]:
    """Run the CLI; returns the summary event of ``--log-json`` (counts of ok / skipped / failed files)."""
    log.unlink(missing_ok=True)
    with pytest.raises(SystemExit) as stopped:
        main([*args, "-q", "--log-json", str(log)])
    assert stopped.value.code in (0, None)
    events = [json.loads(line) for line in log.read_text(encoding="utf-8").splitlines()]
    assert events[-1]["event"] == "summary"
    return events[-1]


@pytest.fixture()
def two_models(tiny_marian: Path, tmp_path: Path, opus_config_dir: Path) -> tuple[Path, Path]:  # noqa: F811
    """Two different tiny models in folders of the same name (``a/tiny`` and ``b/tiny``)."""
    from idnews.testing import build_marian

    first = tmp_path / "a" / "tiny"
    shutil.copytree(tiny_marian, first)
    second = build_marian(tmp_path / "b" / "tiny", config_dir=opus_config_dir, size="tiny", seed=1)
    return first, second


def test_resume_redoes_work_exactly_when_what_produces_it_changes(tmp_path: Path, two_models: tuple[Path, Path]) -> None:
    first, second = two_models
    pages = make_pages(tmp_path / "pages", 3)
    out, log = tmp_path / "out", tmp_path / "log.jsonl"
    base = ["translate", str(pages), "--out", str(out), "--format", "json", "--beam-size", "1", "--max-length", "8",
            "--no-guard"]
    assert _run([*base, "--model", str(first)], log)["ok"] == 3

    # Nothing that leaves the output unchanged redoes it: the same run, batching, a copy of the model elsewhere,
    # a model file touched without a change of its bytes.
    assert _run([*base, "--model", str(first)], log)["skipped"] == 3
    assert _run([*base, "--model", str(first), "--batch-sentences", "2", "--max-batch-tokens", "64"], log)["skipped"] == 3
    moved = tmp_path / "elsewhere" / "renamed"
    shutil.copytree(first, moved)
    assert _run([*base, "--model", str(moved)], log)["skipped"] == 3
    weights = next(first.glob("*.safetensors"))
    weights.touch()
    assert _run([*base, "--model", str(first)], log)["skipped"] == 3
    reference = tree_bytes(out)

    # Every output-affecting change redoes it: another model in a folder of the same name, other bytes in the
    # same folder, and each decoding option.
    assert _run([*base, "--model", str(second)], log)["ok"] == 3
    assert tree_bytes(out) != reference
    assert _run([*base, "--model", str(first)], log)["ok"] == 3
    assert tree_bytes(out) == reference
    config = first / "generation_config.json"
    config.write_text(config.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    assert _run([*base, "--model", str(first)], log)["ok"] == 3
    for changed in (["--beam-size", "2"], ["--max-length", "9"], ["--guard"], ["--compute-type", "float32"]):
        args = [*base, "--model", str(first), *changed]
        assert _run(args, log)["ok"] == 3, changed
        assert _run(args, log)["skipped"] == 3, changed


def test_signatures_are_typed_and_name_models_by_content(translator: Translator, tiny_marian: Path) -> None:  # noqa: F811
    from idnews.batch.pipeline import Models, Options
    from idnews.summarization import get_summarizer

    signature = translator.signature
    assert signature.model.name == "tiny-marian" and len(signature.model.sha256) == 64
    assert signature.decoding == Decoding(beam_size=1, max_length=4) and signature.guard is None
    printed = str(signature)
    assert printed.startswith(f"model:tiny-marian@sha256:{signature.model.sha256[:12]}|backend:ct2|") and "idnews:" not in printed
    run = Models(translator, get_summarizer("learned")).signature(Options(task="process"), fmt="json")
    assert str(run).count("idnews:") == 1
    data = run.to_dict()
    assert data["translator"]["model"]["sha256"] == signature.model.sha256
    assert data["summarizer"]["model"]["name"] == "summarizer_extractive.json"
    assert run.digest() == Models(translator, get_summarizer("learned")).signature(Options(task="process"), fmt="json").digest()
    assert run.digest() != Models(translator, get_summarizer("lead")).signature(Options(task="process"), fmt="json").digest()

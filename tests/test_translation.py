"""The translation engine end to end on a tiny randomly initialised Marian model (real tokenizer).

Random weights produce gibberish — often the repetition loops the guard exists for — so these tests
check plumbing, layout, alignment, limits and backend agreement, never translation quality.
"""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from idnews.article import Article
from idnews.errors import ConfigError, IdnewsError, InputError, UnknownNameError
from idnews.testing import build_marian, convert_to_ct2
from idnews.text import split_sentences
from idnews.translation import (
    ENGLISH_NOTE, Decoding, EngineConfig, GuardSettings, Segment, TranslatedDocument, Translator, translate,
)

SENTENCES = [
    "Presiden Joko Widodo meresmikan jembatan baru di Jakarta pada hari Senin.",
    "Harga beras naik menjadi Rp 15.000 per kilogram di pasar tradisional.",
    "Warga berharap kemacetan berkurang setelah jembatan dibuka untuk umum.",
    "Polisi menangkap tiga tersangka pencurian sepeda motor di Bandung.",
    "Inflasi tahunan tercatat 2,5 persen pada bulan Oktober 2023.",
    "Pemerintah akan membangun 10 ribu rumah bagi keluarga berpenghasilan rendah.",
    "Hujan deras menyebabkan banjir di beberapa wilayah Jawa Tengah.",
    "Timnas Indonesia menang 2-1 atas Vietnam dalam laga persahabatan.",
    "Menteri Keuangan mengatakan ekonomi tumbuh lebih cepat dari perkiraan.",
    "Sekolah-sekolah diliburkan selama dua hari karena cuaca buruk.",
    "Ia mengaku belum menerima undangan resmi dari panitia.",
    "Kebakaran hutan di Kalimantan sudah padam setelah tiga minggu.",
]


@pytest.fixture(scope="module")
def ct2(tiny_ct2: Path) -> Translator:
    # one batch at a time, so that the spies below see every batch in order
    return Translator.from_options(
        tiny_ct2, backend="ct2", compute_type="float32", beam_size=1, guard=False, inter_threads=1
    ).load()


@pytest.fixture(scope="module")
def hf(tiny_marian: Path) -> Translator:
    return Translator.from_options(tiny_marian, backend="hf", compute_type="float32", beam_size=1, guard=False).load()


@pytest.fixture
def isolated_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("IDNEWS_CACHE", str(tmp_path / "idnews-cache"))
    return tmp_path / "idnews-cache"


def test_import_stays_light() -> None:
    heavy = "{'torch', 'transformers', 'ctranslate2', 'lingua'}"
    code = f"import sys, idnews.translation, idnews.testing; print(sorted({heavy} & set(sys.modules)))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


def test_tiny_model_is_deterministic_and_loads_offline(tiny_marian: Path, tmp_path: Path, opus_config_dir: Path) -> None:
    from transformers import AutoModelForSeq2SeqLM, AutoTokenizer

    again = build_marian(tmp_path / "again", config_dir=opus_config_dir, size="tiny", seed=0)
    assert (again / "model.safetensors").read_bytes() == (tiny_marian / "model.safetensors").read_bytes()
    model = AutoModelForSeq2SeqLM.from_pretrained(tiny_marian)
    assert model.config.vocab_size == 54796 and model.config.d_model == 32
    assert AutoTokenizer.from_pretrained(tiny_marian)("Saya makan.").input_ids[-1] == 0


def test_str_and_list_shapes(ct2: Translator) -> None:
    single = ct2.translate(SENTENCES[0])
    assert isinstance(single, str) and single
    batch = ct2.translate(["", SENTENCES[1], "   ", SENTENCES[0], "\n\n"])
    assert isinstance(batch, list) and len(batch) == 5
    assert batch[0] == "" and batch[2] == "   " and batch[4] == "\n\n"
    assert batch[3] == single
    assert ct2.translate([]) == []


def test_list_items_must_be_strings(ct2: Translator) -> None:
    with pytest.raises(InputError, match="item 1 is a int"):
        ct2.translate(["Saya makan.", 3])  # type: ignore[list-item]


def test_paragraphs_headings_and_alignment(ct2: Translator) -> None:
    text = (
        "Pembangunan Jembatan\n\n"
        + " ".join(SENTENCES[:3])
        + "\n\n## Dampak Ekonomi\n\n"
        + " ".join(SENTENCES[3:6])
        + "\n"
        + SENTENCES[6]
    )
    document = ct2.translate_document(text)
    assert isinstance(document, TranslatedDocument)
    assert document.headings == [0, 2]
    assert [len(p) for p in document.paragraphs] == [1, 3, 1, 3, 1]
    assert [s.source for s in document.paragraphs[1]] == split_sentences(" ".join(SENTENCES[:3]))
    assert all(s.target for p in document.paragraphs for s in p)
    article = Article.from_text(text)  # the one reading of a str: the document has its paragraphs and headings
    assert document.headings == article.headings and len(document.paragraphs) == len(article.paragraphs)
    out = document.text
    assert out.count("\n\n") == 4 and out.count("\n") == 8  # an article's paragraphs are blank-line separated
    assert out.split("\n\n")[2].startswith("## ")
    verbatim = ct2.translate(text)  # text as given: the exact line breaks are kept
    assert verbatim.count("\n\n") == 3 and verbatim.count("\n") == 7
    assert verbatim.splitlines()[4].startswith("## ")
    assert verbatim.replace("\n\n", "\n") == out.replace("\n\n", "\n")


def test_article_title_bullets_and_fifty_paragraphs(ct2: Translator) -> None:
    paragraphs = [" ".join(SENTENCES[i % 12 : i % 12 + 2]) for i in range(50)]
    article = Article(
        paragraphs=paragraphs,
        title="Jokowi Resmikan Jembatan Baru",
        bullets=["Jembatan menghubungkan dua kecamatan.", "Biaya pembangunan Rp 31 juta."],
        headings=[10],
    )
    document = ct2.translate_document(article)
    assert len(document.paragraphs) == 50
    assert document.title is not None and document.title.source == article.title and document.title.target
    assert [b.source for b in document.bullets] == article.bullets and all(b.target for b in document.bullets)
    assert document.headings == [10] and len(document.paragraphs[10]) == 1
    assert sum(len(p) for p in document.paragraphs) == sum(
        1 if i == 10 else len(split_sentences(p)) for i, p in enumerate(paragraphs)
    )
    assert len(document.text.split("\n\n")) == 50
    data = document.to_dict()
    assert data["title"]["source"] == article.title and len(data["paragraphs"]) == 50


def test_two_thousand_token_sentence_is_split_not_truncated(ct2: Translator, monkeypatch: pytest.MonkeyPatch) -> None:
    words = " ".join(SENTENCES).replace(".", "").split()
    sentence = " ".join(words[i % len(words)] for i in range(1750)) + "."
    codec = ct2._engine().codec
    assert codec.count([sentence])[0] >= 2000
    backend = ct2._engine().backend
    seen: list[int] = []
    real = backend.translate_batch

    def spy(source, prefix, decoding):  # type: ignore[no-untyped-def]
        seen.extend(len(s) for s in source)
        return real(source, prefix, decoding)

    monkeypatch.setattr(backend, "translate_batch", spy)
    [segment] = ct2.translate_sentences([sentence])
    assert segment.source == sentence
    assert any(w.startswith("long-sentence:") for w in segment.warnings)
    assert len(seen) >= 8 and max(seen) <= 256 + 1
    assert segment.target.count(" ") > 100


def test_hf_and_ct2_agree_with_greedy_float32(hf: Translator, ct2: Translator) -> None:
    hf_out = hf.translate_sentences(SENTENCES)
    ct2_out = ct2.translate_sentences(SENTENCES)
    assert [s.target for s in hf_out] == [s.target for s in ct2_out]
    assert len({s.target for s in ct2_out}) > 1


def test_forced_length_decodes_exactly_that_many_tokens(tiny_ct2: Path, tiny_marian: Path) -> None:
    for backend, folder in (("ct2", tiny_ct2), ("hf", tiny_marian)):
        decoding = Decoding(beam_size=1, max_length=7, min_length=7)
        fixed = Translator(folder, backend=backend, engine=EngineConfig(compute_type="float32"), decoding=decoding,
                           guard=None, detect_english=False)
        engine = fixed._engine()
        out = engine.backend.translate_batch(engine.codec.encode(SENTENCES[:3]), [], decoding)
        assert [len(o) for o in out] == [7, 7, 7], backend


def test_greedy_sentences_keep_their_own_length_limit_beside_longer_ones(hf: Translator, ct2: Translator) -> None:
    """Greedy batches mix length limits and cut each output back to its own; alone or beside a long sentence
    (a longer limit), every sentence gets the same words and the same cut flag. Random weights rarely stop, so
    most outputs run to their limit and the cut is exercised."""
    from idnews.translation.decoder import auto_length_limit, decode

    long_sentence = " ".join(SENTENCES[:5])
    short = SENTENCES[5:9]
    for translator in (ct2, hf):
        codec = translator._engine().codec
        lengths = [len(t) for t in codec.encode([*short, long_sentence])]
        assert len({auto_length_limit(n) for n in lengths}) > 1  # the long one has a larger limit
        together = decode(translator._engine(), [*short, long_sentence], translator.decoding)
        alone = [decode(translator._engine(), [s], translator.decoding) for s in short]
        assert together[0][:4] == [texts[0] for texts, _ in alone]
        assert together[1][:4] == [cut[0] for _, cut in alone]
        assert any(together[1])  # at least one output ran to its limit and was cut there


def test_guard_flags_loops_and_retries_with_safer_decoding(tiny_ct2: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    guarded = Translator.from_options(tiny_ct2, backend="ct2", compute_type="float32", beam_size=1, guard=True)
    backend = guarded._engine().backend
    settings = []
    real = backend.translate_batches

    def spy(batches, prefix, decodings):  # type: ignore[no-untyped-def]
        settings.extend(decodings)
        return real(batches, prefix, decodings)

    monkeypatch.setattr(backend, "translate_batches", spy)
    document = guarded.translate_document(" ".join(SENTENCES[:4]))
    plain = Translator.from_options(tiny_ct2, backend="ct2", compute_type="float32", beam_size=1, guard=False)
    looping = plain.translate_sentences(SENTENCES[:4])
    guard_kinds = ("repetition", "length-ratio", "missing-number", "untranslated")
    assert not [w for s in looping for w in s.warnings if w.startswith(guard_kinds)]
    assert settings[0].no_repeat_ngram_size == 0
    assert any(d.no_repeat_ngram_size == 3 and d.beam_size >= 4 and d.repetition_penalty > 1 for d in settings)
    flagged = [s for p in document.paragraphs for s in p if s.warnings]
    assert document.warning_count == len(flagged) > 0
    assert any(w.startswith("repetition") for s in flagged for w in s.warnings)


def test_english_input_passes_through(ct2: Translator) -> None:
    english = "The president inaugurated a new bridge in Jakarta on Monday.\n\nResidents hope traffic will ease."
    assert ct2.translate(english) == english
    document = ct2.translate_document(english)
    assert ENGLISH_NOTE in document.notes
    assert document.text == english
    forced = Translator.from_options(
        ct2.model, backend="ct2", compute_type="float32", beam_size=1, guard=False, detect_english=False
    )
    assert forced.translate(english) != english


def test_identical_sentences_are_decoded_once(ct2: Translator, monkeypatch: pytest.MonkeyPatch) -> None:
    backend = ct2._engine().backend
    sizes: list[int] = []
    real = backend.translate_batch

    def spy(source, prefix, decoding):  # type: ignore[no-untyped-def]
        sizes.append(len(source))
        return real(source, prefix, decoding)

    monkeypatch.setattr(backend, "translate_batch", spy)
    documents = list(ct2.translate_documents([SENTENCES[0], SENTENCES[1] + " " + SENTENCES[0], SENTENCES[2]]))
    assert len(documents) == 3 and sum(sizes) == 3 and len(sizes) == 1
    assert documents[0].paragraphs[0][0].target == documents[1].paragraphs[0][1].target


def test_auto_backend_converts_once_into_the_cache(tiny_marian: Path, isolated_cache: Path) -> None:
    first = Translator.from_options(tiny_marian, compute_type="float32", beam_size=1, guard=False)
    assert "backend:ct2" in str(first.signature) and "compute:float32" in str(first.signature)
    [conversion] = (isolated_cache / "ct2").iterdir()
    assert conversion.name.startswith("tiny-marian-") and conversion.name.endswith("-float32")
    stamp = (conversion / "model.bin").stat().st_mtime_ns
    second = Translator.from_options(tiny_marian, compute_type="float32", beam_size=1, guard=False)
    assert second.translate(SENTENCES[0]) == first.translate(SENTENCES[0])
    assert (conversion / "model.bin").stat().st_mtime_ns == stamp


def test_ct2_folder_with_hf_backend_is_a_clear_error(tiny_ct2: Path) -> None:
    with pytest.raises(InputError, match="CTranslate2 conversion"):
        Translator(tiny_ct2, backend="hf").load()


@pytest.mark.parametrize(
    ("options", "error", "option"),
    [
        ({"backend": "fairseq"}, UnknownNameError, None),
        ({"beam_size": 0}, ConfigError, "beam_size"),
        ({"max_batch_tokens": 0}, ConfigError, "max_batch_tokens"),
        ({"min_length": 9, "max_length": 4}, ConfigError, "min_length"),
        ({"max_repeats": 1}, ConfigError, "max_repeats"),
        ({"beam_width": 4}, ConfigError, "beam_width"),
    ],
)
def test_bad_options_fail_at_construction(options: dict, error: type[IdnewsError], option: str | None) -> None:
    with pytest.raises(error) as raised:
        Translator.from_options("opus-mt-id-en", **options)
    if option is not None:
        assert raised.value.option == option and str(raised.value).startswith(f"{option}: ")
        assert "<text>" not in str(raised.value)


def test_grouped_settings_are_checked_where_they_are_made() -> None:
    with pytest.raises(ConfigError, match="^beam_size: must be at least 1"):
        Decoding(beam_size=0)
    with pytest.raises(ConfigError, match="^ratio_bounds"):
        GuardSettings(ratio_bounds=(2.0, 1.0))
    with pytest.raises(ConfigError, match="^decoding: must be a Decoding"):
        Translator("opus-mt-id-en", decoding={"beam_size": 2})  # type: ignore[arg-type]
    flat = Translator.from_options("opus-mt-id-en", beam_size=2, max_length=9, guard=False, detect_english=False)
    assert flat.decoding == Decoding(beam_size=2, max_length=9) and flat.guard is None and not flat.detect_english


def test_unknown_document_type(ct2: Translator) -> None:
    with pytest.raises(InputError, match="pass a str or an Article"):
        ct2.translate_document(42)  # type: ignore[arg-type]


def test_module_level_translate_reuses_the_translator(tiny_ct2: Path) -> None:
    options = {"backend": "ct2", "compute_type": "float32", "beam_size": 1, "guard": False}
    first = translate([SENTENCES[0], ""], model=tiny_ct2, **options)
    assert first[1] == "" and first[0] == translate(SENTENCES[0], model=tiny_ct2, **options)
    from idnews.translation.translator import _shared_translator

    assert _shared_translator.cache_info().hits >= 1


def test_segments_never_share_their_warning_lists() -> None:
    first, second = Segment("a", "b"), Segment("c", "d")
    first.warnings.append("repetition")
    first.notes.append("already English")
    assert second.warnings == [] and second.notes == []


def test_hf_tokenizer_codec_matches_the_sentencepiece_fast_path(tiny_marian: Path) -> None:
    from idnews.translation.tokenization import HFTokenizerCodec, MarianCodec

    fast = MarianCodec(tiny_marian)
    generic = HFTokenizerCodec(tiny_marian, family="marian", source_lang="id", target_lang="en")
    assert fast.encode(SENTENCES) == generic.encode(SENTENCES)
    assert fast.count(SENTENCES) == generic.count(SENTENCES)
    ids = fast.to_ids(fast.encode(SENTENCES))
    assert ids == generic.to_ids(generic.encode(SENTENCES))
    assert fast.to_tokens(ids) == generic.to_tokens(ids)


def test_auto_falls_back_to_transformers_when_conversion_fails(
    tiny_marian: Path, isolated_cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from idnews.translation import models

    def broken(*args: object, **kwargs: object) -> Path:
        raise NotImplementedError("no converter for this architecture")

    monkeypatch.setattr(models, "converted", broken)
    translator = Translator.from_options(tiny_marian, beam_size=1, guard=False)
    assert "backend:hf" in str(translator.signature)
    with pytest.raises(NotImplementedError):
        Translator(tiny_marian, backend="ct2").load()


def test_nllb_conventions_in_both_backends(tmp_path: Path) -> None:
    from idnews.testing import build_tiny_nllb

    folder = build_tiny_nllb(tmp_path / "nllb", texts=SENTENCES * 3, vocab_size=400)
    conversion = convert_to_ct2(folder, tmp_path / "nllb-ct2")
    options = {"compute_type": "float32", "beam_size": 1, "guard": False, "detect_english": False, "max_length": 12}
    hf_translator = Translator.from_options(folder, backend="hf", **options)
    ct2_translator = Translator.from_options(conversion, backend="ct2", **options)
    codec = ct2_translator._engine().codec
    assert codec.target_prefix == ["eng_Latn"]
    [tokens] = codec.encode([SENTENCES[0]])
    assert tokens[0] == "ind_Latn" and tokens[-1] == "</s>"
    hf_out = [s.target for s in hf_translator.translate_sentences(SENTENCES[:6])]
    ct2_out = [s.target for s in ct2_translator.translate_sentences(SENTENCES[:6])]
    assert hf_out == ct2_out and all(hf_out)
    assert not any("eng_Latn" in t for t in ct2_out)


def test_ct2_path_never_imports_torch_or_transformers(tiny_ct2: Path) -> None:
    code = (
        "import sys; from idnews.translation import Translator; "
        f"Translator.from_options({str(tiny_ct2)!r}, backend='ct2', beam_size=1).translate('Presiden meresmikan jembatan.'); "
        "print(sorted({'torch', 'transformers'} & set(sys.modules)))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip().splitlines()[-1] == "[]"

"""Abstractive ``hf:``/``ct2:`` summarisers on tiny random models: loading, chunking, no truncation.

Random weights produce gibberish; these tests check plumbing only (never quality).
"""
from __future__ import annotations

import random
from pathlib import Path

import pytest

from idnews.errors import IdnewsError, ModelNotFoundError
from idnews.summarization import Summarizer, get_summarizer, summarize
from idnews.summarization.document import build_document
from idnews.summarization.seq2seq import Seq2SeqSummarizer

VOCABULARY = (
    "warga desa jalan rusak pemerintah kabupaten hujan deras banjir sungai jembatan sekolah guru murid pasar harga "
    "beras cabai minyak goreng petani sawah panen nelayan laut ikan kapal pelabuhan bandara pesawat kereta stasiun "
    "polisi kantor menteri presiden gubernur bupati rumah sakit dokter pasien obat vaksin listrik padam air bersih "
    "sampah taman kota gedung baru lama besar kecil cepat lambat"
).split()


def _sentence(seed: int) -> str:
    chosen = random.Random(seed).sample(VOCABULARY, 12)
    return " ".join(chosen).capitalize() + "."


SENTENCES = [_sentence(i) for i in range(24)]
LONG_ARTICLE = "\n\n".join(" ".join(SENTENCES[i : i + 2]) for i in range(0, len(SENTENCES), 2))


@pytest.fixture(scope="module")
def hf_summarizer(tiny_marian: Path):
    return get_summarizer(f"hf:{tiny_marian}", max_input_tokens=96, max_new_tokens=12, num_beams=1)


def test_long_article_is_chunked_within_the_limit_without_losing_text(hf_summarizer):
    usable = [build_document(LONG_ARTICLE).sentences[i].text for i in build_document(LONG_ARTICLE).candidates]
    chunks = hf_summarizer.chunks(usable)
    assert len(chunks) > 2
    assert all(hf_summarizer.count_tokens(c) <= hf_summarizer.budget for c in chunks)
    assert " ".join(chunks).split() == " ".join(usable).split()


def test_over_long_sentence_is_split_not_cut(hf_summarizer):
    sentence = " ".join(f"kata{i}" for i in range(300)) + "."
    pieces = hf_summarizer.chunks([sentence])
    assert len(pieces) > 1
    assert " ".join(pieces) == sentence
    assert all(hf_summarizer.count_tokens(p) <= hf_summarizer.budget for p in pieces)


def test_hf_summary_summarises_every_chunk_then_their_summaries(hf_summarizer, monkeypatch):
    inputs: list[str] = []
    outputs: list[str] = []
    original = hf_summarizer.generate

    def recording(texts: list[str]) -> list[str]:
        inputs.extend(texts)
        outputs.extend(original(texts))
        return outputs[-len(texts):]

    monkeypatch.setattr(hf_summarizer, "generate", recording)
    bullets = hf_summarizer.summarize(LONG_ARTICLE, n=3)
    chunks = hf_summarizer.chunks(SENTENCES)
    assert len(chunks) > 1 and inputs[: len(chunks)] == chunks
    joined = " ".join(outputs[: len(chunks)])
    fits = hf_summarizer.count_tokens(joined) <= hf_summarizer.budget
    assert inputs[len(chunks):] == ([joined] if fits else [])  # the summaries are summarised once, when they fit
    assert 1 <= len(bullets) <= 3
    assert all(isinstance(b, str) and b.strip() for b in bullets)


class WhitespaceTokenizer:
    """One token per word: enough for chunking without a model."""

    model_max_length = 64

    def __call__(self, texts, add_special_tokens: bool = False):
        if isinstance(texts, str):
            return {"input_ids": list(range(len(texts.split())))}
        return {"input_ids": [list(range(len(t.split()))) for t in texts]}


class ReversingSummarizer(Seq2SeqSummarizer):
    """Fills only the generation hooks: each "summary" is the input's sentences, last first."""

    name = "reversing"

    def _load_tokenizer(self, model: str) -> WhitespaceTokenizer:
        return WhitespaceTokenizer()

    def generate(self, texts: list[str]) -> list[str]:
        from idnews.text import split_sentences

        return [" ".join(reversed(split_sentences(text))) for text in texts]


ORDER_ARTICLE = "\n\n".join(SENTENCES[:3])


def test_seq2seq_order_option_is_honoured():
    importance = ReversingSummarizer("fake", order="importance").summarize(ORDER_ARTICLE, n=3)
    document = ReversingSummarizer("fake", order="document").summarize(ORDER_ARTICLE, n=3)
    assert importance == [SENTENCES[2], SENTENCES[1], SENTENCES[0]]
    assert document == [SENTENCES[0], SENTENCES[1], SENTENCES[2]]
    assert ReversingSummarizer("fake").order == "importance"


def test_seq2seq_follows_the_summarizer_template():
    assert "summarize" not in Seq2SeqSummarizer.__dict__  # validation and summarize belong to Summarizer
    summarizer = ReversingSummarizer("fake")
    assert isinstance(summarizer, Summarizer)
    with pytest.raises(IdnewsError, match="n must be a positive whole number"):
        summarizer.summarize(ORDER_ARTICLE, n=0)
    with pytest.raises(IdnewsError, match="does not use a reference summary"):
        summarizer.summarize(ORDER_ARTICLE, reference="Ringkasan.")
    with pytest.raises(IdnewsError, match="order must be one of document, importance"):
        ReversingSummarizer("fake", order="random")


def test_a_loaded_summarizer_can_be_passed_as_the_method(hf_summarizer):
    bullets = summarize("Harga beras naik lagi di pasar induk Cipinang pekan ini.", method=hf_summarizer, n=1)
    assert len(bullets) == 1


def test_ct2_summarizer_runs_a_converted_model(tiny_marian, tmp_path):
    pytest.importorskip("ctranslate2", reason="ctranslate2 runs ct2: models")
    from idnews.testing import convert_to_ct2

    folder = convert_to_ct2(tiny_marian, tmp_path / "ct2")
    summarizer = get_summarizer(f"ct2:{folder}", max_input_tokens=96, max_new_tokens=12, num_beams=1)
    assert len(summarizer.chunks(SENTENCES)) > 2
    bullets = summarizer.summarize(LONG_ARTICLE, n=2)
    assert 1 <= len(bullets) <= 2


def test_missing_models_fail_clearly(tmp_path):
    with pytest.raises(ModelNotFoundError, match="not a CTranslate2 model folder"):
        get_summarizer(f"ct2:{tmp_path}")
    with pytest.raises(ModelNotFoundError, match="no tokenizer for summarisation model"):
        get_summarizer(f"hf:{tmp_path / 'absent'}")


def test_english_bullets_come_from_the_translator(tiny_marian):
    from idnews.translation import Translator

    translator = Translator.from_options(str(tiny_marian), backend="hf", beam_size=1, guard=False, max_length=8)
    text = "\n\n".join(SENTENCES[:6])
    indonesian = summarize(text, n=3)
    english = summarize(text, n=3, lang="en", translator=translator)
    assert len(english) == len(indonesian) == 3
    assert english == translator.translate(indonesian)


def test_english_without_a_translation_model_raises_the_translators_error(empty_caches):
    with pytest.raises(ModelNotFoundError, match="not found offline") as caught:
        summarize("\n\n".join(SENTENCES[:4]), lang="en")
    assert f"Hugging Face cache {empty_caches / 'hf'}" in str(caught.value)

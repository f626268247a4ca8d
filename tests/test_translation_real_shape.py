"""The real-shape opus-mt-id-en network (74M parameters, random weights) through both backends.

Slow: builds the full-size model once per session and converts it to CTranslate2. Proves loading,
conversion, batching and backend agreement at the real shape; random weights say nothing of quality.
"""
from __future__ import annotations

from pathlib import Path

import pytest

from idnews.testing import build_marian, convert_to_ct2
from idnews.translation import Decoding, EngineConfig, Translator

pytestmark = pytest.mark.slow

SENTENCES = [
    "Presiden Joko Widodo meresmikan jembatan baru di Jakarta pada hari Senin.",
    "Harga beras naik menjadi Rp 15.000 per kilogram di pasar tradisional.",
    "Polisi menangkap tiga tersangka pencurian sepeda motor di Bandung.",
    "Inflasi tahunan tercatat 2,5 persen pada bulan Oktober 2023.",
]


@pytest.fixture(scope="session")
def real_dir(tmp_path_factory: pytest.TempPathFactory, opus_config_dir: Path) -> Path:
    return build_marian(tmp_path_factory.mktemp("real") / "marian", config_dir=opus_config_dir, size="real")


@pytest.fixture(scope="session")
def real_ct2(real_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return convert_to_ct2(real_dir, tmp_path_factory.mktemp("real-ct2") / "float32", quantization=None)


def test_real_shape_has_the_published_size(real_dir: Path) -> None:
    from transformers import AutoModelForSeq2SeqLM

    model = AutoModelForSeq2SeqLM.from_pretrained(real_dir)
    parameters = sum(p.numel() for p in model.parameters())  # shared embeddings counted once
    assert 72_000_000 < parameters < 75_000_000
    config = model.config
    assert (config.d_model, config.encoder_layers, config.decoder_layers) == (512, 6, 6)
    assert config.vocab_size == 54_796 and config.max_position_embeddings == 512


def test_real_shape_backends_agree_greedy_float32(real_dir: Path, real_ct2: Path) -> None:
    options = {"engine": EngineConfig(compute_type="float32"), "decoding": Decoding(beam_size=1, max_length=16),
               "guard": None, "detect_english": False}
    hf = Translator(real_dir, backend="hf", **options).translate_sentences(SENTENCES)
    ct2 = Translator(real_ct2, backend="ct2", **options).translate_sentences(SENTENCES)
    assert [s.target for s in hf] == [s.target for s in ct2]
    assert all(s.target for s in ct2) and len({s.target for s in ct2}) > 1


def test_real_shape_int8_long_sentence_and_beam(
    real_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("IDNEWS_CACHE", str(tmp_path / "cache"))
    translator = Translator.from_options(real_dir, backend="auto", beam_size=2, max_length=8, guard=True)
    assert "backend:ct2" in str(translator.signature) and "compute:int8" in str(translator.signature)
    long_sentence = ", ".join(SENTENCES * 30)
    [segment] = translator.translate_sentences([long_sentence])
    assert any(w.startswith("long-sentence:") for w in segment.warnings)
    assert segment.target
    assert (tmp_path / "cache" / "ct2").is_dir()

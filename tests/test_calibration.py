"""Calibration: cached per machine, model content and request; user settings win; bounded in time; a failure
falls back to the documented defaults with one warning; the thread layout never changes a word."""
from __future__ import annotations

import logging
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from idnews.testing import build_marian, convert_to_ct2
from idnews.translation import Translator
from idnews.translation import calibration as cal
from idnews.translation.backends import Decoding
from idnews.translation.batching import CostModel
from idnews.translation.calibration import Layout, Request
from idnews.translation.hugepages import PageMove

SENTENCES = [
    "Presiden Joko Widodo meresmikan jembatan baru di Jakarta pada hari Senin.",
    "Harga beras naik.",
    "Warga berharap kemacetan berkurang setelah jembatan dibuka untuk umum pada akhir bulan depan.",
    "Polisi menangkap tiga tersangka pencurian sepeda motor di Bandung.",
    "Inflasi tahunan tercatat 2,5 persen pada bulan Oktober 2023.",
    "Ia mengaku belum menerima undangan resmi dari panitia.",
    "Hujan deras menyebabkan banjir di beberapa wilayah Jawa Tengah, dan ratusan warga mengungsi.",
]


class FakeClock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


class FakeBackend:
    """Charges the fake clock per call: ``cost(layout, sentences)`` seconds."""

    def __init__(self, layout: Layout, clock: FakeClock, cost: Callable[[Layout, int], float]) -> None:
        self.layout, self.clock, self.cost = layout, clock, cost
        self.pages = PageMove(reason="a fake engine")

    def translate_batch(self, source: list[list[str]], prefix: list[str], decoding: Decoding) -> list[list[str]]:
        self.clock.now += self.cost(self.layout, len(source))
        return [["x"] * decoding.min_length for _ in source]

    def translate_batches(self, batches, prefix, decodings):  # type: ignore[no-untyped-def]
        return [self.translate_batch(b, prefix, d) for b, d in zip(batches, decodings)]


@pytest.fixture(autouse=True)
def _isolated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("IDNEWS_CACHE", str(tmp_path / "cache"))
    monkeypatch.setattr(cal, "SETTLE_S", 0.0)
    monkeypatch.setattr(cal, "physical_cores", lambda: 2)
    monkeypatch.setattr(cal, "DEFAULT_BUDGET_S", 120.0)  # a busy machine must not cut the tiny-model runs short
    cal._warned.clear()
    return tmp_path / "cache"


def fake_builder(clock: FakeClock, cost: Callable[[Layout, int], float], built: list[Layout]) -> Callable[[Layout], FakeBackend]:
    def build(layout: Layout) -> FakeBackend:
        built.append(layout)
        return FakeBackend(layout, clock, cost)

    return build


def one_thread_wins(layout: Layout, sentences: int) -> float:
    return 0.01 * sentences / (2.0 if layout.intra_threads == 1 else 1.0)


SAMPLE = [["▁a", "</s>"], ["▁b", "▁c", "</s>"]]


def test_measures_then_reuses_the_cache(_isolated: Path) -> None:
    clock, built = FakeClock(), []
    request = Request(device="cpu", compute_type="int8", beam_size=1)
    first = cal.calibrate(request, model_sha256="a" * 64, build=fake_builder(clock, one_thread_wins, built),
                          sample=SAMPLE, clock=clock)
    assert first.source == "measured" and first.layout.intra_threads == 1 and first.layout.inter_threads == 2
    assert {(m.layout.intra_threads, m.layout.inter_threads) for m in first.measurements} == {(2, 1), (1, 2)}
    assert "(chosen)" in first.table()
    assert len(list((_isolated / "calibration").glob("*.json"))) == 1
    built.clear()
    again = cal.calibrate(request, model_sha256="a" * 64, build=fake_builder(clock, one_thread_wins, built),
                          sample=SAMPLE, clock=clock)
    assert again.source == "cached" and again.layout == first.layout and built == []
    other_model = cal.calibrate(request, model_sha256="b" * 64, build=fake_builder(clock, one_thread_wins, built),
                                sample=SAMPLE, clock=clock)
    assert other_model.source == "measured" and built


def test_cache_key_changes_with_machine_version_and_request(monkeypatch: pytest.MonkeyPatch) -> None:
    request = Request(device="cpu", compute_type="int8", beam_size=1)
    key = cal.cache_key("a" * 64, request)
    assert cal.cache_key("a" * 64, Request(device="cpu", compute_type="int8", beam_size=4)) != key
    assert cal.cache_key("a" * 64, Request(device="cpu", compute_type="int8", beam_size=1, huge_pages=False)) != key
    monkeypatch.setattr("idnews.__version__", "999.0")
    assert cal.cache_key("a" * 64, request) != key
    monkeypatch.undo()
    monkeypatch.setattr(cal, "physical_cores", lambda: 64)
    assert cal.cache_key("a" * 64, request) != key


def test_user_settings_are_never_varied() -> None:
    clock, built = FakeClock(), []
    fixed = Request(device="cpu", compute_type="int8", beam_size=1, intra_threads=2, inter_threads=1, max_batch_tokens=512)
    result = cal.calibrate(fixed, model_sha256="a" * 64, build=fake_builder(clock, one_thread_wins, built), sample=SAMPLE)
    assert result.source == "user" and built == [] and result.layout == Layout(2, 1, 512)
    partly = Request(device="cpu", compute_type="int8", beam_size=1, intra_threads=2)
    result = cal.calibrate(partly, model_sha256="a" * 64, build=fake_builder(clock, one_thread_wins, built),
                           sample=SAMPLE, clock=clock)
    assert result.source == "measured" and {layout.intra_threads for layout in built} == {2}


def test_stops_at_its_time_budget() -> None:
    clock, built = FakeClock(), []
    slow = lambda layout, sentences: 1.0  # noqa: E731 - every call costs a second
    request = Request(device="cpu", compute_type="int8", beam_size=1)
    result = cal.calibrate(request, model_sha256="a" * 64, build=fake_builder(clock, slow, built), sample=SAMPLE,
                           budget_s=8.0, clock=clock)
    # one candidate is 1 warm-up + 4 stream calls + 2 batch calls (64 sentences on 2 workers) = 7 s; a second
    # would not fit
    assert clock.now <= 8.0 and len(result.measurements) == 1
    assert result.reason is not None and "time budget" in result.reason


def test_failure_falls_back_to_defaults_with_one_warning(caplog: pytest.LogCaptureFixture) -> None:
    def broken(layout: Layout) -> FakeBackend:
        raise RuntimeError("engine exploded")

    request = Request(device="cpu", compute_type="int8", beam_size=1, max_batch_tokens=777)
    with caplog.at_level(logging.WARNING, logger="idnews.translation.calibration"):
        first = cal.calibrate(request, model_sha256="a" * 64, build=broken, sample=SAMPLE)
        second = cal.calibrate(request, model_sha256="a" * 64, build=broken, sample=SAMPLE)
    assert first.source == second.source == "defaults"
    assert first.layout == Layout(2, cal.DEFAULT_INTER_THREADS, 777)
    assert "engine exploded" in (first.reason or "")
    assert len([r for r in caplog.records if "calibration failed" in r.getMessage()]) == 1


def test_gpu_candidates_from_a_fake_device_list() -> None:
    gpu = Request(device="cuda", compute_type="auto", beam_size=1)
    supported = {"float32", "float16", "int8_float16", "int8", "int8_float32"}
    assert cal.compute_types(gpu, supported, "float16") == ["int8_float16", "float16", "int8", "float32"]
    assert cal.thread_layouts(gpu, 8) == [(0, 1)]
    cpu = Request(device="cpu", compute_type="auto", beam_size=1)
    assert cal.compute_types(cpu, {"int8", "int8_float32", "float32"}, "int8") == ["int8", "int8_float32", "float32"]
    assert cal.compute_types(Request(device="cuda", compute_type="float16", beam_size=1), supported, "x") == ["float16"]

    clock, built = FakeClock(), []
    speed = {"int8_float16": 1.5, "float16": 1.0, "int8": 3.0, "float32": 2.0}
    result = cal.calibrate(gpu, model_sha256="a" * 64, sample=SAMPLE, clock=clock, supported=supported,
                           build=fake_builder(clock, lambda layout, n: 0.001 * n * speed[layout.compute_type], built))
    assert result.layout.compute_type == "float16" and result.layout.intra_threads == 0
    assert {layout.compute_type for layout in built} == set(speed)


# ---------------------------------------------------------------- with a real engine (tiny model)


@pytest.fixture
def _small_sample(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(cal, "BATCH_SENTENCES", 8)
    monkeypatch.setattr(cal, "SAMPLE_TARGET_TOKENS", 4)
    monkeypatch.setattr(cal, "BUDGET_CANDIDATES", (64, 4096))


@pytest.fixture(scope="module")
def tiny_ct2(tmp_path_factory: pytest.TempPathFactory, opus_config_dir: Path) -> Path:
    hf = build_marian(tmp_path_factory.mktemp("tiny") / "marian", config_dir=opus_config_dir, size="tiny", seed=0)
    return convert_to_ct2(hf, tmp_path_factory.mktemp("tiny-ct2") / "ct2", quantization=None)


@pytest.mark.usefixtures("_small_sample")
def test_translator_calibrates_once_per_model_and_user_settings_win(tiny_ct2: Path, tmp_path: Path) -> None:
    import shutil

    first = Translator(tiny_ct2, backend="ct2", compute_type="float32", guard=None).load()
    assert first.calibration.source == "measured" and first.calibration.measurements
    again = Translator(tiny_ct2, backend="ct2", compute_type="float32", guard=None).load()
    assert again.calibration.source == "cached" and again.calibration.layout == first.calibration.layout
    assert again.signature == first.signature  # the layout is not part of what decides the words

    changed = tmp_path / "changed"
    shutil.copytree(tiny_ct2, changed)
    (changed / "config.json").write_text((changed / "config.json").read_text() + "\n")
    assert Translator(changed, backend="ct2", compute_type="float32", guard=None).load().calibration.source == "measured"

    mine = Translator(tiny_ct2, backend="ct2", compute_type="float32", guard=None,
                      intra_threads=1, inter_threads=1, max_batch_tokens=300).load()
    assert mine.calibration.source == "user" and mine.calibration.layout == Layout(1, 1, 300)
    off = Translator(tiny_ct2, backend="ct2", compute_type="float32", guard=None, calibrate=False).load()
    assert off.calibration.source == "defaults"
    assert off.calibration.layout == Layout(2, cal.DEFAULT_INTER_THREADS, cal.DEFAULT_MAX_BATCH_TOKENS)


@pytest.mark.parametrize("max_length", [12, None])  # None: each sentence's own limit, from its length
@pytest.mark.parametrize("beam_size", [1, 3])
def test_outputs_are_byte_identical_whatever_the_layout(tiny_ct2: Path, beam_size: int, max_length: int | None) -> None:
    texts = SENTENCES + [" ".join(SENTENCES[:3]), "\n\n".join(SENTENCES[2:6])]
    results = set()
    for intra, inter, budget in [(1, 1, 4096), (2, 1, 4096), (1, 2, 4096), (2, 2, 64), (1, 2, 32)]:
        translator = Translator(tiny_ct2, backend="ct2", compute_type="float32", guard=None, calibrate=False,
                                decoding=Decoding(beam_size=beam_size, max_length=max_length), detect_english=False,
                                intra_threads=intra, inter_threads=inter, max_batch_tokens=budget)
        results.add(tuple(translator.translate(texts)))
        results.add(tuple(translator.translate(text) for text in texts))
    assert len(results) == 1


def test_batches_with_the_most_estimated_cost_go_to_the_engine_first(tiny_ct2: Path) -> None:
    translator = Translator(tiny_ct2, backend="ct2", compute_type="float32", guard=None, calibrate=False,
                            decoding=Decoding(beam_size=1, max_length=12), detect_english=False,
                            intra_threads=1, inter_threads=2, max_batch_tokens=64)
    backend = translator._engine().backend
    submitted: list[list[list[str]]] = []
    inner = backend.translate_batches

    def recording(batches, prefix, decodings):  # type: ignore[no-untyped-def]
        submitted.extend(batches)
        return inner(batches, prefix, decodings)

    backend.translate_batches = recording
    sentences = SENTENCES + ["Ya.", "Tidak.", "Mungkin saja."]
    translated = translator.translate_sentences(sentences)
    # every sentence decodes 12 steps: the cost model's estimate of each batch falls from the first to the last
    model = CostModel()
    work = [model.seconds(len(batch), max(len(tokens) for tokens in batch), 12) for batch in submitted]
    assert len(submitted) > 2 and work == sorted(work, reverse=True)
    backend.translate_batches = inner
    assert [s.target for s in translator.translate_sentences(sentences)] == [s.target for s in translated]


@pytest.mark.usefixtures("_small_sample")
def test_auto_precision_is_opt_in_and_recorded(tiny_ct2: Path) -> None:
    import ctranslate2

    auto = Translator(tiny_ct2, backend="ct2", compute_type="auto", guard=None).load()
    chosen = auto.signature.compute_type
    assert chosen in ctranslate2.get_supported_compute_types("cpu") and chosen == auto.calibration.layout.compute_type
    assert len({m.layout.compute_type for m in auto.calibration.measurements}) > 1
    plain = Translator(tiny_ct2, backend="ct2", guard=None).load()
    assert plain.signature.compute_type == "int8"  # never changed silently


def test_never_at_import_nor_construction(tmp_path: Path, tiny_ct2: Path, _isolated: Path) -> None:
    code = (
        "import sys, idnews, idnews.translation, idnews.translation.calibration\n"
        f"idnews.translation.Translator({str(tiny_ct2)!r}, backend='ct2')\n"
        "print(sorted({'ctranslate2', 'torch'} & set(sys.modules)))"
    )
    env = {**__import__("os").environ, "IDNEWS_CACHE": str(_isolated)}
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, env=env).stdout
    assert out.strip() == "[]" and not (_isolated / "calibration").exists()


@pytest.mark.usefixtures("_small_sample")
def test_models_tune_prints_the_table_and_caches_it(tiny_ct2: Path, _isolated: Path) -> None:
    from click.testing import CliRunner

    from idnews.cli import cli

    result = CliRunner().invoke(cli, ["models", "tune", str(tiny_ct2), "--compute-type", "float32", "--beam-size", "1"])
    assert result.exit_code == 0, result.output
    assert "| layout | stream tokens/s | batch tokens/s | score |" in result.output
    assert "(chosen)" in result.output and "chosen: intra" in result.output
    assert len(list((_isolated / "calibration").glob("*.json"))) == 1
    cached = Translator(tiny_ct2, backend="ct2", compute_type="float32", guard=None,
                        decoding=Decoding(beam_size=1)).load()
    assert cached.calibration.source == "cached"


@pytest.mark.usefixtures("_small_sample")
def test_folder_run_records_the_layout_as_run_metadata(tiny_ct2: Path, tmp_path: Path) -> None:
    import json

    from click.testing import CliRunner

    from idnews.cli import cli

    pages = tmp_path / "pages"
    pages.mkdir()
    (pages / "a.txt").write_text("\n\n".join(SENTENCES[:3]) + "\n", encoding="utf-8")
    log = tmp_path / "log.jsonl"
    result = CliRunner().invoke(cli, ["translate", str(pages), "--out", str(tmp_path / "out"), "--model", str(tiny_ct2),
                                      "--backend", "ct2", "--compute-type", "float32", "--beam-size", "1",
                                      "--max-length", "8", "--no-guard", "--quiet", "--log-json", str(log)])
    assert result.exit_code == 0, result.output
    summary = [json.loads(line) for line in log.read_text(encoding="utf-8").splitlines()][-1]
    layout = summary["translator_layout"]
    assert layout["source"] == "measured" and layout["intra_threads"] >= 1 and layout["max_batch_tokens"] >= 64
    assert "pages" in layout["memory"]  # "… MiB on 2 MiB pages" or "4 KiB pages (why)"

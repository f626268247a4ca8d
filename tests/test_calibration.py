"""Calibration: never unasked (the default reads what ``idnews models tune`` cached, else uses the defaults),
cached per machine, model content and request; user settings win; bounded in time; a failure falls back to the
defaults with one warning; the thread layout never changes a word."""
from __future__ import annotations

import logging
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from idnews.translation import EngineConfig, Translator
from idnews.translation import calibration as cal
from idnews.translation import config as engine_config
from idnews.translation.config import physical_cores as real_physical_cores
from idnews.translation.backends import Decoding
from idnews.translation.batching import CostModel

SENTENCES = [
    "Presiden Joko Widodo meresmikan jembatan baru di Jakarta pada hari Senin.",
    "Harga beras naik.",
    "Warga berharap kemacetan berkurang setelah jembatan dibuka untuk umum pada akhir bulan depan.",
    "Polisi menangkap tiga tersangka pencurian sepeda motor di Bandung.",
    "Inflasi tahunan tercatat 2,5 persen pada bulan Oktober 2023.",
    "Ia mengaku belum menerima undangan resmi dari panitia.",
    "Hujan deras menyebabkan banjir di beberapa wilayah Jawa Tengah, dan ratusan warga mengungsi.",
]
FLOAT32 = EngineConfig(compute_type="float32")
CPU_INT8 = EngineConfig(device="cpu", compute_type="int8")


class FakeClock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


class FakeBackend:
    """Charges the fake clock per call: ``cost(config, sentences)`` seconds."""

    def __init__(self, config: EngineConfig, clock: FakeClock, cost: Callable[[EngineConfig, int], float]) -> None:
        self.config, self.clock, self.cost = config, clock, cost

    def translate_batch(self, source: list[list[str]], prefix: list[str], decoding: Decoding) -> list[list[str]]:
        self.clock.now += self.cost(self.config, len(source))
        return [["x"] * decoding.min_length for _ in source]

    def translate_batches(self, batches, prefix, decodings):  # type: ignore[no-untyped-def]
        return [self.translate_batch(b, prefix, d) for b, d in zip(batches, decodings)]


@pytest.fixture(autouse=True)
def _isolated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("IDNEWS_CACHE", str(tmp_path / "cache"))
    monkeypatch.setattr(cal, "SETTLE_S", 0.0)
    monkeypatch.setattr(cal, "physical_cores", lambda: 2)
    monkeypatch.setattr(engine_config, "physical_cores", lambda: 2)
    monkeypatch.setattr(cal, "DEFAULT_BUDGET_S", 120.0)  # a busy machine must not cut the tiny-model runs short
    cal._warned.clear()
    return tmp_path / "cache"


def fake_builder(
    clock: FakeClock, cost: Callable[[EngineConfig, int], float], built: list[EngineConfig]
) -> Callable[[EngineConfig], FakeBackend]:
    def build(config: EngineConfig) -> FakeBackend:
        built.append(config)
        return FakeBackend(config, clock, cost)

    return build


def one_thread_wins(config: EngineConfig, sentences: int) -> float:
    return 0.01 * sentences / (2.0 if config.intra_threads == 1 else 1.0)


SAMPLE = [["▁a", "</s>"], ["▁b", "▁c", "</s>"]]


def test_measures_then_reuses_the_cache(_isolated: Path) -> None:
    clock, built = FakeClock(), []
    first = cal.calibrate(CPU_INT8, beam_size=1, model_sha256="a" * 64,
                          build=fake_builder(clock, one_thread_wins, built), sample=SAMPLE, clock=clock)
    assert first.source == "measured" and first.config.intra_threads == 1 and first.config.inter_threads == 2
    assert {(m.config.intra_threads, m.config.inter_threads) for m in first.measurements} == {(2, 1), (1, 2)}
    assert "(chosen)" in first.table()
    assert len(list((_isolated / "calibration").glob("*.json"))) == 1
    built.clear()
    again = cal.calibrate(CPU_INT8, beam_size=1, model_sha256="a" * 64,
                          build=fake_builder(clock, one_thread_wins, built), sample=SAMPLE, clock=clock)
    assert again.source == "cached" and again.config == first.config and built == []
    other_model = cal.calibrate(CPU_INT8, beam_size=1, model_sha256="b" * 64,
                                build=fake_builder(clock, one_thread_wins, built), sample=SAMPLE, clock=clock)
    assert other_model.source == "measured" and built


def test_the_default_never_measures_it_reads_what_tuning_cached(_isolated: Path) -> None:
    clock, built = FakeClock(), []
    build = fake_builder(clock, one_thread_wins, built)
    untuned = cal.calibrate(CPU_INT8, beam_size=1, model_sha256="a" * 64, build=build, sample=SAMPLE,
                            tuning="cached", clock=clock)
    # the defaults: two workers sharing the two physical cores, nothing built, nothing written
    assert untuned.source == "defaults" and built == [] and not (_isolated / "calibration").exists()
    assert untuned.config == EngineConfig(device="cpu", compute_type="int8", intra_threads=1, inter_threads=2,
                                          max_batch_tokens=4096, max_batch_size=64)
    assert "idnews models tune" in (untuned.reason or "")
    tuned = cal.calibrate(CPU_INT8, beam_size=1, model_sha256="a" * 64, build=build, sample=SAMPLE, force=True,
                          clock=clock)
    assert tuned.source == "measured" and built
    built.clear()
    later = cal.calibrate(CPU_INT8, beam_size=1, model_sha256="a" * 64, build=build, sample=SAMPLE,
                          tuning="cached", clock=clock)
    assert later.source == "cached" and later.config == tuned.config and built == []
    off = cal.calibrate(CPU_INT8, beam_size=1, model_sha256="a" * 64, build=build, sample=SAMPLE, tuning="off",
                        clock=clock)
    assert off.source == "defaults" and off.config == untuned.config and built == []


def test_calibrate_takes_its_modes_and_booleans() -> None:
    assert [cal.tuning_of(v) for v in ("off", "cached", "measure", True, False)] == [
        "off", "cached", "measure", "measure", "off"]
    with pytest.raises(Exception, match="calibrate"):
        cal.tuning_of("sometimes")


def test_cache_key_changes_with_machine_version_and_request(monkeypatch: pytest.MonkeyPatch) -> None:
    key = cal.cache_key("a" * 64, CPU_INT8, 1)
    assert cal.cache_key("a" * 64, CPU_INT8, 4) != key
    assert cal.cache_key("a" * 64, EngineConfig(device="cpu", compute_type="int8", max_batch_tokens=512), 1) != key
    assert cal.cache_key("b" * 64, CPU_INT8, 1) != key
    assert cal.cache_key("a" * 64, CPU_INT8, 1) == key
    monkeypatch.setattr("idnews.__version__", "999.0")
    assert cal.cache_key("a" * 64, CPU_INT8, 1) != key
    monkeypatch.undo()
    monkeypatch.setattr(cal, "physical_cores", lambda: 64)
    assert cal.cache_key("a" * 64, CPU_INT8, 1) != key


def test_user_settings_are_never_varied() -> None:
    clock, built = FakeClock(), []
    fixed = EngineConfig(device="cpu", compute_type="int8", intra_threads=2, inter_threads=1, max_batch_tokens=512)
    result = cal.calibrate(fixed, beam_size=1, model_sha256="a" * 64, build=fake_builder(clock, one_thread_wins, built),
                           sample=SAMPLE)
    assert result.source == "user" and built == []
    assert (result.config.intra_threads, result.config.inter_threads, result.config.max_batch_tokens) == (2, 1, 512)
    partly = EngineConfig(device="cpu", compute_type="int8", intra_threads=2)
    result = cal.calibrate(partly, beam_size=1, model_sha256="a" * 64,
                           build=fake_builder(clock, one_thread_wins, built), sample=SAMPLE, clock=clock)
    assert result.source == "measured" and {config.intra_threads for config in built} == {2}


def test_stops_at_its_time_budget() -> None:
    clock, built = FakeClock(), []
    slow = lambda config, sentences: 1.0  # noqa: E731 - every call costs a second
    result = cal.calibrate(CPU_INT8, beam_size=1, model_sha256="a" * 64, build=fake_builder(clock, slow, built),
                           sample=SAMPLE, budget_s=8.0, clock=clock)
    # the first candidate (2 threads × 1 worker) is 1 warm-up + 4 stream calls + 1 batch of the 64 sentences
    # = 6 s; a second as slow would end at 12 s, past the budget
    assert clock.now == 6.0 and len(result.measurements) == 1
    assert result.reason is not None and "time budget" in result.reason


def test_failure_falls_back_to_defaults_with_one_warning(caplog: pytest.LogCaptureFixture) -> None:
    def broken(config: EngineConfig) -> FakeBackend:
        raise RuntimeError("engine exploded")

    requested = EngineConfig(device="cpu", compute_type="int8", max_batch_tokens=777)
    with caplog.at_level(logging.WARNING, logger="idnews.translation.calibration"):
        first = cal.calibrate(requested, beam_size=1, model_sha256="a" * 64, build=broken, sample=SAMPLE)
        second = cal.calibrate(requested, beam_size=1, model_sha256="a" * 64, build=broken, sample=SAMPLE)
    assert first.source == second.source == "defaults"
    assert (first.config.intra_threads, first.config.inter_threads, first.config.max_batch_tokens) == (1, 2, 777)
    assert "engine exploded" in (first.reason or "")
    assert len([r for r in caplog.records if "calibration failed" in r.getMessage()]) == 1


def test_gpu_candidates_from_a_fake_device_list() -> None:
    gpu = EngineConfig(device="cuda", compute_type="auto")
    supported = {"float32", "float16", "int8_float16", "int8", "int8_float32"}
    assert cal.compute_types(gpu, supported, "float16") == ["int8_float16", "float16", "int8", "float32"]
    assert cal.thread_layouts(gpu, 8) == [(0, 1)]
    cpu = EngineConfig(device="cpu", compute_type="auto")
    assert cal.compute_types(cpu, {"int8", "int8_float32", "float32"}, "int8") == ["int8", "int8_float32", "float32"]
    assert cal.compute_types(EngineConfig(device="cuda", compute_type="float16"), supported, "x") == ["float16"]

    clock, built = FakeClock(), []
    speed = {"int8_float16": 1.5, "float16": 1.0, "int8": 3.0, "float32": 2.0}
    result = cal.calibrate(gpu, beam_size=1, model_sha256="a" * 64, sample=SAMPLE, clock=clock, supported=supported,
                           build=fake_builder(clock, lambda config, n: 0.001 * n * speed[str(config.compute_type)], built))
    assert result.config.compute_type == "float16" and result.config.intra_threads == 0
    assert {config.compute_type for config in built} == set(speed)


# ---------------------------------------------------------------- with a real engine (tiny model)


@pytest.fixture
def _small_sample(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(cal, "BATCH_SENTENCES", 8)
    monkeypatch.setattr(cal, "SAMPLE_TARGET_TOKENS", 4)
    monkeypatch.setattr(cal, "BUDGET_CANDIDATES", (64, 4096))


@pytest.mark.usefixtures("_small_sample")
def test_translator_measures_only_when_asked_and_user_settings_win(tiny_ct2: Path, tmp_path: Path) -> None:
    import shutil

    plain = Translator(tiny_ct2, backend="ct2", engine=FLOAT32, guard=None).load()
    assert plain.calibration.source == "defaults" and not plain.calibration.measurements
    first = Translator(tiny_ct2, backend="ct2", engine=FLOAT32, guard=None, calibrate="measure").load()
    assert first.calibration.source == "measured" and first.calibration.measurements
    again = Translator(tiny_ct2, backend="ct2", engine=FLOAT32, guard=None).load()
    assert again.calibration.source == "cached" and again.calibration.config == first.calibration.config
    assert again.signature == first.signature  # the layout is not part of what decides the words

    changed = tmp_path / "changed"
    shutil.copytree(tiny_ct2, changed)
    (changed / "config.json").write_text((changed / "config.json").read_text() + "\n")
    assert Translator(changed, backend="ct2", engine=FLOAT32, guard=None).load().calibration.source == "defaults"

    mine = Translator(tiny_ct2, backend="ct2", guard=None, calibrate=True,
                      engine=EngineConfig(compute_type="float32", intra_threads=1, inter_threads=1,
                                          max_batch_tokens=300)).load()
    assert mine.calibration.source == "user" and not mine.calibration.measurements
    assert (mine.calibration.config.intra_threads, mine.calibration.config.inter_threads) == (1, 1)
    assert mine.calibration.config.max_batch_tokens == 300
    off = Translator(tiny_ct2, backend="ct2", engine=FLOAT32, guard=None, calibrate=False).load()
    assert off.calibration.source == "defaults" and off.calibration.config == plain.calibration.config


def test_default_threads_follow_the_physical_cores(monkeypatch: pytest.MonkeyPatch) -> None:
    # CTranslate2's advice: intra × inter within the physical cores; two workers where there are two cores
    assert (EngineConfig().resolved("cpu", "int8", cores=8).intra_threads, 8 // 2) == (4, 4)
    assert EngineConfig().resolved("cpu", "int8", cores=8).inter_threads == 2
    one = EngineConfig().resolved("cpu", "int8", cores=1)
    assert (one.intra_threads, one.inter_threads) == (1, 1)
    mine = EngineConfig(inter_threads=4).resolved("cpu", "int8", cores=8)
    assert (mine.intra_threads, mine.inter_threads) == (2, 4)
    gpu = EngineConfig().resolved("cuda", "float16", cores=8)
    assert (gpu.intra_threads, gpu.inter_threads) == (0, 1)


def test_physical_cores_count_cores_not_hyper_threads(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # four logical CPUs: two cores with two hyper-threads each; the process may use CPUs 0, 1 and 2
    for cpu, core in [(0, 0), (1, 0), (2, 1), (3, 1)]:
        topology = tmp_path / "cpu" / f"cpu{cpu}" / "topology"
        topology.mkdir(parents=True)
        (topology / "physical_package_id").write_text("0\n")
        (topology / "core_id").write_text(f"{core}\n")
    monkeypatch.setattr(engine_config, "_CPU_ROOT", tmp_path / "cpu")
    monkeypatch.setattr(engine_config, "_CGROUP_CPU_MAX", tmp_path / "no-cgroup")
    monkeypatch.setattr(engine_config.os, "sched_getaffinity", lambda pid: {0, 1, 2})
    assert real_physical_cores() == 2
    (tmp_path / "cpu.max").write_text("150000 100000\n")  # a container quota of 1.5 CPUs: one whole core and a part
    monkeypatch.setattr(engine_config, "_CGROUP_CPU_MAX", tmp_path / "cpu.max")
    assert real_physical_cores() == 2
    (tmp_path / "cpu.max").write_text("100000 100000\n")
    assert real_physical_cores() == 1
    (tmp_path / "cpu.max").write_text("max 100000\n")
    assert real_physical_cores() == 2


@pytest.mark.parametrize("max_length", [12, None])  # None: each sentence's own limit, from its length
@pytest.mark.parametrize("beam_size", [1, 3])
def test_outputs_are_byte_identical_whatever_the_layout(tiny_ct2: Path, beam_size: int, max_length: int | None) -> None:
    texts = SENTENCES + [" ".join(SENTENCES[:3]), "\n\n".join(SENTENCES[2:6])]
    results = set()
    for intra, inter, budget in [(1, 1, 4096), (2, 1, 4096), (1, 2, 4096), (2, 2, 64), (1, 2, 32)]:
        translator = Translator(tiny_ct2, backend="ct2", guard=None, detect_english=False,
                                decoding=Decoding(beam_size=beam_size, max_length=max_length),
                                engine=EngineConfig(compute_type="float32", intra_threads=intra, inter_threads=inter,
                                                    max_batch_tokens=budget))
        results.add(tuple(translator.translate(texts)))
        results.add(tuple(translator.translate(text) for text in texts))
    assert len(results) == 1


def test_batches_with_the_most_estimated_cost_go_to_the_engine_first(tiny_ct2: Path) -> None:
    translator = Translator(tiny_ct2, backend="ct2", guard=None, detect_english=False,
                            decoding=Decoding(beam_size=1, max_length=12),
                            engine=EngineConfig(compute_type="float32", intra_threads=1, inter_threads=2,
                                                max_batch_tokens=64))
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
def test_auto_precision_is_opt_in_and_recorded(tiny_ct2: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import ctranslate2

    # two precisions every CPU build runs at full speed (bfloat16 is emulated, and slow, on CPUs without it)
    monkeypatch.setitem(cal.AUTO_COMPUTE_TYPES, "cpu", ("int8", "float32"))

    auto = Translator(tiny_ct2, backend="ct2", engine=EngineConfig(compute_type="auto"), guard=None,
                      calibrate="measure").load()
    chosen = auto.signature.compute_type
    assert chosen in ctranslate2.get_supported_compute_types("cpu") and chosen == auto.calibration.config.compute_type
    assert len({m.config.compute_type for m in auto.calibration.measurements}) > 1
    untuned = Translator(tiny_ct2, backend="ct2", engine=EngineConfig(compute_type="auto"), guard=None,
                         calibrate="off").load()
    assert untuned.signature.compute_type == "int8"  # the device's default when nothing was measured
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
    assert "(chosen)" in result.output and "chosen: intra" in result.output and "later loads" in result.output
    assert len(list((_isolated / "calibration").glob("*.json"))) == 1
    cached = Translator(tiny_ct2, backend="ct2", engine=FLOAT32, guard=None, decoding=Decoding(beam_size=1)).load()
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
                                      "--max-length", "8", "--no-guard", "--quiet", "--log-json", str(log),
                                      "--calibrate", "measure"])
    assert result.exit_code == 0, result.output
    summary = [json.loads(line) for line in log.read_text(encoding="utf-8").splitlines()][-1]
    layout = summary["translator_layout"]
    assert layout["source"] == "measured" and layout["intra_threads"] >= 1 and layout["max_batch_tokens"] in (64, 4096)
    assert layout["compute_type"] == "float32" and layout["device"] == "cpu"

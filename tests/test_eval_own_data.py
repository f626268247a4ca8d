"""Evaluating on your own data: file pairs, tables with field mappings, saved and cached ``datasets`` datasets,
in ``idnews eval summaries``/``translation`` and in suite files; clear errors; ``--limit`` for every kind."""
from __future__ import annotations

import json
import random
import socket
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from idnews.cli import cli
from idnews.errors import InputError, UnknownNameError
from idnews.evaluation.datasets import load_eval_dataset
from idnews.evaluation.dataspec import DataSpec, parse_hub_id

from conftest import cache_hub_dataset, require_shared, write_jsonl, write_lines

FLORES = ("data", "mt", "flores200_devtest")


def invoke(*args: str, env: dict[str, str] | None = None):  # type: ignore[no-untyped-def]
    result = CliRunner(env=env).invoke(cli, ["eval", *args])
    return result


def save_dataset(folder: Path, columns: dict[str, list[object]], split: str | None = None) -> Path:
    import datasets

    data = datasets.Dataset.from_dict(columns)
    (datasets.DatasetDict({split: data}) if split else data).save_to_disk(str(folder))
    return folder


@pytest.fixture(scope="module")
def flores50() -> tuple[list[str], list[str]]:
    folder = require_shared(*FLORES)
    sources = (folder / "devtest.ind_Latn").read_text(encoding="utf-8").splitlines()[:50]
    references = (folder / "devtest.eng_Latn").read_text(encoding="utf-8").splitlines()[:50]
    return sources, references


# --- specs -----------------------------------------------------------------------------------------
def test_spec_strings_are_parsed_and_checked():
    pair = DataSpec.parse("pair:a/src.id,a/ref.en")
    assert (pair.data, pair.ref, pair.label()) == ("a/src.id", "a/ref.en", "pair:a/src.id,a/ref.en")
    hub = DataSpec.parse("hf:redaksi/berita:ringkas@test", input_field="isi")
    assert hub.hub_id() == parse_hub_id("hf:redaksi/berita:ringkas@test")
    assert (hub.split, hub.hub_id().config, str(hub)) == ("test", "ringkas", "hf:redaksi/berita:ringkas@test [input=isi]")
    assert DataSpec.parse("hf:redaksi/berita", split="dev").hub_id().split == "dev"
    for bad, message in [
        ("pair:only-one", "pair:SOURCE_FILE,REFERENCE_FILE"),
        ("hf:no-owner", "not a hub id"),
        ("hf:a/b@test@x", "not a hub id"),
    ]:
        with pytest.raises(InputError, match=message):
            DataSpec.parse(bad)
    with pytest.raises(InputError, match="names split 'test' but the split 'dev'"):
        DataSpec.parse("hf:a/b@test", split="dev")
    with pytest.raises(InputError, match="already names its reference file"):
        DataSpec.parse("pair:a,b", ref="c")


# --- done when: the same 50 segments in three forms ------------------------------------------------
@pytest.mark.slow
def test_the_same_segments_as_pair_jsonl_and_saved_dataset_score_identically(tmp_path, flores50, tiny_marian, monkeypatch):
    monkeypatch.setenv("IDNEWS_CACHE", str(tmp_path / "cache"))
    sources, references = flores50
    src, ref = write_lines(tmp_path / "berita.id", sources), write_lines(tmp_path / "berita.en", references)
    table = write_jsonl(tmp_path / "berita.jsonl", [{"no": i, "kalimat": s, "terjemahan": r} for i, (s, r) in enumerate(zip(sources, references))])
    saved = save_dataset(tmp_path / "berita-saved", {"kalimat": sources, "terjemahan": references}, split="test")
    fields = ["--source-field", "kalimat", "--reference-field", "terjemahan"]
    forms = {
        "pair": ["--data", str(src), "--ref", str(ref)],
        "jsonl": ["--data", str(table), *fields],
        "saved": ["--data", str(saved), "--split", "test", *fields],
    }
    runs = {}
    for form, data_args in forms.items():
        out = tmp_path / f"{form}.json"
        result = invoke("translation", *data_args, "--model", str(tiny_marian), "--backend", "ct2", "--beam-size", "1",
                        "--bootstrap", "200", "--json", str(out))
        assert result.exit_code == 0, result.output
        assert "(50 items, hash " in result.output
        runs[form] = json.loads(out.read_text())
    builtin = load_eval_dataset("flores200-devtest", limit=50)
    hashes = {form: run["data_hash"] for form, run in runs.items()}
    assert set(hashes.values()) == {builtin.content_hash}, hashes
    scores = {form: {name: (s["mean"], s["ci95"]) for name, s in run["scores"].items()} for form, run in runs.items()}
    assert scores["pair"] == scores["jsonl"] == scores["saved"]
    assert set(scores["pair"]) == {"bleu", "chrf", "chrf++", "ter"} and runs["pair"]["n"] == 50
    assert runs["saved"]["data_spec"].endswith("[split=test input=kalimat reference=terjemahan]")
    assert "split:test" in runs["saved"]["signature"] and runs["pair"]["data_spec"].startswith("pair:")


# --- done when: renamed columns in a saved dataset, LEAD-3 against rouge-score ---------------------
SUBJECTS = ["Pemerintah kota", "Warga desa", "Polisi daerah", "Petani padi", "Para nelayan", "Dinas kesehatan",
            "Gubernur provinsi", "Pedagang pasar", "Tim penyelamat", "Kementerian pertanian"]
VERBS = ["meresmikan", "memeriksa", "membangun", "membersihkan", "mengunjungi", "memperbaiki", "menutup", "membuka"]
OBJECTS = ["jembatan baru", "pasar tradisional", "saluran irigasi", "sekolah dasar", "rumah sakit umum",
           "jalan utama", "pelabuhan ikan", "gudang beras", "taman kota", "bendungan kecil"]
PLACES = ["Bandung", "Cianjur", "Medan", "Makassar", "Padang", "Kupang", "Ambon", "Pontianak", "Jambi", "Kendari"]
TIMES = ["pada Senin pagi", "pada Selasa siang", "sejak pekan lalu", "pada akhir bulan", "menjelang musim hujan"]


def _sentence(rng: random.Random) -> str:
    return (f"{rng.choice(SUBJECTS)} {rng.choice(VERBS)} {rng.choice(OBJECTS)} di {rng.choice(PLACES)} "
            f"{rng.choice(TIMES)} bersama {rng.choice(SUBJECTS).lower()}.")


def _articles(count: int, seed: int = 3) -> tuple[list[str], list[list[str]], list[list[str]]]:
    rng = random.Random(seed)
    texts, leads, summaries = [], [], []
    for _ in range(count):
        sentences = [_sentence(rng) for _ in range(6)]
        texts.append(" ".join(sentences[:2]) + "\n\n" + " ".join(sentences[2:4]) + "\n\n" + " ".join(sentences[4:]))
        leads.append(sentences[:3])
        summaries.append([rng.choice(sentences), _sentence(rng)])
    return texts, leads, summaries


def test_saved_dataset_with_renamed_columns_lead3_matches_rouge_score(tmp_path):
    from rouge_score import rouge_scorer

    texts, leads, summaries = _articles(30)
    folder = save_dataset(tmp_path / "ringkasan-berita", {"judul": [f"Berita {i}" for i in range(30)], "isi": texts, "ringkasan": summaries})
    out = tmp_path / "lead.json"
    result = invoke("summaries", "--data", str(folder), "--text-field", "isi", "--reference-field", "ringkasan",
                    "--method", "lead", "--n", "3", "--bootstrap", "0", "--json", str(out))
    assert result.exit_code == 0, result.output
    ours = json.loads(out.read_text())
    assert ours["n"] == 30
    scorer = rouge_scorer.RougeScorer(["rouge1", "rouge2", "rougeL"], use_stemmer=False)
    for name in ("rouge1", "rouge2", "rougeL"):
        direct = [scorer.score("\n".join(ref), "\n".join(lead))[name].fmeasure for lead, ref in zip(leads, summaries)]
        assert ours["scores"][name]["mean"] == pytest.approx(100 * sum(direct) / len(direct), abs=0.1), name


# --- done when: a suite mixing a built-in set, a file pair and a saved dataset ---------------------
def test_suite_mixing_builtin_pair_and_saved_dataset_runs_offline(tmp_path, tiny_marian, flores50, monkeypatch):
    require_shared("data", "mt", "nusax_mt")
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    sources, references = flores50
    mine = tmp_path / "mine"
    mine.mkdir()
    write_lines(mine / "berita.id", sources[:10])
    write_lines(mine / "berita.en", references[:10])
    save_dataset(mine / "saved", {"kalimat": sources[10:20], "terjemahan": references[10:20]})
    suite = tmp_path / "mixed.yaml"
    suite.write_text(
        "name: mixed\nbootstrap: 100\ntasks:\n  - task: translation\n    data:\n      - nusax-test\n"
        "      - pair:mine/berita.id,mine/berita.en\n"
        "      - {path: mine/saved, source_field: kalimat, reference_field: terjemahan}\n"
        f"    models: ['{tiny_marian}']\n    limit: 6\n"
        "    options: {backend: ct2, beam_size: 1, max_length: 12, guard: false}\n",
        encoding="utf-8",
    )
    out = tmp_path / "report"
    process = subprocess.run(
        [sys.executable, "-m", "idnews", "eval", "run", str(suite), "--out", str(out)], capture_output=True, text=True,
        cwd=tmp_path.parent, env={**__import__("os").environ, "IDNEWS_CACHE": str(tmp_path / "cache")},
    )
    assert process.returncode == 0, process.stderr[-3000:]
    rows = {r["data"]: r for r in json.loads((out / "results.json").read_text())["results"]}
    assert list(rows) == ["nusax-test", "pair:mine/berita.id,mine/berita.en", "mine/saved"]
    assert all(r["status"] == "ok" and r["n"] == 6 for r in rows.values())
    assert rows["mine/saved"]["data_spec"] == "mine/saved [input=kalimat reference=terjemahan]"
    pair_hash = load_eval_dataset(DataSpec.parse(str(mine / "berita.id"), ref=str(mine / "berita.en")), limit=6).content_hash
    assert rows["pair:mine/berita.id,mine/berita.en"]["data_hash"] == pair_hash
    report, page = (out / "report.md").read_text(), (out / "report.html").read_text()
    for row in rows.values():
        assert f"content hash <code>{row['data_hash']}</code>" in page
        assert f"Data: `{row['data_spec']}`, content hash `{row['data_hash']}`." in report
        spec = "" if row["data_spec"] == row["data"] else f"{row['data_spec']}, "
        assert f"translation: {row['data']} ({spec}hash {row['data_hash']})" in process.stdout
    outputs = sorted(p.name for p in (out / "outputs").iterdir())
    assert "pair-mine-berita-id-mine-berita-en.ref.txt" in outputs and "mine-saved.ref.txt" in outputs
    assert all("/" not in p.name for p in (out / "plots").iterdir())


# --- tables -----------------------------------------------------------------------------------------
def test_csv_and_tsv_tables_with_field_mapping(tmp_path):
    rows = [("Harga beras naik tajam di pasar. Pemerintah menyiapkan operasi pasar.", "Harga beras naik."),
            ("Gempa mengguncang Cianjur pagi ini. Ratusan rumah rusak.", "Gempa di Cianjur.")]
    csv_file = tmp_path / "berita.csv"
    csv_file.write_text('isi,ringkasan\n"' + rows[0][0] + '","' + rows[0][1] + '"\n' + rows[1][0] + "," + rows[1][1] + "\n", encoding="utf-8")
    tsv_file = tmp_path / "berita.tsv"
    tsv_file.write_text("isi\tringkasan\n" + "".join(f"{a}\t{b}\n" for a, b in rows), encoding="utf-8")
    for path in (csv_file, tsv_file):
        spec = DataSpec.parse(str(path), input_field="isi", reference_field="ringkasan")
        dataset = load_eval_dataset(spec, task="summaries")
        assert [(i.text, i.references) for i in dataset.items] == [(a, [b]) for a, b in rows]
        assert [i.id for i in dataset.items] == ["1", "2"]  # numbered like the lines of a JSONL file
    assert load_eval_dataset(DataSpec.parse(str(csv_file), input_field="isi", reference_field="ringkasan"),
                             task="summaries").content_hash == dataset.content_hash


def test_list_fields_mean_sentences_paragraphs_or_several_references(tmp_path):
    summaries = write_jsonl(tmp_path / "s.jsonl", [
        {"paragraf": ["Paragraf satu.", "Paragraf dua."], "poin": ["Poin satu.", "Poin dua."]},
        {"paragraf": "Teks biasa.", "poin": [["Ringkasan A."], ["Ringkasan B.", "Kalimat dua."]]},
    ])
    items = load_eval_dataset(DataSpec.parse(str(summaries), input_field="paragraf", reference_field="poin"), task="summaries").items
    assert items[0].text == "Paragraf satu.\n\nParagraf dua." and items[0].references == [["Poin satu.", "Poin dua."]]
    assert items[1].references == [["Ringkasan A."], ["Ringkasan B.", "Kalimat dua."]]
    translation = write_jsonl(tmp_path / "t.jsonl", [{"source": "Satu.", "reference": ["One.", "A single one."]},
                                                    {"source": "Dua.", "reference": ["Two.", "A pair."]}])
    items = load_eval_dataset(str(translation), task="translation").items
    assert [i.references for i in items] == [("One.", "A single one."), ("Two.", "A pair.")]
    write_jsonl(translation, [{"source": "Satu.", "reference": ["One.", "A single one."]}, {"source": "Dua.", "reference": "Two."}])
    with pytest.raises(InputError, match="t.jsonl: line 2: 1 reference\\(s\\), but the first item has 2"):
        load_eval_dataset(str(translation), task="translation")


# --- datasets from the local hub cache -------------------------------------------------------------
@pytest.fixture()
def hub_cache(tmp_path, monkeypatch):
    cache = tmp_path / "hf" / "datasets"
    cache.mkdir(parents=True)
    monkeypatch.delenv("HF_DATASETS_CACHE", raising=False)
    monkeypatch.setenv("HF_HOME", str(tmp_path / "hf"))
    return cache


def test_hub_ids_are_read_from_the_local_cache_without_network(hub_cache, monkeypatch):
    texts, _, summaries = _articles(12, seed=5)
    rows = [{"isi": t, "ringkasan": s} for t, s in zip(texts, summaries)]
    cache_hub_dataset(hub_cache, "redaksi/ringkasan-berita", rows, splits=("train", "test"))

    def no_network(*args, **kwargs):
        raise AssertionError("tried to open a network connection")

    monkeypatch.setattr(socket, "create_connection", no_network)
    monkeypatch.setattr(socket.socket, "connect", no_network)
    spec = DataSpec.parse("hf:redaksi/ringkasan-berita@test", input_field="isi", reference_field="ringkasan")
    dataset = load_eval_dataset(spec, task="summaries", limit=5)
    assert dataset.split == "test" and len(dataset.items) == 5 and dataset.items[0].text == texts[0]
    assert dataset.name == "hf:redaksi/ringkasan-berita@test"
    saved_hash = load_eval_dataset(DataSpec.parse("hf:redaksi/ringkasan-berita", split="test", input_field="isi",
                                                  reference_field="ringkasan"), task="summaries", limit=5).content_hash
    assert saved_hash == dataset.content_hash
    out = hub_cache.parent / "hub.json"
    result = invoke("summaries", "--data", "hf:redaksi/ringkasan-berita", "--split", "test", "--text-field", "isi",
                    "--reference-field", "ringkasan", "--method", "lead", "--limit", "5", "--bootstrap", "0", "--json", str(out))
    assert result.exit_code == 0, result.output
    assert json.loads(out.read_text())["data_hash"] == dataset.content_hash
    with pytest.raises(InputError, match="has splits test, train; pick one with @SPLIT or --split"):
        load_eval_dataset("hf:redaksi/ringkasan-berita", task="summaries")
    with pytest.raises(InputError, match="has no split 'validation' \\(splits: test, train\\)"):
        load_eval_dataset("hf:redaksi/ringkasan-berita@validation", task="summaries")
    with pytest.raises(InputError, match="not in the local datasets cache \\(idnews never downloads"):
        load_eval_dataset("hf:redaksi/tidak-ada@test", task="summaries")
    with pytest.raises(InputError, match="no column 'judul' \\(columns: isi, ringkasan\\)"):
        load_eval_dataset(DataSpec.parse("hf:redaksi/ringkasan-berita@test", input_field="judul"), task="summaries")


def test_hub_configs_must_be_named_when_several_are_cached(hub_cache):
    rows = [{"source": "Satu.", "reference": "One."}, {"source": "Dua.", "reference": "Two."}]
    cache_hub_dataset(hub_cache, "lab/paralel", rows, config="formal")
    cache_hub_dataset(hub_cache, "lab/paralel", rows[:1], config="santai")
    with pytest.raises(InputError, match="several cached configs \\(formal, santai\\); name one as hf:lab/paralel:CONFIG"):
        load_eval_dataset("hf:lab/paralel", task="translation")
    assert len(load_eval_dataset("hf:lab/paralel:santai", task="translation").items) == 1
    with pytest.raises(InputError, match="config 'resmi' of hf:lab/paralel is not cached \\(cached configs: formal, santai\\)"):
        load_eval_dataset("hf:lab/paralel:resmi", task="translation")


# --- errors and limits -----------------------------------------------------------------------------
def test_errors_name_the_file_and_the_line(tmp_path):
    table = write_jsonl(tmp_path / "berita.jsonl", [{"isi": "Teks satu.", "ringkasan": "Satu."}, {"isi": "Teks dua."}])
    with pytest.raises(InputError, match="berita.jsonl: line 2: no 'ringkasan' field"):
        load_eval_dataset(DataSpec.parse(str(table), input_field="isi", reference_field="ringkasan"))
    with pytest.raises(InputError, match="berita.jsonl: line 1: no article text \\(text\\); name the field with --text-field"):
        load_eval_dataset(str(table))
    csv_file = tmp_path / "berita.csv"
    csv_file.write_text("kalimat,terjemahan\nSatu.,One.\nDua.,Two.,extra\n", encoding="utf-8")
    with pytest.raises(InputError, match="berita.csv: line 3: more cells than the 2 named"):
        load_eval_dataset(DataSpec.parse(str(csv_file), input_field="kalimat", reference_field="terjemahan"), task="translation")
    src, ref = write_lines(tmp_path / "a.id", ["Satu.", "Dua.", "Tiga."]), write_lines(tmp_path / "a.en", ["One.", "Two."])
    with pytest.raises(InputError, match="a.en: 2 lines, but 3 source and 2 reference lines .* \\(line 3 has no partner\\)"):
        load_eval_dataset(DataSpec.parse(str(src), ref=str(ref)))
    empty = write_jsonl(tmp_path / "kosong.jsonl", [])
    with pytest.raises(InputError, match="kosong.jsonl: no items"):
        load_eval_dataset(str(empty), task="translation")
    header_only = tmp_path / "kosong.tsv"
    header_only.write_text("source\treference\n", encoding="utf-8")
    with pytest.raises(InputError, match="kosong.tsv: no items \\(the data set is empty\\)"):
        load_eval_dataset(str(header_only), task="translation")
    saved = save_dataset(tmp_path / "saved", {"source": ["Satu."], "reference": ["One."]}, split="test")
    with pytest.raises(InputError, match="saved: no split 'dev' \\(splits: test\\)"):
        load_eval_dataset(DataSpec.parse(str(saved), split="dev"), task="translation")
    with pytest.raises(InputError, match="saved: no column 'isi' \\(columns: source, reference\\)"):
        load_eval_dataset(DataSpec.parse(str(saved), input_field="isi"), task="translation")
    empty_saved = save_dataset(tmp_path / "empty-saved", {"source": [], "reference": []})
    with pytest.raises(InputError, match="empty-saved: no items"):
        load_eval_dataset(str(empty_saved), task="translation")
    with pytest.raises(InputError, match="built-in data set; a split cannot be chosen"):
        load_eval_dataset(DataSpec.parse("tatoeba", split="test"))
    with pytest.raises(InputError, match="a file has no splits"):
        load_eval_dataset(DataSpec.parse(str(table), split="test"))
    with pytest.raises(InputError, match="not a table of items"):
        load_eval_dataset(str(src), task="translation")
    with pytest.raises(UnknownNameError):
        load_eval_dataset("no-such-set", task="translation")
    with pytest.raises(InputError, match="berita.jsonl: a table of items, not plain text"):
        load_eval_dataset(DataSpec.parse(str(table), ref=str(ref)))
    with pytest.raises(InputError, match="is a dataset, not the source file of a pair"):
        load_eval_dataset(DataSpec.parse("hf:a/b", ref=str(ref)))
    nulls = save_dataset(tmp_path / "nulls", {"source": ["Satu.", "Dua."], "reference": ["One.", None]})
    with pytest.raises(InputError, match="nulls: row 2: the 'reference' field is empty"):
        load_eval_dataset(DataSpec.parse(str(nulls), reference_field="reference"), task="translation")


def test_a_csv_file_with_a_byte_order_mark_reads_its_first_field(tmp_path):
    table = tmp_path / "excel.csv"
    table.write_bytes("\ufeffkalimat,terjemahan\nSatu.,One.\n".encode("utf-8"))
    dataset = load_eval_dataset(DataSpec.parse(str(table), input_field="kalimat", reference_field="terjemahan"), task="translation")
    assert [(i.source, i.references) for i in dataset.items] == [("Satu.", ("One.",))]


def test_suite_data_mappings_are_checked(tmp_path):
    from idnews.evaluation.suite import load_suite

    suite = tmp_path / "s.yaml"
    suite.write_text("tasks:\n  - task: translation\n    data:\n      - {path: a.jsonl, target_field: en}\n    models: [m]\n")
    with pytest.raises(InputError, match="task 1: a data mapping needs a 'path' and takes only path, ref, reference_field"):
        load_suite(suite)
    suite.write_text("tasks:\n  - task: translation\n    data:\n      - {path: a.id, ref: a.en}\n      - hf:o/n@test\n    models: [m]\n")
    specs = load_suite(suite).tasks[0].data
    assert (specs[0].data, specs[0].ref, specs[0].label()) == (str(tmp_path / "a.id"), str(tmp_path / "a.en"), "pair:a.id,a.en")
    assert specs[1].data == "hf:o/n@test" and specs[1].split == "test"


def test_cli_errors_exit_with_the_file_and_line(tmp_path):
    src, ref = write_lines(tmp_path / "a.id", ["Satu.", "Dua."]), write_lines(tmp_path / "a.en", ["One."])
    process = subprocess.run(
        [sys.executable, "-m", "idnews", "eval", "translation", "--data", str(src), "--ref", str(ref), "--model", "x"],
        capture_output=True, text=True,
    )
    assert process.returncode == 1 and "a.en: 1 lines, but 2 source and 1 reference lines" in process.stderr
    assert "line 2 has no partner" in process.stderr and "Traceback" not in process.stderr


def test_limit_works_for_every_kind_of_spec(tmp_path):
    from idnews.article import Article

    lines = [f"Kalimat nomor {i}." for i in range(8)]
    src, ref = write_lines(tmp_path / "a.id", lines), write_lines(tmp_path / "a.en", [f"Sentence {i}." for i in range(8)])
    table = write_jsonl(tmp_path / "a.jsonl", [{"source": s, "reference": f"Sentence {i}."} for i, s in enumerate(lines)])
    saved = save_dataset(tmp_path / "saved", {"source": lines, "reference": [f"Sentence {i}." for i in range(8)]})
    specs = [DataSpec.parse(f"pair:{src},{ref}"), DataSpec.parse(str(table)), DataSpec.parse(str(saved))]
    limited = [load_eval_dataset(spec, task="translation", limit=3) for spec in specs]
    assert [len(d.items) for d in limited] == [3, 3, 3] and len({d.content_hash for d in limited}) == 1
    assert limited[0].content_hash != load_eval_dataset(specs[0], limit=4).content_hash
    pages = tmp_path / "pages"
    pages.mkdir()
    for i in range(3):
        article = Article(paragraphs=[f"Berita nomor {i} tentang harga beras."], bullets=[f"Poin {i}."])
        (pages / f"{i}.json").write_text(json.dumps(article.to_dict()), encoding="utf-8")
    limited_pages = load_eval_dataset(str(pages), limit=2)
    assert [item.id for item in limited_pages.items] == ["0.json", "1.json"] and limited_pages.limit == 2


def test_a_suite_with_unreadable_own_data_fails_with_the_file_and_line(tmp_path):
    write_jsonl(tmp_path / "berita.jsonl", [{"isi": "Harga beras naik tajam.", "ringkasan": "Beras naik."}, {"isi": "Gempa."}])
    suite = tmp_path / "s.yaml"
    suite.write_text("bootstrap: 10\ntasks:\n  - task: summaries\n    data:\n      - {path: berita.jsonl, text_field: isi, reference_field: ringkasan}\n"
                     "      - hf:redaksi/tidak-ada@test\n    methods: [lead]\n", encoding="utf-8")
    out = tmp_path / "report"
    result = CliRunner(env={"HF_HOME": str(tmp_path / "hf"), "HF_DATASETS_CACHE": ""}).invoke(
        cli, ["eval", "run", str(suite), "--out", str(out)]
    )
    assert result.exit_code == 1 and "1 row(s) failed: lead on berita.jsonl" in result.output
    rows = json.loads((out / "results.json").read_text())["results"]
    assert rows[0]["status"] == "error" and "berita.jsonl: line 2: no 'ringkasan' field" in rows[0]["reason"]
    assert rows[1]["status"] == "skipped" and "not in the local datasets cache" in rows[1]["reason"]


def test_suite_outputs_keep_every_reference_stream(tmp_path):
    from idnews.evaluation.results import EvalResult
    from idnews.evaluation.suite import Suite, SuiteRun, write_outputs

    row = EvalResult(task="translation", data="mine/t.jsonl", system="m", n=2, hypotheses=["One.", "Two."],
                     references=[["One.", "A single one."], ["Two.", "A pair."]])
    suite_file = tmp_path / "s.yaml"
    suite_file.write_text("tasks: []\n", encoding="utf-8")  # results.json records the suite file's hash
    write_outputs(SuiteRun(suite=Suite(name="s", path=suite_file, tasks=[]), results=[row]), tmp_path / "out")
    outputs = tmp_path / "out" / "outputs"
    assert (outputs / "mine-t-jsonl.ref.txt").read_text() == "One.\nTwo.\n"
    assert (outputs / "mine-t-jsonl.ref.2.txt").read_text() == "A single one.\nA pair.\n"
    assert (outputs / "mine-t-jsonl.m.hyp.txt").read_text() == "One.\nTwo.\n"

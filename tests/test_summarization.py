"""Extractive summarisation: API, validation, candidate filtering, baselines, oracle and the learned ranker."""
from __future__ import annotations

import json

import numpy as np
import pytest

import idnews
from idnews.article import Article
from idnews.errors import IdnewsError, InputError, UnknownNameError
from idnews.summarization import get_summarizer, summarize
from idnews.outlets import default_table
from idnews.summarization.document import build_document
from idnews.summarization.learned import DEFAULT_PARAMETERS, TreeEnsemble, load_parameters
from idnews.summarization.textrank import pagerank

ARTICLE = """\
Jakarta - Pemerintah resmi menaikkan harga bahan bakar minyak bersubsidi mulai Sabtu pagi di seluruh Indonesia. Kenaikan harga ini diumumkan langsung oleh Presiden di Istana Negara, Jakarta.

Bendera merah putih di Istana. (dok. Istimewa)

Menteri Keuangan menyebut anggaran subsidi energi sudah membengkak tiga kali lipat dari rencana awal. Menurutnya, tanpa penyesuaian harga, defisit anggaran akan melewati batas tiga persen.

Baca juga: Harga BBM Naik, Ini Daftar Lengkapnya

1. Dampak ke inflasi

Bank Indonesia memperkirakan inflasi akan naik sekitar satu persen poin dalam tiga bulan ke depan. Bank sentral juga siap menaikkan suku bunga acuan bila diperlukan.

"Kami akan menjaga daya beli masyarakat miskin dengan bantuan langsung tunai," kata Menteri Sosial kepada wartawan di Jakarta.

Menteri Keuangan menyebut anggaran subsidi energi sudah membengkak tiga kali lipat dari rencana awal.
"""


def test_summarize_returns_three_clean_bullets_in_document_order():
    bullets = summarize(ARTICLE, n=3)
    assert len(bullets) == 3
    assert len(set(bullets)) == 3
    text = ARTICLE.replace("\n", " ")
    positions = [text.index(b) for b in bullets]
    assert positions == sorted(positions)
    for bullet in bullets:
        assert not bullet.startswith(("Baca juga", "1.", "Bendera"))


def test_top_level_names_are_the_package_api():
    assert idnews.summarize is summarize
    from idnews.summarization.base import Summarizer

    assert idnews.Summarizer is Summarizer
    assert isinstance(get_summarizer("auto"), Summarizer)


def test_candidates_exclude_headings_captions_links_and_duplicates():
    document = build_document(ARTICLE)
    candidates = [document.sentences[i].text for i in document.candidates]
    assert not any(s.startswith(("Baca juga", "Bendera", "1.", "Dampak")) for s in candidates)
    assert sum(s.startswith("Menteri Keuangan menyebut") for s in candidates) == 1
    article = Article.from_text(ARTICLE)  # the reader decides captions and headings; the summariser reads them
    assert not any(p.startswith("Bendera") for p in article.paragraphs)
    assert [article.paragraphs[i] for i in article.headings] == ["1. Dampak ke inflasi"]
    caption = Article.from_text("Kalimat pertama yang cukup panjang di sini.\n\nBendera Korea Utara. (pixabay.com/outsideclick)\n\nKalimat terakhir.")
    assert caption.paragraphs == ["Kalimat pertama yang cukup panjang di sini.", "Kalimat terakhir."]
    prompts = default_table().generic
    for prompt in ("Baca juga: Harga BBM Naik", "[Baca: Investree Ekspansi]", "SIMAK JUGA: Arema Datangkan Pemain",
                   "Simak video berikut ini", "Penulis: Anggun Pratama", "Baca artikel IDN Times lainnya di IDN App"):
        assert prompts.is_prompt(prompt), prompt
    for sentence in ("Lihat saja betapa cantik warnanya!", "Foto-foto itu menyebar di berbagai grup.",
                     "Baca Al-Quran itu tidak cuma saat Ramadhan."):
        assert not prompts.is_prompt(sentence), sentence


def test_article_headings_are_never_bullets():
    paragraphs = [
        "Kota Bandung diguyur hujan deras sejak Senin sore hingga malam hari.",
        "Banjir merendam ratusan rumah warga di kawasan selatan kota Bandung kemarin.",
        "Petugas pemadam kebakaran mengevakuasi warga lanjut usia ke masjid terdekat.",
        "Wali kota meminta warga tetap waspada karena hujan diperkirakan berlanjut.",
    ]
    article = Article(paragraphs=paragraphs, title="Banjir Bandung", headings=[1])
    bullets = summarize(article, method="lead")
    assert paragraphs[1] not in bullets
    assert bullets == [paragraphs[0], paragraphs[2], paragraphs[3]]


def test_lead_takes_the_first_usable_sentences():
    assert summarize(ARTICLE, method="lead", n=2) == [
        "Pemerintah resmi menaikkan harga bahan bakar minyak bersubsidi mulai Sabtu pagi di seluruh Indonesia.",
        "Kenaikan harga ini diumumkan langsung oleh Presiden di Istana Negara, Jakarta.",
    ]


@pytest.mark.parametrize("dateline", [
    "Jakarta, CNN Indonesia -- ", "Suara.com-", "Merdeka.com - ", "Kupang (ANTARA News) -", "JAKARTA (Pos Kota) – ",
    "JUARA.NET, TOKYO-", "GOLD COAST, JUARA.net-", "SWEDIA-", "Jakarta, IDN Times - ",
])
def test_plain_text_datelines_never_reach_a_bullet(dateline):
    body = "Pemerintah resmi menaikkan harga bahan bakar minyak bersubsidi mulai Sabtu pagi di seluruh Indonesia."
    text = f"Harga BBM Naik\n\n{dateline}{body} Kenaikan harga diumumkan Presiden di Istana Negara kemarin."
    assert summarize(text, method="lead", n=1) == [body]


def test_sentences_that_only_look_like_datelines_are_kept():
    text = ("Warga Kampung Melayu bersiap menghadapi banjir tahunan di bantaran sungai.\n\n"
            "Marc Marquez (Repsol Honda) - finis keempat di Sirkuit Sepang pada balapan hari Minggu.")
    assert summarize(text, method="lead", n=2) == [
        "Warga Kampung Melayu bersiap menghadapi banjir tahunan di bantaran sungai.",
        "Marc Marquez (Repsol Honda) - finis keempat di Sirkuit Sepang pada balapan hari Minggu.",
    ]


def test_fewer_sentences_than_n():
    lead = get_summarizer("lead")
    assert lead.summarize("Satu dua tiga empat lima enam.\n\nTujuh delapan sembilan sepuluh sebelas.", n=5) == [
        "Satu dua tiga empat lima enam.",
        "Tujuh delapan sembilan sepuluh sebelas.",
    ]


def test_order_puts_bullets_in_document_or_score_order():
    from idnews.summarization.base import Summarizer

    class LastFirst(Summarizer):
        name = "last-first"

        def scores(self, document, n, reference=None):
            return [float(s.position) for s in document.sentences]

    text = ("Warga desa membersihkan saluran air sejak pagi hari.\n\n"
            "Petugas kecamatan membagikan karung pasir kepada penduduk.\n\n"
            "Hujan lebat diperkirakan turun lagi pada akhir pekan ini.")
    first, second, third = text.split("\n\n")
    assert LastFirst(order="importance").summarize(text, n=2) == [third, second]
    assert LastFirst(order="document").summarize(text, n=2) == [second, third]


def test_editor_initials_are_removed_from_bullets():
    text = "Harga cabai rawit di pasar tradisional naik dua kali lipat pekan ini. (tfa/mij)"
    assert summarize(text, method="lead", n=1) == ["Harga cabai rawit di pasar tradisional naik dua kali lipat pekan ini."]


def test_unknown_method_lists_known_ones():
    with pytest.raises(UnknownNameError, match="known: auto, ct2, hf, lead, learned, oracle, textrank"):
        summarize(ARTICLE, method="lexrankk")


@pytest.mark.parametrize("n", [0, -1, 2.5, True, "3"])
def test_bad_n_is_rejected(n):
    with pytest.raises(IdnewsError, match="n must be a positive whole number"):
        summarize(ARTICLE, n=n)


def test_bad_input_is_rejected_clearly():
    with pytest.raises(InputError, match="the text is empty"):
        summarize("   \n\n  ")
    with pytest.raises(InputError, match="no article text found"):
        summarize("Baca juga: Harga BBM Naik\n\nADVERTISEMENT")
    with pytest.raises(TypeError, match="Article or a str"):
        summarize(b"bytes")  # type: ignore[arg-type]
    with pytest.raises(IdnewsError, match="lang must be one of id, en"):
        summarize(ARTICLE, lang="fr")
    with pytest.raises(IdnewsError, match="needs a model after the colon"):
        summarize(ARTICLE, method="hf:")
    with pytest.raises(IdnewsError, match="does not use a reference"):
        summarize(ARTICLE, method="lead", reference="x")


def test_oracle_recovers_the_reference_sentences():
    document = build_document(ARTICLE)
    reference = [document.sentences[4].text, document.sentences[0].text]
    bullets = summarize(ARTICLE, method="oracle", n=2, reference=reference)
    assert bullets == [document.sentences[0].text, document.sentences[4].text]
    with pytest.raises(IdnewsError, match="needs a reference summary"):
        summarize(ARTICLE, method="oracle")


def test_pagerank_matches_networkx():
    networkx = pytest.importorskip("networkx", reason="networkx (a torch dependency) gives the reference PageRank")
    rng = np.random.default_rng(0)
    weights = rng.random((6, 6))
    np.fill_diagonal(weights, 0.0)
    graph = networkx.from_numpy_array(weights, create_using=networkx.DiGraph)
    expected = networkx.pagerank(graph, alpha=0.85, tol=1e-12, max_iter=1000)
    assert np.allclose(pagerank(weights, tolerance=1e-12), [expected[i] for i in range(6)], atol=1e-8)


def test_textrank_prefers_the_central_sentence():
    text = (
        "Gempa mengguncang Cianjur dan merusak ribuan rumah warga Cianjur.\n\n"
        "Kucing tetangga suka tidur di atas genteng rumah sepanjang siang hari.\n\n"
        "Ribuan rumah warga Cianjur rusak dan warga mengungsi setelah gempa.\n\n"
        "Warga Cianjur mengungsi karena rumah rusak akibat gempa kemarin."
    )
    assert "Kucing" not in " ".join(summarize(text, method="textrank", n=2))


def test_tree_ensemble_matches_scikit_learn():
    ensemble = pytest.importorskip("sklearn.ensemble", reason="scikit-learn (the 'train' extra) is the reference")
    from idnews.summarization.train import export

    rng = np.random.default_rng(1)
    features = rng.normal(size=(400, 5))
    labels = (features[:, 0] + 0.5 * features[:, 1] ** 2 + rng.normal(scale=0.3, size=400) > 0.5).astype(int)
    model = ensemble.GradientBoostingClassifier(n_estimators=25, max_depth=3, random_state=0).fit(features, labels)
    exported = json.loads(json.dumps(export(model, features)))
    probe = rng.normal(size=(50, 5))
    assert np.allclose(TreeEnsemble.from_dict(exported).decision_function(probe), model.decision_function(probe))


def test_merged_ensembles_add_up():
    ensemble = pytest.importorskip("sklearn.ensemble", reason="scikit-learn (the 'train' extra) is the reference")
    from idnews.summarization.train import export, merge

    rng = np.random.default_rng(2)
    features = rng.normal(size=(300, 4))
    models = [
        ensemble.GradientBoostingClassifier(n_estimators=10, max_depth=depth, random_state=0).fit(features, labels)
        for depth, labels in ((2, features[:, 0] > 0), (3, features[:, 1] + features[:, 2] > 0.3))
    ]
    merged = TreeEnsemble.from_dict(merge([export(m, features) for m in models]))
    probe = rng.normal(size=(40, 4))
    assert np.allclose(merged.decision_function(probe), sum(m.decision_function(probe) for m in models))


def test_shipped_parameters_are_small_json_that_rank_sentences():
    assert DEFAULT_PARAMETERS.stat().st_size < 5_000_000
    model, metadata = load_parameters(DEFAULT_PARAMETERS)
    assert model.feature.shape[0] == 2 * metadata["training"]["hyperparameters"]["n_estimators"]
    summarizer = get_summarizer("learned")
    document = build_document(ARTICLE)
    scores = np.asarray(summarizer.scores(document, 3))
    assert scores.shape == (len(document.sentences),) and np.isfinite(scores).all()
    assert len(set(scores[document.candidates].round(6))) > 1  # a ranking, not a constant


def test_foreign_parameter_file_is_rejected(tmp_path):
    path = tmp_path / "ranker.json"
    path.write_text('{"format": "something-else"}', encoding="utf-8")
    with pytest.raises(InputError, match="not an idnews ranker file"):
        get_summarizer("learned", parameters=path)


def test_learned_summarizer_is_reusable_and_deterministic():
    summarizer = get_summarizer("learned")
    assert summarizer.summarize(ARTICLE) == summarizer.summarize(ARTICLE) == summarize(ARTICLE, method="auto")


def test_idn_times_seed_gives_three_clean_intinya_bullets(seeds_dir):
    from idnews.evaluation.rouge import rouge_f1

    article = idnews.load_article(seeds_dir / "001_2e3f213f2a5f4aeb.txt")
    page_bullets = article.bullets  # the page's own "Intinya sih..." block
    bullets = summarize(article, n=3)
    assert len(page_bullets) == 3 and len(bullets) == 3
    body = " ".join(article.body_paragraphs)
    for bullet in bullets:
        assert bullet in body
        assert bullet[-1] in ".!?”\""
        assert not bullet[0].isdigit()
        assert "pixabay" not in bullet and "IDN App" not in bullet
    headings = {article.paragraphs[i] for i in article.headings}
    assert not headings.intersection(bullets)
    assert rouge_f1(bullets, page_bullets)["rouge1"] > 15.0  # same story; the page picks from section 1

"""Golden checks of the metrics against the reference implementations (rouge-score, sacreBLEU).

ROUGE golden values never use idnews's tokenizer: they come from rouge-score's own default tokenizer on
ASCII-only text (where it splits exactly as idnews does), or are computed by hand.
"""
from __future__ import annotations

import numpy as np
import pytest
from rouge_score import rouge_scorer

from idnews.errors import InputError, UnknownNameError
from idnews.evaluation.metrics import METRICS, get_metric
from idnews.evaluation.rouge import ROUGE_TYPES, Rouge

HYPS = [
    ["Presiden Joko Widodo meresmikan jembatan baru di Jakarta.", "Jembatan itu menelan biaya Rp 2 triliun."],
    ["Harga beras naik menjelang Lebaran.", "Pemerintah menyiapkan operasi pasar."],
    ["Timnas Indonesia menang 2-0 atas Vietnam."],
    ["Gempa bermagnitudo 5,6 mengguncang Cianjur, Jawa Barat."],
]
REFS = [
    [["Jokowi meresmikan jembatan baru di Jakarta pada Senin.", "Biayanya Rp 2 triliun."]],
    [["Harga beras naik tajam.", "Operasi pasar disiapkan."], ["Beras makin mahal jelang Lebaran."]],
    [["Indonesia mengalahkan Vietnam dua gol tanpa balas."]],
    [["Gempa magnitudo 5,6 guncang Cianjur.", "Ratusan rumah rusak."]],
]

MT_REFS = [
    "The president inaugurated a new bridge in Jakarta on Monday.",
    "Rice prices rose sharply ahead of Eid.",
    "Indonesia beat Vietnam two goals to nil.",
    "A magnitude 5.6 earthquake shook Cianjur, West Java.",
    "Hundreds of houses were damaged.",
    "The government prepared market operations.",
] * 5
GOOD = [r.replace("the ", "a ", 1) for r in MT_REFS]
BAD = ["Something else entirely happened yesterday." for _ in MT_REFS]


def _reference_rouge(hyps, refs):
    """rouge-score with its own default tokenizer (lowercase ``[a-z0-9]+``): right for ASCII-only text."""
    texts = [s for item in hyps for s in item] + [s for item in refs for ref in item for s in ref]
    assert all(text.isascii() and "_" not in text for text in texts), "the reference tokenizer is ASCII-only"
    scorer = rouge_scorer.RougeScorer(list(ROUGE_TYPES))
    rows = [scorer.score_multi(["\n".join(r) for r in item_refs], "\n".join(h)) for h, item_refs in zip(hyps, refs)]
    return {name: 100 * np.mean([row[name].fmeasure for row in rows]) for name in ROUGE_TYPES}


def test_rouge_equals_rouge_score_with_its_own_tokenizer_on_ascii_text():
    result = Rouge(n_bootstrap=200).corpus_score(HYPS, REFS)
    expected = _reference_rouge(HYPS, REFS)
    assert set(result.scores) == set(ROUGE_TYPES)
    for name in ROUGE_TYPES:
        assert result.scores[name].value == pytest.approx(expected[name], abs=1e-9)
        lo, hi = result.scores[name].ci95
        assert lo <= result.scores[name].value <= hi


def test_rouge_of_a_small_case_computed_by_hand():
    # hypothesis "a b c d", reference "a b d e f": 3 shared words, 1 shared bigram ("a b"), LCS "a b d" (3).
    result = Rouge(n_bootstrap=0).corpus_score([["Alpha beta gamma delta."]], [[["Alpha beta delta epsilon phi."]]])
    f = lambda hits, hyp, ref: 100 * 2 * hits / (hyp + ref)  # noqa: E731 (F1 = 2PR/(P+R) = 2h/(|hyp|+|ref|))
    assert result.scores["rouge1"].value == pytest.approx(f(3, 4, 5))
    assert result.scores["rouge2"].value == pytest.approx(f(1, 3, 4))
    assert result.scores["rougeL"].value == pytest.approx(f(3, 4, 5))
    # Non-ASCII words are words: "pemilu" and "türkiye" match; rouge-score's own tokenizer would cut "t rkiye".
    accented = Rouge(n_bootstrap=0).corpus_score([["Türkiye gelar pemilu."]], [[["Pemilu Türkiye ditunda."]]])
    assert accented.scores["rouge1"].value == pytest.approx(f(2, 3, 3))
    assert accented.scores["rouge2"].value == pytest.approx(0.0)
    assert accented.scores["rougeL"].value == pytest.approx(f(1, 3, 3))


def test_rouge_keeps_non_ascii_words_and_takes_the_best_reference():
    # rouge-score's own tokenizer would drop "Pemilu" -> no overlap at all for non-ASCII-only text.
    result = Rouge(n_bootstrap=0).corpus_score([["Türkiye menang."]], [[["Türkiye kalah."], ["Türkiye menang."]]])
    assert result.scores["rouge1"].value == pytest.approx(100.0)


def test_rouge_splits_single_line_strings_into_sentences_for_rougelsum():
    as_list = Rouge(n_bootstrap=0).corpus_score([["Satu dua tiga.", "Empat lima."]], [[["Empat lima.", "Satu dua tiga."]]])
    as_text = Rouge(n_bootstrap=0).corpus_score(["Satu dua tiga. Empat lima."], [["Empat lima. Satu dua tiga."]])
    assert as_text.scores["rougeLsum"].value == pytest.approx(as_list.scores["rougeLsum"].value) == pytest.approx(100.0)
    assert as_text.scores["rougeL"].value < 100.0


def test_indonesian_stemming_is_optional_and_matches_sastrawi_then_rouge_score():
    from Sastrawi.Stemmer.StemmerFactory import StemmerFactory

    # No reduplication ("petani-petani"): Sastrawi reads it as one word, idnews's tokenizer as two.
    hyps, refs = [["Para petani menanam padi."]], [[["Petani bertanam padi di sawah."]]]
    plain = Rouge(n_bootstrap=0).corpus_score(hyps, refs).scores["rouge1"].value
    stemmed = Rouge(n_bootstrap=0, stem=True).corpus_score(hyps, refs)
    stemmer = StemmerFactory().create_stemmer()  # stems a whole sentence: "para tani tanam padi"
    stem_all = lambda items: [[stemmer.stem(s) for s in item] for item in items]  # noqa: E731
    expected = _reference_rouge(stem_all(hyps), [stem_all(item) for item in refs])["rouge1"]
    assert stemmed.scores["rouge1"].value == pytest.approx(expected)
    assert stemmed.scores["rouge1"].value > plain
    assert "stem:sastrawi" in stemmed.signature


@pytest.mark.parametrize(
    ("name", "factory"),
    [
        ("bleu", lambda m: m.BLEU()),
        ("chrf", lambda m: m.CHRF()),
        ("chrf++", lambda m: m.CHRF(word_order=2)),
        ("ter", lambda m: m.TER()),
    ],
)
def test_sacrebleu_metrics_and_intervals_equal_sacrebleu(name, factory, monkeypatch):
    import sacrebleu.metrics as sb

    monkeypatch.setenv("SACREBLEU_SEED", "12345")
    ours = get_metric(name, n_bootstrap=300, seed=12345).corpus_score(GOOD, [[r] for r in MT_REFS])
    theirs = factory(sb).corpus_score(GOOD, [MT_REFS], n_bootstrap=300)
    score = ours.scores[name]
    assert score.value == pytest.approx(theirs.score, abs=1e-9)
    # sacreBLEU reports the same percentile interval as a half-width around the resample mean.
    assert (score.ci95[1] - score.ci95[0]) / 2 == pytest.approx(theirs._ci, abs=1e-6)
    assert ours.signature.startswith(name + "|nrefs:1|")


def test_paired_bootstrap_equals_sacrebleu_paired_bs(monkeypatch):
    import sacrebleu.metrics as sb
    from sacrebleu.significance import PairedTest

    monkeypatch.setenv("SACREBLEU_SEED", "777")
    half_good = [g if i % 2 else b for i, (g, b) in enumerate(zip(GOOD, BAD))]
    _, results = PairedTest(
        [("base", half_good), ("sys", GOOD)], {"BLEU": sb.BLEU(), "chrF": sb.CHRF()}, [MT_REFS],
        test_type="bs", n_samples=500,
    )()
    for name, theirs in (("bleu", results["BLEU"][1]), ("chrf", results["chrF2"][1])):
        ours = get_metric(name, n_bootstrap=500, seed=777).paired_test(half_good, GOOD, [[r] for r in MT_REFS])[name]
        assert ours.p_value == pytest.approx(theirs.p_value)
        assert ours.system == pytest.approx(theirs.score)


@pytest.mark.parametrize("name", ["rouge", "bleu", "ter"])
def test_paired_test_identical_systems_p_near_one_and_clear_winner_small_p(name):
    if name == "rouge":
        hyps, refs, worse = HYPS * 5, REFS * 5, [["Kalimat lain sama sekali."]] * 20
    else:
        hyps, refs, worse = GOOD, [[r] for r in MT_REFS], BAD
    metric = get_metric(name, n_bootstrap=500)
    same = metric.paired_test(hyps, hyps, refs)
    assert all(c.p_value > 0.9 for c in same.values())
    better = metric.paired_test(worse, hyps, refs)
    assert all(c.p_value < 0.01 for c in better.values())


def test_results_are_seeded_and_reproducible():
    first = Rouge(n_bootstrap=300, seed=1).corpus_score(HYPS, REFS)
    again = Rouge(n_bootstrap=300, seed=1).corpus_score(HYPS, REFS)
    other = Rouge(n_bootstrap=300, seed=2).corpus_score(HYPS * 3, REFS * 3)
    assert first == again
    assert first.scores["rouge1"].item_scores == again.scores["rouge1"].item_scores
    assert other.scores["rouge1"].ci95 != Rouge(n_bootstrap=300, seed=1).corpus_score(HYPS * 3, REFS * 3).scores["rouge1"].ci95
    assert "bs:300|seed:1" in first.signature


def test_bad_input_is_a_clear_error():
    with pytest.raises(InputError, match="2 hypotheses but 1 reference items"):
        Rouge().corpus_score(["a", "b"], [["a"]])
    with pytest.raises(InputError, match="nothing to score"):
        get_metric("bleu").corpus_score([], [])
    with pytest.raises(InputError, match="item 1 needs a non-empty list of references"):
        get_metric("bleu").corpus_score(["a"], [[]])
    with pytest.raises(InputError, match="hypothesis must be a string"):
        get_metric("chrf").corpus_score([["a"]], [["a"]])
    with pytest.raises(UnknownNameError, match="known: bleu, chrf, chrf\\+\\+, rouge, ter"):
        get_metric("meteor")
    assert METRICS.names() == ["bleu", "chrf", "chrf++", "rouge", "ter"]

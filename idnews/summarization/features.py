"""Sentence features for extractive ranking, in pure numpy (no fitted vocabulary: outlet-independent).

Every feature is computed from the article itself: position (in the article, among candidate sentences,
in its paragraph), length, TF-IDF similarity to the article centroid, to the other sentences, to the lede
and to the title, and surface cues (numbers, capitalised names, quotes, attribution verbs).
"""
from __future__ import annotations

import math
import re
from collections.abc import Sequence

import numpy as np

from idnews.text import words
from idnews.summarization.document import Document

_ATTRIBUTION = frozenset(
    "kata ujar ucap ujarnya katanya ucapnya jelas jelasnya tutur tuturnya ungkap ungkapnya terang terangnya "
    "imbuh imbuhnya tambah tambahnya papar paparnya sebut ujarnya tegas tegasnya lanjut lanjutnya".split()
)
_QUOTES = re.compile("[\"“”]")
_CAPITALISED = re.compile(r"\b[A-Z][\w-]*")
_DIGIT = re.compile(r"\d")

FEATURE_NAMES: tuple[str, ...] = (
    "position_rel",
    "candidate_rank_0",
    "candidate_rank_1",
    "candidate_rank_2",
    "candidate_rank_3",
    "candidate_rank_4",
    "candidate_rank_rel",
    "candidate_rank_log",
    "paragraph_0",
    "paragraph_1",
    "paragraph_2",
    "paragraph_rel",
    "paragraph_log",
    "in_paragraph_0",
    "in_paragraph_1",
    "in_paragraph_last",
    "paragraph_sentences",
    "length_log",
    "length_ratio",
    "centroid_sim",
    "mean_sim",
    "max_sim",
    "lede_sim",
    "title_sim",
    "has_title",
    "novel_words",
    "digit_share",
    "capitalised_share",
    "has_quote",
    "starts_with_quote",
    "attribution",
    "question",
    "sentences_log",
    "paragraphs_log",
    *(f"{name}_vs_lead" for name in ("length_log", "centroid_sim", "mean_sim", "title_sim", "capitalised_share", "digit_share", "has_quote")),
)
_RELATIVE = ("length_log", "centroid_sim", "mean_sim", "title_sim", "capitalised_share", "digit_share", "has_quote")
LEAD_WINDOW = 5


def term_counts(token_lists: Sequence[Sequence[str]]) -> np.ndarray:
    """Term-frequency matrix (one row per token list, one column per distinct token)."""
    vocab: dict[str, int] = {}
    ids = [[vocab.setdefault(token, len(vocab)) for token in tokens] for tokens in token_lists]
    width = max(len(vocab), 1)
    flat = [row * width + column for row, columns in enumerate(ids) for column in columns]
    return np.bincount(flat, minlength=len(ids) * width).reshape(len(ids), width).astype(float)


def tfidf_matrix(token_lists: Sequence[Sequence[str]], counts: np.ndarray | None = None) -> np.ndarray:
    """L2-normalised TF-IDF rows, IDF taken over the given sentences (one row per token list)."""
    matrix = term_counts(token_lists) if counts is None else counts.copy()
    df = (matrix > 0).sum(axis=0)
    matrix *= np.log((1.0 + len(token_lists)) / (1.0 + df)) + 1.0
    norms = np.linalg.norm(matrix, axis=1, keepdims=True)
    return matrix / np.where(norms == 0.0, 1.0, norms)


def sentence_features(document: Document) -> np.ndarray:
    """The feature matrix of ``document``: one row per sentence, columns as in :data:`FEATURE_NAMES`."""
    sentences = document.sentences
    count = len(sentences)
    tokens = [s.words for s in sentences]
    title_tokens = words(document.title) if document.title else []
    counts = term_counts([*tokens, title_tokens])
    vectors = tfidf_matrix([*tokens, title_tokens], counts)
    title_vector, vectors = vectors[-1], vectors[:-1]
    present = counts[:-1] > 0
    distinct_words = present.sum(axis=1)
    novel_share = (present & (present.sum(axis=0) == 1)).sum(axis=1) / np.maximum(distinct_words, 1)

    candidate = np.array([s.candidate for s in sentences])
    weight = candidate if candidate.any() else np.ones(count, dtype=bool)
    centroid = vectors[weight].mean(axis=0)
    centroid /= max(float(np.linalg.norm(centroid)), 1e-12)
    similarity = vectors @ vectors.T
    np.fill_diagonal(similarity, 0.0)
    peer_similarity = similarity[:, weight]
    lede = int(np.argmax(weight))

    rank = np.cumsum(candidate) - 1
    n_candidates = max(int(candidate.sum()), 1)
    paragraph = np.array([s.paragraph for s in sentences])
    in_paragraph = np.array([s.index_in_paragraph for s in sentences])
    paragraph_size = np.bincount(paragraph, minlength=document.n_paragraphs)[paragraph]
    lengths = np.array([len(t) for t in tokens], dtype=float)

    columns = [
        np.arange(count) / max(count - 1, 1),
        *(rank == k for k in range(5)),
        np.clip(rank, 0, None) / n_candidates,
        np.log1p(np.clip(rank, 0, None)),
        *(paragraph == k for k in range(3)),
        paragraph / max(document.n_paragraphs - 1, 1),
        np.log1p(paragraph),
        in_paragraph == 0,
        in_paragraph == 1,
        in_paragraph == paragraph_size - 1,
        np.log(paragraph_size),
        np.log1p(lengths),
        lengths / max(float(lengths[weight].mean()), 1.0),
        vectors @ centroid,
        peer_similarity.sum(axis=1) / max(int(weight.sum()) - 1, 1),
        peer_similarity.max(axis=1) if peer_similarity.shape[1] else np.zeros(count),
        similarity[:, lede],
        vectors @ title_vector,
        np.full(count, float(bool(title_tokens))),
        novel_share,
        [len(_DIGIT.findall(s.text)) / max(len(s.text), 1) for s in sentences],
        [len(_CAPITALISED.findall(s.text)) / max(len(t), 1) for s, t in zip(sentences, tokens)],
        [bool(_QUOTES.search(s.text)) for s in sentences],
        [s.text[:1] in "\"“'‘" for s in sentences],
        [bool(_ATTRIBUTION.intersection(t)) for t in tokens],
        ["?" in s.text for s in sentences],
        np.full(count, math.log(count)),
        np.full(count, math.log(max(document.n_paragraphs, 1))),
    ]
    base = np.column_stack([np.asarray(c, dtype=float) for c in columns])
    lead_rows = np.flatnonzero(weight)[:LEAD_WINDOW]
    relative = [base[:, FEATURE_NAMES.index(name)] for name in _RELATIVE]
    return np.column_stack([base, *(c - c[lead_rows].mean() for c in relative)])

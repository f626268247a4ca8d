"""Summarisation: the "Intinya sih..." digest of an Indonesian article as short one-sentence bullets.

>>> import idnews
>>> idnews.summarize(article)                      # short compressed bullets, as many as the model chooses
>>> idnews.summarize(article, n=3)                 # exactly 3 whole sentences (the IndoSum-trained ranker)
>>> idnews.summarize(text, method="textrank")      # any registered method
>>> idnews.summarize(article, lang="en", translator=idnews.Translator(model="..."))
"""
from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from idnews.article import Article
from idnews.errors import IdnewsError
from idnews.summarization.base import SUMMARIZERS, Summarizer, get_summarizer

if TYPE_CHECKING:
    from idnews.translation import Translator

__all__ = ["SUMMARIZERS", "Summarizer", "get_summarizer", "summarize"]

LANGUAGES = ("id", "en")


def summarize(
    article_or_text: Article | str,
    *,
    n: int | None = None,
    method: str | Summarizer = "auto",
    style: str = "auto",
    lang: str = "id",
    translator: Translator | None = None,
    translation_model: str | None = None,
    reference: str | Sequence[str] | None = None,
) -> list[str]:
    """One-sentence bullets summarising an :class:`~idnews.Article` or plain text.

    With the default method, ``n=None`` gives "Intinya"-style bullets: the model picks the sentences that suit a
    short abstractive digest, deletes attribution tails, dates and discourse openers, and stops at about 40
    words (at most 4 bullets); ``n=3`` gives exactly three whole sentences ranked as on IndoSum. ``style``
    (``"auto"``, ``"extract"`` or ``"intinya"``; default method only) overrides that choice: ``auto`` is
    ``intinya`` for ``n=None`` and ``extract`` for a given ``n``. Other methods give ``n`` bullets (3 when
    ``n=None``).

    With the extractive methods, bullets are distinct sentences of the article (never headings, captions or
    "Baca juga" lines) in document order; abstractive models give generated sentences, best first. ``method`` is ``"auto"`` (the embedded ``learned`` ranker), ``"lead"``, ``"textrank"``,
    ``"oracle"`` (needs ``reference``), ``"hf:<model>"`` or ``"ct2:<model>"`` (abstractive seq2seq models),
    or a :class:`Summarizer` instance (see :func:`get_summarizer`) to reuse a loaded model with its options.
    ``lang="en"`` translates the bullets into English with ``translator`` (or a
    :class:`~idnews.Translator` built from ``translation_model``); without a translation model this raises
    the translator's :class:`~idnews.errors.ModelNotFoundError`.
    """
    if lang not in LANGUAGES:
        raise IdnewsError(f"lang must be one of {', '.join(LANGUAGES)}, not {lang!r}")
    if lang == "id" and (translator is not None or translation_model is not None):
        raise IdnewsError("a translator is only used with lang='en'")
    if style != "auto":
        if isinstance(method, Summarizer) or method not in ("auto", "learned"):
            raise IdnewsError("style= applies to the default method; pass a configured Summarizer instead")
    if isinstance(method, Summarizer):
        summarizer = method
    elif style != "auto":
        summarizer = _cached_summarizer(method, style)
    else:
        summarizer = _cached_summarizer(method) if _is_cacheable(method) else get_summarizer(method)
    bullets = summarizer.summarize(article_or_text, n=n, reference=reference)
    if lang == "en" and bullets:
        bullets = translate_bullets(bullets, translator=translator, model=translation_model)
    return bullets


def translate_bullets(bullets: list[str], *, translator: Any = None, model: str | None = None) -> list[str]:
    """Bullets translated one-to-one into English by an idnews :class:`~idnews.Translator`."""
    if translator is None:
        from idnews.translation import Translator

        translator = Translator(model)
    translated = translator.translate(list(bullets))
    if len(translated) != len(bullets):
        raise IdnewsError(f"the translator returned {len(translated)} texts for {len(bullets)} bullets")
    return list(translated)


def _is_cacheable(method: str) -> bool:
    return isinstance(method, str) and ":" not in method


@lru_cache(maxsize=8)
def _cached_summarizer(method: str, style: str | None = None) -> Summarizer:
    return get_summarizer(method) if style is None else get_summarizer(method, style=style)

"""Translating a column of a Hugging Face ``datasets`` object, batching sentences across rows."""
from __future__ import annotations

from typing import TYPE_CHECKING, Any

from idnews.errors import IdnewsError

if TYPE_CHECKING:
    from idnews.translation import Translator


def translate_dataset(
    ds: Any,
    column: str = "text",
    *,
    translator: Translator | None = None,
    model: str | None = None,
    output_column: str | None = None,
    batch_size: int = 64,
    **translator_options: Any,
) -> Any:
    """Add the English translation of ``column`` to a ``datasets.Dataset`` (or ``DatasetDict``).

    Each row's text is translated as given, like :meth:`~idnews.Translator.translate` (paragraphs, headings and
    line breaks kept). The new columns are
    ``output_column`` (default ``"<column>_en"``) and ``"<output_column>_warnings"``, the number of sentences
    the faithfulness guard flagged. ``batch_size`` rows are translated together. Pass a loaded ``translator``,
    or ``model`` and :class:`~idnews.Translator` options to build one.
    """
    if translator is not None and (model is not None or translator_options):
        raise IdnewsError("pass either a translator or model/translator options, not both")
    names = ds.column_names
    known = set(names) if isinstance(names, list) else {c for columns in names.values() for c in columns}
    if column not in known:
        raise IdnewsError(f"the data set has no column {column!r}; it has: {', '.join(sorted(known))}")
    from idnews.article import Article
    from idnews.translation import ENGLISH_NOTE, Translator

    if translator is None:
        translator = Translator.from_options(model, **translator_options)
    target = output_column or f"{column}_en"

    def translate_rows(batch: dict[str, list[Any]]) -> dict[str, list[Any]]:
        texts = batch[column]
        for index, text in enumerate(texts):
            if not isinstance(text, str):
                raise IdnewsError(f"column {column!r} holds a {type(text).__name__} in a row, not a string")
        written = [i for i, text in enumerate(texts) if text.strip()]
        articles = [Article.from_text(texts[i], clean=False) for i in written]
        english, warnings = list(texts), [0] * len(texts)
        for index, document in zip(written, translator.translate_documents(articles)):
            english[index] = texts[index] if ENGLISH_NOTE in document.notes else document.text
            warnings[index] = document.warning_count
        return {target: english, f"{target}_warnings": warnings}

    return ds.map(translate_rows, batched=True, batch_size=batch_size, desc="Translating")

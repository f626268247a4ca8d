"""Items from records: rows of a JSONL/CSV/TSV file or of a ``datasets`` dataset, through a field mapping.

Default fields, the first one present in a row is used:

- input: ``text`` for summaries; ``source`` then ``text`` for translation;
- reference: ``refs``, ``summary_sentences``, ``bullets``, ``summary``, ``reference`` for summaries;
  ``reference`` for translation.

List values: a list in the summaries text field holds the article's paragraphs; a list of strings in a
summaries reference field is one reference given as sentences (bullets), a list of such lists (and the
``refs`` field, always) several references; a list of strings in a translation reference field is several
references, the same number for every item.
"""
from __future__ import annotations

import csv
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any, Literal

from idnews.errors import InputError
from idnews.evaluation.io import Summary, jsonl_values, read_text

Task = Literal["summaries", "translation"]
Row = tuple[str, Mapping[str, Any]]
"""Where a row is (``"line 3"``, ``"row 3"``) and its fields."""

INPUT_FIELDS: dict[str, tuple[str, ...]] = {"summaries": ("text",), "translation": ("source", "text")}
REFERENCE_FIELDS: dict[str, tuple[str, ...]] = {
    "summaries": ("refs", "summary_sentences", "bullets", "summary", "reference"),
    "translation": ("reference",),
}
TABLE_SUFFIXES = (".jsonl", ".csv", ".tsv")


def table_rows(path: Path) -> Iterator[Row]:
    """Rows of a JSONL (one object a line; blank lines are skipped), CSV or TSV file (first line: field names)."""
    suffix = path.suffix.lower()
    if suffix == ".jsonl":
        for line_no, value in jsonl_values(path, skip_blank=True):
            if not isinstance(value, dict):
                raise InputError(path, f"line {line_no}: each line must be a JSON object with named fields")
            yield f"line {line_no}", value
        return
    if suffix not in (".csv", ".tsv"):
        raise InputError(path, f"not a table of items: use {', '.join(TABLE_SUFFIXES)}, or give --ref for a file pair")
    text = read_text(path).removeprefix("\ufeff")  # spreadsheet programs start CSV files with a BOM
    try:
        reader = csv.DictReader(text.splitlines(keepends=True), delimiter="\t" if suffix == ".tsv" else ",")
        for row in reader:
            if None in row:
                named = len(reader.fieldnames or [])
                raise InputError(path, f"line {reader.line_num}: more cells than the {named} named in the first line")
            yield f"line {reader.line_num}", row
    except csv.Error as exc:
        raise InputError(path, f"line {reader.line_num}: {exc}") from None


def dataset_rows(dataset: Iterable[Mapping[str, Any]]) -> Iterator[Row]:
    """Rows of a ``datasets`` dataset, numbered from 1."""
    for number, row in enumerate(dataset, start=1):
        yield f"row {number}", row


def check_columns(columns: Iterable[str], fields: Iterable[str | None], where: str | Path) -> None:
    """A named field that is not a column of a ``datasets`` dataset is an error listing the columns."""
    known = list(columns)
    for field in fields:
        if field is not None and field not in known:
            raise InputError(where, f"no column {field!r} (columns: {', '.join(known)})")


def _pick(
    row: Mapping[str, Any],
    field: str | None,
    defaults: tuple[str, ...],
    what: str,
    option: str,
    where: str,
    origin: str | Path,
) -> tuple[str, Any]:
    """``(field name, value)``: the named field, or the first default field present."""
    if field is not None:
        if field not in row:
            raise InputError(origin, f"{where}: no {field!r} field")
        if row[field] is None:
            raise InputError(origin, f"{where}: the {field!r} field is empty")
        return field, row[field]
    found = next((name for name in defaults if row.get(name) is not None), None)
    if found is None:
        raise InputError(origin, f"{where}: no {what} ({', '.join(defaults)}); name the field with {option}")
    return found, row[found]


def _string_list(value: Any) -> bool:
    return isinstance(value, list) and bool(value) and all(isinstance(v, str) for v in value)


def _summary_reference(value: Any) -> bool:
    return isinstance(value, str) and bool(value.strip()) or _string_list(value)


def summary_fields(
    row: Mapping[str, Any], input_field: str | None, reference_field: str | None, where: str, origin: str | Path
) -> tuple[str, list[Summary]]:
    """The article text and the references of one summaries row."""
    name, text = _pick(row, input_field, INPUT_FIELDS["summaries"], "article text", "--text-field", where, origin)
    if _string_list(text):
        text = "\n\n".join(text)
    if not isinstance(text, str) or not text.strip():
        raise InputError(origin, f"{where}: {name!r} must be a non-empty string or list of paragraph strings")
    name, value = _pick(
        row, reference_field, REFERENCE_FIELDS["summaries"], "reference summary", "--reference-field", where, origin
    )
    several = name == "refs" or (isinstance(value, list) and any(isinstance(v, list) for v in value))
    references = list(value) if several and isinstance(value, list) else [value]
    if not references or not all(_summary_reference(ref) for ref in references):
        raise InputError(
            origin, f"{where}: {name!r} must be a summary string, a list of sentence strings, or a list of such references"
        )
    return text, references


def translation_fields(
    row: Mapping[str, Any], input_field: str | None, reference_field: str | None, where: str, origin: str | Path
) -> tuple[str, tuple[str, ...]]:
    """The source segment and the reference translation(s) of one translation row."""
    name, source = _pick(row, input_field, INPUT_FIELDS["translation"], "source segment", "--source-field", where, origin)
    if not isinstance(source, str):
        raise InputError(origin, f"{where}: {name!r} must be a string")
    name, value = _pick(row, reference_field, REFERENCE_FIELDS["translation"], "reference", "--reference-field", where, origin)
    if isinstance(value, str):
        return source, (value,)
    if not _string_list(value):
        raise InputError(origin, f"{where}: {name!r} must be a string or a non-empty list of reference strings")
    return source, tuple(value)


def row_id(row: Mapping[str, Any], number: int) -> str:
    """The row's own ``id`` when it has one, else its number among the items (from 1), so the same items
    get the same ids in every form."""
    value = row.get("id")
    return str(value) if value is not None and str(value) else str(number)

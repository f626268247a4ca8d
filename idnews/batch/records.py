"""Input records: a page file (``.txt``/``.md``/``.html``) is one record; a ``.jsonl`` file is one per line.

Reading is lazy and streaming: a JSON-lines file is read line by line (blank lines are ignored), and a line
longer than the size limit is skipped (as a failed record) without being held in memory.
"""
from __future__ import annotations

import json
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from idnews.batch.discover import INPUT_SUFFIXES
from idnews.decode import unicode_problem
from idnews.errors import InputError

TEXT_FIELD = "text"
CHUNK = 1 << 20
# A \uD800-\uDFFF escape: a surrogate, valid only as the first or second half of a pair.
_SURROGATE_ESCAPE = re.compile(rb"\\u[dD][89a-fA-F]")


def max_input_bytes() -> int:
    """The size limit of one page (or one JSON line): the reader's ``MAX_INPUT_BYTES``."""
    from idnews.decode import MAX_INPUT_BYTES

    return MAX_INPUT_BYTES


@dataclass(frozen=True)
class Record:
    """One unit of work: the page at ``path``, or the ``text`` of one JSON line or data-set row.

    ``name`` identifies the record in logs and errors (``pages/a.html``, ``rows.jsonl:12``); ``fields`` are the
    row's other fields, carried through to the output unchanged. A record that failed to read carries the
    reason in ``problem`` so that its place in a JSON-lines output is kept.
    """

    name: str
    path: Path | None = None
    text: str | None = None
    fields: Mapping[str, Any] = field(default_factory=dict)
    problem: str | None = None
    line: int | None = None
    #: For a JSON line: the byte offset just past it, where reading resumes after this record.
    end_offset: int | None = None

    @classmethod
    def from_row(
        cls, row: Mapping[str, Any], *, name: str, column: str = TEXT_FIELD, line: int | None = None
    ) -> Record:
        """A record from a JSON object or data-set row whose ``column`` holds the page text."""
        text = row.get(column)
        fields = {k: v for k, v in row.items() if k != column}
        if not isinstance(text, str):
            found = "missing" if text is None else f"a {type(text).__name__}, not a string"
            return cls(name, fields=fields, problem=f"field {column!r} is {found}", line=line)
        return cls(name, text=text, fields=fields, line=line)


def read_records(path: Path, name: str, *, start: tuple[int, int] = (0, 0)) -> Iterator[Record]:
    """The records of one input file (``name`` is how it is shown); unsupported file types raise :class:`InputError`.

    ``start`` is (byte offset, line number) of the line a JSON-lines file is read after: a resumed run's place.
    """
    suffix = path.suffix.lower()
    if suffix == ".jsonl":
        yield from _jsonl_records(path, name, start)
    elif suffix in INPUT_SUFFIXES or suffix == "":
        yield Record(name, path=path)
    else:
        raise InputError(path, f"unsupported file type {suffix!r} (supported: {', '.join(sorted(INPUT_SUFFIXES))})")


def _jsonl_records(path: Path, name: str, start: tuple[int, int]) -> Iterator[Record]:
    limit = max_input_bytes()
    with open(path, "rb") as handle:
        offset, number = start
        handle.seek(offset)
        while True:
            line = handle.readline(limit + 1)
            if not line:
                return
            number += 1
            where = f"{name}:{number}"
            if len(line) > limit and not line.endswith(b"\n"):
                _skip_rest_of_line(handle)
                problem = f"line is longer than the {limit:,}-byte limit"
                yield Record(where, problem=problem, line=number, end_offset=handle.tell())
                continue
            if not line.strip():  # blank lines hold no record
                continue
            yield replace(_parse_line(line, where, number), end_offset=handle.tell())


def _skip_rest_of_line(handle: Any) -> None:
    while True:
        chunk = handle.readline(CHUNK)
        if not chunk or chunk.endswith(b"\n"):
            return


def _not_json_number(constant: str) -> Any:
    raise ValueError(f"{constant} is not a JSON number")


def _parse_line(line: bytes, where: str, number: int) -> Record:
    try:
        row = json.loads(line.decode("utf-8"), parse_constant=_not_json_number)
    except UnicodeDecodeError as exc:
        return Record(where, problem=f"not UTF-8 ({exc.reason} at byte {exc.start})", line=number)
    except json.JSONDecodeError as exc:
        return Record(where, problem=f"not valid JSON ({exc.msg} at column {exc.colno})", line=number)
    except ValueError as exc:  # NaN, Infinity: Python reads them, but they are not JSON and could not be written back
        return Record(where, problem=f"not valid JSON ({exc})", line=number)
    if not isinstance(row, dict):
        problem = f"a JSON {type(row).__name__}, not an object with a {TEXT_FIELD!r} field"
        return Record(where, problem=problem, line=number)
    if _SURROGATE_ESCAPE.search(line):
        for key, value in row.items():
            text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
            field_problem = unicode_problem(key) or unicode_problem(text)
            if field_problem is not None:  # no output could hold it: the row fails instead of the run
                return Record(where, problem=f"field {key!r} {field_problem}", line=number)
    return Record.from_row(row, name=where, line=number)

"""Data specs: how an evaluation data set is named, on the command line and in suite files.

=================================== ================================================================
``indosum-test``                    a built-in data set (see :mod:`idnews.evaluation.datasets`)
``pair:SRC,REF``                    line-aligned source and reference files (translation);
                                    on the command line ``--data SRC --ref REF``
``FILE.jsonl`` / ``.csv`` / ``.tsv``  one item per line or row, with a field mapping
``DIR``                             a ``datasets`` folder written by ``save_to_disk``, or a folder of news
                                    pages whose own "Intinya sih..." bullets are the references
``hf:OWNER/NAME[:CONFIG][@SPLIT]``  a Hugging Face dataset read from the local ``datasets`` cache only
=================================== ================================================================

A field mapping names the input field (``source_field``/``text_field``) and the reference field
(``reference_field``) of tables and ``datasets`` datasets; ``split`` picks a split of a ``datasets`` dataset.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, replace
from pathlib import Path

from idnews.errors import InputError

PAIR_PREFIX = "pair:"
HUB_PREFIX = "hf:"
_HUB_ID = re.compile(r"^(?P<repo>[\w.-]+/[\w.-]+)(?::(?P<config>[\w.-]+))?(?:@(?P<split>[\w.-]+))?$")


@dataclass(frozen=True)
class HubId:
    """``OWNER/NAME``, an optional config and an optional split of a Hugging Face dataset."""

    repo: str
    config: str | None = None
    split: str | None = None


def parse_hub_id(text: str) -> HubId:
    """Parse ``hf:OWNER/NAME[:CONFIG][@SPLIT]``; a malformed id is an :class:`InputError`."""
    match = _HUB_ID.match(text.removeprefix(HUB_PREFIX))
    if not text.startswith(HUB_PREFIX) or match is None:
        raise InputError(None, f"{text!r} is not a hub id; write hf:OWNER/NAME, hf:OWNER/NAME:CONFIG or add @SPLIT")
    return HubId(repo=match["repo"], config=match["config"], split=match["split"])


@dataclass(frozen=True)
class DataSpec:
    """One data set as the user named it, with its field mapping.

    ``data`` is a built-in name, a path or a ``hf:`` id; ``ref`` the reference file of a line-aligned pair;
    ``name`` the spec as the user wrote it, kept for reports when paths are resolved.
    """

    data: str
    ref: str | None = None
    split: str | None = None
    input_field: str | None = None
    reference_field: str | None = None
    name: str | None = None

    @classmethod
    def parse(
        cls,
        text: str,
        *,
        ref: str | None = None,
        split: str | None = None,
        input_field: str | None = None,
        reference_field: str | None = None,
    ) -> DataSpec:
        """Read a spec string (``pair:SRC,REF``, ``hf:...``, a name or a path) plus separately given options."""
        text = str(text)
        if not text.strip():
            raise InputError(None, "an empty data set name")
        if text.startswith(PAIR_PREFIX):
            if ref is not None:
                raise InputError(None, f"{text!r} already names its reference file; leave out the separate reference")
            parts = text[len(PAIR_PREFIX):].split(",")
            if len(parts) != 2 or not all(p.strip() for p in parts):
                raise InputError(None, f"{text!r}: a pair is written pair:SOURCE_FILE,REFERENCE_FILE")
            return cls(parts[0].strip(), parts[1].strip(), split, input_field, reference_field, text)
        if text.startswith(HUB_PREFIX):
            hub = parse_hub_id(text)
            if hub.split is not None and split is not None and split != hub.split:
                raise InputError(None, f"{text!r} names split {hub.split!r} but the split {split!r} was also given")
            return cls(text, ref, split or hub.split, input_field, reference_field)
        return cls(text, ref, split, input_field, reference_field)

    def label(self) -> str:
        """The spec as written: the data set's name in reports, signatures and output file names."""
        if self.name:
            return self.name
        return f"{PAIR_PREFIX}{self.data},{self.ref}" if self.ref is not None else self.data

    def hub_id(self) -> HubId | None:
        """The parsed ``hf:`` id (with the effective split), or ``None`` for other specs."""
        if not self.data.startswith(HUB_PREFIX):
            return None
        return replace(parse_hub_id(self.data), split=self.split)

    def relative_to(self, folder: Path, builtin_names: set[str]) -> DataSpec:
        """The spec with relative file and folder paths taken from ``folder`` (a suite file's folder); the
        label keeps the paths as written."""
        if self.data.startswith(HUB_PREFIX) or (self.ref is None and self.data in builtin_names):
            return self

        def resolve(path: str) -> str:
            candidate = Path(path).expanduser()
            return str(candidate if candidate.is_absolute() else folder / candidate)

        return replace(
            self, data=resolve(self.data), ref=None if self.ref is None else resolve(self.ref), name=self.label()
        )

    def mapping(self) -> str:
        """The split and field mapping as ``key=value`` words (empty when none was given)."""
        pairs = [("split", self.split), ("input", self.input_field), ("reference", self.reference_field)]
        if self.data.startswith(HUB_PREFIX) and "@" in self.data:
            pairs = pairs[1:]
        return " ".join(f"{key}={value}" for key, value in pairs if value is not None)

    def __str__(self) -> str:
        mapping = self.mapping()
        return f"{self.label()} [{mapping}]" if mapping else self.label()

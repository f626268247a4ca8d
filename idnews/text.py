"""Indonesian sentence splitting and small text utilities.

Placeholder-quality first version; the full rule set (abbreviations, decimals, run-together sentences,
quotes and attributions) lives here too.
"""
from __future__ import annotations

import re

_BOUNDARY = re.compile(r"(?<=[.!?…])[\"”’)]*\s+(?=[\"“‘(]?[A-Z0-9])")


def split_sentences(paragraph: str) -> list[str]:
    """Split one paragraph of Indonesian text into sentences (whitespace-trimmed, none empty)."""
    text = " ".join(paragraph.split())
    if not text:
        return []
    return [s.strip() for s in _BOUNDARY.split(text) if s.strip()]

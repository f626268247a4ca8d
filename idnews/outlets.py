"""Outlet profiles: how to recognise a news outlet's pages and which of their lines are boilerplate.

The rules are data (``idnews/data/outlets.json``), not code paths: a profile lists detection patterns, its
dateline pattern, byline patterns, lines to drop (anywhere, or only above the story), lines where the article
ends and an optional summary block (IDN Times' "Intinya sih..."). The ``generic`` rules clean every page,
including outlets no profile knows. Adding an outlet means adding a profile (and a test page);
:meth:`OutletTable.from_json` reads a table of your own.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

from idnews.errors import InputError, UnknownNameError

#: Lines of a page scanned for detection patterns (the signature lines sit near the top or bottom).
_DETECT_LINES = 400


@dataclass(frozen=True)
class SummaryBlock:
    """An outlet's own bullet summary: a heading line, bullet items, and disclaimer lines right after it."""

    start: re.Pattern[str]
    item: re.Pattern[str]
    drop_after: tuple[re.Pattern[str], ...] = ()


@dataclass(frozen=True)
class Rules:
    """Compiled line rules; a profile's rules are the generic ones plus its own."""

    datelines: tuple[re.Pattern[str], ...] = ()
    bylines: tuple[re.Pattern[str], ...] = ()
    drop: tuple[re.Pattern[str], ...] = ()
    header_drop: tuple[re.Pattern[str], ...] = ()
    end: tuple[re.Pattern[str], ...] = ()
    summary_block: SummaryBlock | None = None
    prompts: tuple[re.Pattern[str], ...] = ()

    def is_prompt(self, sentence: str) -> bool:
        """Whether ``sentence`` is a link or app prompt, a credit line or a URL: never story text."""
        return any(pattern.search(sentence) for pattern in self.prompts)

    def extended(self, other: Rules) -> Rules:
        """These rules followed by ``other``'s; ``other``'s datelines and bylines are tried first."""
        return Rules(
            datelines=other.datelines + self.datelines,
            bylines=other.bylines + self.bylines,
            drop=self.drop + other.drop,
            header_drop=self.header_drop + other.header_drop,
            end=self.end + other.end,
            summary_block=other.summary_block or self.summary_block,
            prompts=self.prompts + other.prompts,
        )


@dataclass(frozen=True)
class OutletProfile:
    """One outlet: its canonical ``name``, the names users may type, its web domains and its rules."""

    name: str
    aliases: tuple[str, ...] = ()
    domains: tuple[str, ...] = ()
    detect: tuple[tuple[re.Pattern[str], int], ...] = ()
    rules: Rules = field(default_factory=Rules)

    def score(self, lines: list[str]) -> int:
        """Sum of the weights of the detection patterns found in ``lines``."""
        return self.score_text("\n".join(lines))

    def score_text(self, text: str) -> int:
        """:meth:`score` of lines joined by newlines (detection patterns are compiled line by line, with
        ``re.MULTILINE``: one search of the page per pattern)."""
        return sum(weight for pattern, weight in self.detect if pattern.search(text))


class OutletTable:
    """The generic rules plus the known outlet profiles; looks outlets up by name and detects them on a page."""

    def __init__(self, generic: Rules, profiles: list[OutletProfile], *, min_detect_score: int = 2) -> None:
        self.generic = generic
        self.profiles = list(profiles)
        self.min_detect_score = min_detect_score
        self._by_key = {}
        for profile in self.profiles:
            for key in (profile.name, *profile.aliases, *profile.domains):
                self._by_key[_key(key)] = profile

    @classmethod
    def from_json(cls, path: str | Path) -> OutletTable:
        """Read a table in the format of ``idnews/data/outlets.json``."""
        path = Path(path)
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise InputError(path, f"cannot read outlet table ({exc})") from None
        return cls.from_dict(data, source=str(path))

    @classmethod
    def from_dict(cls, data: dict[str, Any], *, source: str = "<outlet table>") -> OutletTable:
        try:
            generic = _rules(data.get("generic", {}))
            profiles = [_profile(entry) for entry in data.get("outlets", [])]
        except (KeyError, TypeError, ValueError, re.error) as exc:
            raise InputError(source, f"invalid outlet table: {exc}") from None
        return cls(generic, profiles, min_detect_score=int(data.get("min_detect_score", 2)))

    @property
    def names(self) -> list[str]:
        return [profile.name for profile in self.profiles]

    def get(self, name: str) -> OutletProfile:
        """The profile called ``name`` (canonical name, alias or domain; case-insensitive)."""
        profile = self._by_key.get(_key(name))
        if profile is None:
            raise UnknownNameError("outlet", name, self.names)
        return profile

    def for_domain(self, url_or_domain: str) -> OutletProfile | None:
        """The profile whose domain ``url_or_domain`` belongs to (the most specific domain wins), if any."""
        host = re.sub(r"^[a-z]+://", "", url_or_domain.strip().lower()).split("/", 1)[0]
        matches = [
            (len(domain), profile)
            for profile in self.profiles
            for domain in profile.domains
            if host == domain or host.endswith("." + domain)
        ]
        return max(matches, key=lambda match: match[0])[1] if matches else None

    def detect(self, lines: list[str]) -> OutletProfile | None:
        """The best-scoring profile for a page's lines, or ``None`` when none reaches ``min_detect_score``."""
        sample = lines[:_DETECT_LINES] + lines[-_DETECT_LINES:] if len(lines) > 2 * _DETECT_LINES else lines
        text = "\n".join(sample)
        best, best_score = None, 0
        for profile in self.profiles:
            score = profile.score_text(text)
            if score > best_score:
                best, best_score = profile, score
        return best if best_score >= self.min_detect_score else None

    def rules_for(self, profile: OutletProfile | None) -> Rules:
        return self.generic if profile is None else self.generic.extended(profile.rules)


@lru_cache(maxsize=1)
def default_table() -> OutletTable:
    """The outlet table shipped with idnews."""
    text = (resources.files("idnews") / "data" / "outlets.json").read_text(encoding="utf-8")
    return OutletTable.from_dict(json.loads(text), source="idnews/data/outlets.json")


def _key(name: str) -> str:
    return " ".join(name.lower().split())


def _compile(patterns: list[str]) -> tuple[re.Pattern[str], ...]:
    return tuple(re.compile(p) for p in patterns)


def _rules(data: dict[str, Any]) -> Rules:
    block = data.get("summary_block")
    summary = None
    if block:
        summary = SummaryBlock(
            re.compile(block["start"]), re.compile(block["item"]), _compile(block.get("drop_after", []))
        )
    datelines = _compile(data.get("datelines", []))
    for pattern in datelines:
        if "dateline" not in pattern.groupindex:
            raise ValueError(f"dateline pattern {pattern.pattern!r} has no (?P<dateline>...) group")
    return Rules(
        datelines=datelines,
        bylines=_compile(data.get("bylines", [])),
        drop=_compile(data.get("drop", [])),
        header_drop=_compile(data.get("header_drop", [])),
        end=_compile(data.get("end", [])),
        summary_block=summary,
        prompts=_compile(data.get("prompts", [])),
    )


def _profile(data: dict[str, Any]) -> OutletProfile:
    return OutletProfile(
        name=data["name"],
        aliases=tuple(data.get("aliases", [])),
        domains=tuple(data.get("domains", [])),
        detect=tuple((re.compile(pattern, re.MULTILINE), int(weight)) for pattern, weight in data.get("detect", [])),
        rules=_rules(data),
    )

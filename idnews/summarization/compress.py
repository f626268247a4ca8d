"""Sentence compression for "Intinya"-style bullets: deletion only, plus one pronoun made explicit.

A bullet read on its own does not need where and when a source spoke (``, ujar Prabowo dalam keterangannya,
Selasa (21/10/2025).``), the weekday-and-date parenthesis of a news report or a discourse opener that links it
to a sentence the reader never sees (``Sementara itu,``). :func:`compress` deletes those and never adds a word.
:func:`resolve_subject` replaces a leading pronoun subject (``Ia``, ``Dia``, ``Beliau``) with the person the
previous sentence names. Both work on one sentence of Indonesian news text; structure (captions, promos,
datelines) was already decided by the reader.
"""
from __future__ import annotations

import re

_SPEECH_VERBS = (
    "kata|ujar|ucap|jelas|tutur|ungkap|imbuh|tambah|papar|sebut|tegas|lanjut|terang|pungkas|tukas|sambung|timpal"
)
_SPEECH = rf"(?:(?:{_SPEECH_VERBS})(?:nya)?)"
_DAY = r"(?:Senin|Selasa|Rabu|Kamis|Jumat|Jum'at|Sabtu|Minggu|Ahad)"
# Where an attribution stops naming the speaker and starts saying where, when or how they spoke.
_SETTING = (
    r"di|dalam|saat|ketika|kepada|pada|usai|seusai|melalui|lewat|dikutip|ditemui|dihubungi|seperti|menjawab|"
    r"menanggapi|sebagaimana"
)

# '..., harga cabai akan terkendali," kata Direktur Ari Wibowo di Medan, Selasa (21/10/2025).'
_QUOTE_TAIL = re.compile(
    rf"(?P<close>[,.!?…]?[\"”])\s*(?P<verb>{_SPEECH})\b(?P<who>[^,.\"”]*?)(?=\s+(?:{_SETTING})\b|,|\.?$).*$"
)
# 'Prabowo akan menaikkan anggaran, ujar Prabowo dalam keterangannya, Selasa (21/10/2025).'
_PLAIN_TAIL = re.compile(rf",\s*{_SPEECH}\b[^\"“”]*$")
_MIN_KEPT_CHARACTERS = 30
# ', Selasa (21/10/2025)', 'pada Senin (20/10) lalu', ' (21/10/2025)'
# (a date set off by commas on both sides takes both with it: "Korsel, pada Selasa (4/11/2025), mengungkapkan")
_DATE = re.compile(
    rf"(?P<lead>,?)\s*(?:[Pp]ada\s+)?(?:hari\s+)?{_DAY}\s*\(\d{{1,2}}/\d{{1,2}}(?:/\d{{2,4}})?\)"
    r"(?:\s+(?:lalu|kemarin|malam|pagi|siang|sore|dini hari))?(?P<trail>,(?=\s))?"
    r"|\s*\(\d{1,2}/\d{1,2}/\d{2,4}\)"
)
# A date that is the object of a preposition is part of what the sentence says ("hujan hingga Minggu (17/11)").
_NEEDS_OBJECT = re.compile(
    r"\b(?:hingga|sampai|sejak|mulai|jelang|menjelang|sebelum|setelah|sesudah|usai|tanggal|dari|ke|antara|dan)\s*$",
    re.IGNORECASE,
)
_OPENER = re.compile(
    r"^(?:Sementara itu|Selain itu|Di sisi lain|Di samping itu|Adapun|Namun demikian|Meski demikian|"
    r"Oleh karena itu|Oleh sebab itu|Dengan demikian|Lebih lanjut|Lebih jauh|Kemudian|Selanjutnya|Sebelumnya|"
    r"Diketahui|Seperti diketahui|Untuk diketahui|Sebagai informasi|Dalam kesempatan (?:itu|tersebut)|"
    r"Pada kesempatan (?:itu|tersebut)|Dalam keterangannya|Tak hanya itu|Bahkan|Namun|Tetapi|Akan tetapi|"
    r"Maka|Jadi|Lalu),\s+(?=\S)"
)
_PRONOUN_SUBJECT = re.compile(r"^(?:Ia|Dia|Beliau)\s+(?=[a-z])")
_NAME_WORD = r"(?:[A-Z][\w'’.-]*)"
_SPEAKER = re.compile(rf"\b(?:{_SPEECH}|[Mm]enurut)\s+(?P<name>{_NAME_WORD}(?:\s+{_NAME_WORD}){{0,3}})")
# 'Ari mengatakan, ...', 'Menkeu Purbaya Yudhi Sadewa menegaskan ...': a capitalised subject, then a verb.
_LEADING_NAME = re.compile(rf"^(?P<name>{_NAME_WORD}(?:\s+{_NAME_WORD}){{0,3}})\s+(?:me|ber|men|mem|meng|meny)[a-z]+\b")
_NOT_NAMES = frozenset(
    "Ia Dia Beliau Mereka Kami Kita Saya Ini Itu Hal Para Sementara Selain Menurut Dalam Pada Namun Sebelumnya "
    "Kemudian Selanjutnya Pemerintah Polisi Warga".split()
)
_QUOTE_OPENERS = "\"“'‘"


def compress(sentence: str) -> str:
    """``sentence`` with its attribution tail, weekday-and-date parenthesis and discourse opener deleted.

    A quotation keeps its speaker (``"…," kata Ari Wibowo.``): only the setting after the name goes. Words are
    only ever deleted; when a rule would leave too little of the sentence, it is not applied."""
    text = _DATE.sub(_without_date, sentence).strip()
    text = text[:1].upper() + text[1:]
    quote = _QUOTE_TAIL.search(text)
    if quote:
        who = quote.group("who").strip()
        text = f"{text[:quote.start()]}{quote.group('close')} {quote.group('verb')}{' ' + who if who else ''}."
    elif not any(mark in text for mark in "\"“”"):
        tail = _PLAIN_TAIL.search(text)
        if tail and tail.start() >= _MIN_KEPT_CHARACTERS:
            text = text[: tail.start()].rstrip(" ,") + "."
    opener = _OPENER.match(text)
    if opener and len(text) - opener.end() >= _MIN_KEPT_CHARACTERS:
        rest = text[opener.end():]
        text = rest[:1].upper() + rest[1:]
    text = re.sub(r"\s+([,.])", r"\1", text)
    text = re.sub(r",\.$", ".", text)
    return text.strip()


def _without_date(match: re.Match[str]) -> str:
    """Nothing, or the comma a date without a comma before it was followed by ("Kamis (18/9), kata ...")."""
    if _NEEDS_OBJECT.search(match.string[: match.start()]):
        return match.group(0)
    keeps_comma = match.group("trail") and not match.group("lead") and match.start() > 0
    return "," if keeps_comma else ""


def named_person(sentence: str) -> str | None:
    """The person ``sentence`` names as its speaker (``… kata Ari Wibowo``, ``Menurut Ari, …``) or its subject
    (``Ari mengatakan``)."""
    for pattern in (_SPEAKER, _LEADING_NAME):
        match = pattern.search(sentence)
        if match:
            words = match.group("name").split()
            while words and words[-1].rstrip(".") in ("SH", "MH", "MM", "MSi", "PhD", "SE"):
                words.pop()
            if words and words[0] not in _NOT_NAMES:
                return " ".join(words)
    return None


def resolve_subject(sentence: str, previous: str | None) -> str:
    """``sentence`` with a leading pronoun subject (``Ia``, ``Dia``, ``Beliau``) replaced by the person
    ``previous`` names; unchanged when it does not start with one or ``previous`` names nobody."""
    match = _PRONOUN_SUBJECT.match(sentence)
    if not match or previous is None:
        return sentence
    name = named_person(previous)
    return f"{name} {sentence[match.end():]}" if name else sentence


def opens_with_quote(sentence: str) -> bool:
    """Whether ``sentence`` starts inside a quotation (a bullet that needs the sentence before it)."""
    return sentence[:1] in _QUOTE_OPENERS

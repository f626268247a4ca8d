"""Indonesian sentence splitting.

:func:`split_sentences` is rule based and tuned on Indonesian news: it knows the common abbreviations and
honorifics (``dr.``, ``Prof.``, ``H.``, ``Jl.``, ``No.``, ``Rp.``, ``S.H.``, ``M.Si.``, initials), leaves
numbers and dates alone (``2,5``, ``3.000``, ``4/11/2025``), keeps quotations together with their attribution
(``"…," kata Ryder.``), splits bulleted items apart and repairs sentences that scraping ran together
(``Kyiv Independent.Pada 13 Oktober``). ``benchmarks/sentence_split_f1.py`` measures it against IndoSum.
"""
from __future__ import annotations

import re
import unicodedata

#: Abbreviations (lower case, without the final period) after which a period never ends a sentence.
TITLE_ABBREVIATIONS = frozenset(
    """
    dr drg dra drs ir prof h hj kh ust st sdr sdri bpk yth ny nn tn mr mrs ms jr sr
    jl jln gg no rp rt rw kec kel kab prov rep hlm vol tgl pkl
    pt cv tbk
    a.n u.p s.d a.k.a c.q
    jend letjen mayjen brigjen kol letkol kapt lettu letda serma serka sertu serda kopda
    pol purn kapolri komjen irjen kombes akbp kompol akp iptu ipda aiptu aipda bripka brigpol briptu bripda
    sp spa spog spd spb
    jan feb mar apr jun jul agu ags agt sep sept okt nov des
    vs
    """.split()
)

#: Abbreviations that often close a sentence: they end one when an upper-case word follows.
CLOSING_ABBREVIATIONS = frozenset("dll dsb dst dkk tsb etc sbb".split())

_OPENERS = "\"'“‘«([{"
_CLOSERS = "\"'”’»)]}"

# A run of terminal punctuation plus closing quotes/brackets, then either whitespace and the start of a new
# sentence (an opener, upper-case letter, digit or bullet) or the reporter's initials in brackets ending the
# paragraph, or, with no space at all, an upper-case word that scraping glued on ("Independent.Pada").
_CANDIDATE = re.compile(
    r"(?<![.!?…])(?P<end>[.!?…]+[\"'”’»)\]]*)"
    r"(?:(?P<space>\s+)(?=[\"'“‘«(\[]*[A-ZÀ-ÖØ-Þ0-9•]"
    r"|(?P<initials>[(\[][a-z]{2,6}(?:\s*/\s*[a-z]{2,6})*[)\]]\s*$))"
    r"|(?P<glued>(?=[\"“]?[A-Z][a-z])))"
)
_BULLET = re.compile(r"\s+(?=[•●▪◦]\s)|\n+\s*(?=(?:[-*•●▪◦]|\d{1,2}[.)])\s)")
_ABBREVIATION_PARTS = re.compile(r"(?:[A-Za-z]{1,4}\.)+[A-Za-z]{1,4}")
_WEB_SUFFIXES = ("com", "id", "net", "org", "co", "go", "ac", "tv", "info", "io")
_GLUED_WORD = re.compile(r"[A-Za-z]*[a-z]{2}")
_ROMAN = re.compile(r"[IVX]{1,4}")
#: Longer than any abbreviation; longer words are checked in place (see :func:`_is_boundary`).
_LONG_WORD = 40
_WORD = re.compile(r"\w+", re.UNICODE)


def words(text: str) -> list[str]:
    """Lowercased Unicode word tokens of ``text`` (NFC-normalised): the tokens of summarisation and ROUGE."""
    return _WORD.findall(unicodedata.normalize("NFC", text).lower())


def split_sentences(paragraph: str) -> list[str]:
    """Split one paragraph of Indonesian text into sentences (whitespace-trimmed, none empty).

    Whitespace inside a sentence is collapsed to single spaces; no other character is added, dropped or changed.
    """
    sentences: list[str] = []
    for item in _BULLET.split(paragraph):
        text = " ".join(item.split())
        if text:
            sentences.extend(_split_item(text))
    return sentences


def _split_item(text: str) -> list[str]:
    pieces: list[str] = []
    start = 0
    last_space = scanned = -1  # the last space before ``scanned``, found once: rescanning made long text quadratic
    for match in _CANDIDATE.finditer(text):
        found = text.rfind(" ", max(scanned, start), match.start())
        last_space = found if found >= 0 else last_space
        scanned = match.start()
        if not _is_boundary(text, match, start, last_space + 1 if last_space >= start else 0):
            continue
        cut = match.end("end")
        piece = text[start:cut].strip()
        if piece:
            pieces.append(piece)
        start = match.end()
    rest = text[start:].strip()
    if rest:
        pieces.append(rest)
    return pieces


def _is_boundary(text: str, match: re.Match[str], sentence_start: int, space_after: int) -> bool:
    """Whether ``match`` ends the sentence begun at ``sentence_start``; the word before it starts at
    ``space_after`` (after the last space since the sentence start, else 0)."""
    if match.group("initials") is not None:
        return True  # the reporter's initials closing a paragraph, "(har)", "(tfa/mij)", are a segment of their own
    punctuation = match.group("end").rstrip(_CLOSERS)
    glued = match.group("glued") is not None
    end = match.start()
    word_start = space_after
    while word_start < end and text[word_start] in _OPENERS:
        word_start += 1
    if end - word_start > _LONG_WORD:
        # Checked in place: copying a long "word" for every candidate made text without spaces quadratic.
        return _is_long_word_boundary(text, word_start, end, punctuation, glued)
    word = text[word_start:end]
    if glued:
        # Only a lower-case word glued to a capitalised one is a scraping artefact; "Kompas.Com", "U.S.A",
        # "M.Si" and numbers are not.
        return punctuation == "." and bool(_GLUED_WORD.fullmatch(word)) and word.lower() not in TITLE_ABBREVIATIONS
    if punctuation != ".":
        return True  # "?", "!", "...", "…" followed by a new capitalised sentence
    lower = word.lower()
    if not word:
        return True
    if lower in TITLE_ABBREVIATIONS:
        return False
    following = text[match.end() : match.end() + 8].lstrip(_OPENERS)
    if lower in CLOSING_ABBREVIATIONS:
        return following[:1].isupper()
    if len(word) == 1 and word.isalpha():
        return False  # an initial: "Susilo B. Yudhoyono", "H. Agus"
    if "." in word and _ABBREVIATION_PARTS.fullmatch(word) and word.rsplit(".", 1)[1].lower() not in _WEB_SUFFIXES:
        return False  # "S.H.", "M.Si.", "a.n.", "U.S."
    if space_after == sentence_start and (word.isdigit() or _ROMAN.fullmatch(word)) and len(word) <= 3:
        return False  # a numbered heading or list item: "1. Sudah ada ...", "II. Hasil"
    return True


def _is_long_word_boundary(text: str, start: int, end: int, punctuation: str, glued: bool) -> bool:
    """:func:`_is_boundary` for a word longer than any abbreviation, numbered item or initial."""
    if glued:
        return punctuation == "." and bool(_GLUED_WORD.fullmatch(text, start, end))
    if punctuation != ".":
        return True
    if _ABBREVIATION_PARTS.fullmatch(text, start, end):
        return text[text.rfind(".", start, end) + 1 : end].lower() in _WEB_SUFFIXES
    return True

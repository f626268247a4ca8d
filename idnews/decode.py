"""Turning input files into clean Unicode text: size limit, encoding detection, newline and NFC normalisation.

Accepted encodings: UTF-8 (with or without BOM), UTF-16/UTF-32 with a BOM, and legacy cp1252 (latin-1 as the
last resort), which is logged as a warning because the guess can be wrong. Empty, binary, over-sized and
undecodable files raise :class:`idnews.errors.InputError` naming the file and the problem.
"""
from __future__ import annotations

import codecs
import logging
import re
import stat
import unicodedata
from pathlib import Path

from idnews.errors import InputError

log = logging.getLogger(__name__)

#: Largest input file read, in bytes (10 MiB). A news page is a few hundred kilobytes at most; anything bigger is
#: almost certainly not an article, and reading it would only waste memory.
MAX_INPUT_BYTES = 10 * 1024 * 1024

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_MAGIC = (
    (b"%PDF", "a PDF document"),
    (b"PK\x03\x04", "a ZIP archive (or a Word/Excel file)"),
    (b"\x1f\x8b", "a gzip archive"),
    (b"\x89PNG", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF8", "a GIF image"),
)
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f]")
#: Share of control characters above which decoded text is taken to be binary data.
_MAX_CONTROL_SHARE = 0.01
_ASCII_VISIBLE = re.compile(r"[!-~]")
#: Share of non-ASCII characters above which legacy-decoded bytes are taken to be random data: an Indonesian page
#: in cp1252 has a few accented letters and typographic quotes, far under this.
_MAX_FOREIGN_SHARE = 0.2
_SURROGATE = re.compile("[\ud800-\udfff]")


def read_text(path: str | Path) -> str:
    """Read ``path`` as text: decoded, newlines made ``\\n``, Unicode NFC.

    Raises :class:`InputError` when the file is missing, larger than :data:`MAX_INPUT_BYTES`, empty, binary or
    not decodable.
    """
    path = Path(path)
    try:
        status = path.stat()
    except FileNotFoundError:
        raise InputError(path, "file not found") from None
    except OSError as exc:
        raise InputError(path, f"cannot read file ({exc.strerror or exc})") from None
    problem = not_regular_file(status.st_mode)
    if problem is not None:
        raise InputError(path, problem)
    if status.st_size > MAX_INPUT_BYTES:
        raise InputError(path, f"file is {status.st_size:,} bytes, over the {MAX_INPUT_BYTES:,}-byte input limit")
    try:
        with open(path, "rb") as handle:
            data = handle.read(MAX_INPUT_BYTES + 1)  # bounded even when the file grows while it is read
    except OSError as exc:
        raise InputError(path, f"cannot read file ({exc.strerror or exc})") from None
    if len(data) > MAX_INPUT_BYTES:
        raise InputError(path, f"file is over the {MAX_INPUT_BYTES:,}-byte input limit")
    return decode_bytes(data, path=path)


def not_regular_file(mode: int) -> str | None:
    """Why a file of ``mode`` (from ``stat``) cannot be read as a page, or ``None`` for a regular file.

    Only regular files are read: a named pipe or a device has no end (or blocks), whatever its size says.
    """
    if stat.S_ISREG(mode):
        return None
    kinds = ((stat.S_ISDIR, "a directory"), (stat.S_ISFIFO, "a named pipe (FIFO)"), (stat.S_ISSOCK, "a socket"),
             (stat.S_ISCHR, "a character device"), (stat.S_ISBLK, "a block device"))
    kind = next((name for test, name in kinds if test(mode)), "not a plain file")
    return f"is {kind}, not a regular file"


def unicode_problem(text: str) -> str | None:
    """Why ``text`` is not valid Unicode (it holds a lone surrogate, which no encoding can write), or ``None``."""
    match = _SURROGATE.search(text)
    if match is None:
        return None
    return f"holds a lone surrogate (U+{ord(match.group()):04X}) at character {match.start()}; it is not valid Unicode"


def decode_bytes(data: bytes, *, path: str | Path | None = None) -> str:
    """Decode raw bytes of a page (see the module docstring for the rules) and normalise the text."""
    if len(data) > MAX_INPUT_BYTES:
        raise InputError(path, f"input is {len(data):,} bytes, over the {MAX_INPUT_BYTES:,}-byte input limit")
    if not data.strip():
        raise InputError(path, "file is empty")
    text, legacy = _decode(data, path)
    _reject_binary(text, path)
    if legacy:
        _reject_non_text(text, legacy, path)
    if legacy:
        log.warning("%s: not valid UTF-8; decoded as %s, check accented characters", path or "<bytes>", legacy)
    text = normalize_text(text)
    if not text.strip():
        raise InputError(path, "file holds only whitespace")
    return text


def normalize_text(text: str) -> str:
    """Unicode NFC, ``\\r\\n``/``\\r`` line ends as ``\\n``, no byte-order mark."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\ufeff", "")
    return unicodedata.normalize("NFC", text)


def _decode(data: bytes, path: str | Path | None) -> tuple[str, str | None]:
    """The decoded text, and the legacy encoding used when the bytes were not Unicode."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(encoding), None
            except UnicodeDecodeError as exc:
                name = encoding.upper().removesuffix("-SIG")
                problem = f"starts with a {name} byte-order mark but is not valid {name} (byte {exc.start})"
                raise InputError(path, problem) from None
    for magic, kind in _MAGIC:
        if data.startswith(magic):
            raise InputError(path, f"is {kind}, not a text or HTML page")
    if b"\x00" in data:
        raise InputError(path, "looks binary (contains NUL bytes); UTF-16 text needs a byte-order mark")
    try:
        return data.decode("utf-8"), None
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252"), "cp1252"
    except UnicodeDecodeError:  # one of the five bytes cp1252 leaves undefined
        return data.decode("latin-1"), "latin-1"


def _reject_non_text(text: str, encoding: str, path: str | Path | None) -> None:
    """Legacy-decoded bytes where few characters are ASCII are random data, not a page with a few accents."""
    visible = len(text) - text.count(" ") - text.count("\n")
    foreign = visible - len(_ASCII_VISIBLE.findall(text))
    if foreign > _MAX_FOREIGN_SHARE * visible:
        share = f"{foreign / visible:.0%}"
        raise InputError(path, f"does not look like text: not UTF-8, and as {encoding} {share} of its characters are "
                               "not ASCII")


def _reject_binary(text: str, path: str | Path | None) -> None:
    controls = len(_CONTROL.findall(text))
    if controls > _MAX_CONTROL_SHARE * len(text):
        raise InputError(path, f"looks binary ({controls} control characters in {len(text)}), not a text or HTML page")

"""Input decoding: encodings, normalisation, and clean errors for bad files."""
from __future__ import annotations

import logging
import unicodedata
from pathlib import Path

import pytest

import idnews
from idnews.decode import MAX_INPUT_BYTES, decode_bytes, read_text
from idnews.errors import IdnewsError, InputError

TEXT = "Jakarta, IDN Times - Menteri Keuangan Sri Mulyani menyebut kafe “Kopi Pagi” di Jalan Cikini naik 2,5 persen.\n"


def _write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("utf8.txt", TEXT.encode("utf-8")),
        ("utf8-bom.txt", TEXT.encode("utf-8-sig")),
        ("utf16-le.txt", TEXT.encode("utf-16")),  # Python writes a BOM
        ("utf16-be.txt", b"\xfe\xff" + TEXT.encode("utf-16-be")),
        ("crlf.txt", TEXT.replace("\n", "\r\n").encode("utf-8")),
    ],
)
def test_unicode_encodings(tmp_path: Path, name: str, data: bytes) -> None:
    assert read_text(_write(tmp_path, name, data)) == TEXT


def test_cp1252_is_decoded_with_a_warning(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    path = _write(tmp_path, "legacy.txt", TEXT.encode("cp1252"))
    with caplog.at_level(logging.WARNING, logger="idnews.decode"):
        assert read_text(path) == TEXT
    assert "cp1252" in caplog.text and "legacy.txt" in caplog.text


def test_latin1_bytes_undefined_in_cp1252_fall_back_to_latin1(caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.WARNING, logger="idnews.decode"):
        assert decode_bytes("Caf\xe9 \x81 buka.".encode("latin-1")) == "Café \x81 buka."
    assert "latin-1" in caplog.text


def test_text_is_nfc(tmp_path: Path) -> None:
    decomposed = unicodedata.normalize("NFD", "Café Jämtkraft")
    assert decomposed != "Café Jämtkraft"
    assert read_text(_write(tmp_path, "nfd.txt", decomposed.encode("utf-8"))) == "Café Jämtkraft"


@pytest.mark.parametrize(
    ("data", "problem"),
    [
        (b"", "empty"),
        (b"  \n\r\n\t ", "empty"),
        ("\ufeff \n".encode("utf-8"), "only whitespace"),
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", "PDF"),
        (b"PK\x03\x04\x14\x00\x06\x00", "ZIP"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "PNG"),
        (b"text\x00with\x00nul", "binary"),
        (bytes(range(1, 32)) * 10, "binary"),
        (b"\xff\xfe\x00\xd8", "UTF-16"),  # BOM, then a lone surrogate
    ],
)
def test_bad_input_raises_input_error_naming_the_file(tmp_path: Path, data: bytes, problem: str) -> None:
    path = _write(tmp_path, "bad.txt", data)
    with pytest.raises(InputError) as info:
        read_text(path)
    assert info.value.path == str(path)
    assert str(path) in str(info.value)
    assert problem in info.value.problem


def test_missing_file_and_directory(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="file not found"):
        read_text(tmp_path / "nope.txt")
    with pytest.raises(InputError, match="directory"):
        read_text(tmp_path)


def test_size_limit(tmp_path: Path) -> None:
    path = tmp_path / "huge.txt"
    with path.open("wb") as handle:
        handle.truncate(MAX_INPUT_BYTES + 1)  # sparse: no real disk or memory used
    with pytest.raises(InputError, match="input limit") as info:
        read_text(path)
    assert info.value.path == str(path)


def test_load_article_reports_bad_files_as_idnews_errors(tmp_path: Path) -> None:
    for name, data in [("empty.txt", b""), ("binary.html", b"\x00\x01\x02" * 50), ("only-boilerplate.txt",
                       b"Baca juga: Judul lain\nIsi komentar sepenuhnya adalah tanggung jawab pengguna.\n(tfa/mij)\n")]:
        with pytest.raises(IdnewsError) as info:
            idnews.load_article(_write(tmp_path, name, data))
        assert name in str(info.value)


def test_html_without_article_text_is_an_error(tmp_path: Path) -> None:
    path = _write(tmp_path, "blank.html", b"<html><head><title>x</title></head><body><script>1</script></body></html>")
    with pytest.raises(InputError, match="no extractable article text"):
        idnews.load_article(path)

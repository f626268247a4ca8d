"""The five real scraped pages are the reader's specification.

Expected values were written by reading each page: the body is given as the page's line numbers (1-based) that
a careful reader keeps, in order, with the dateline prefix that moves into ``dateline``.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

import pytest

import idnews
from idnews.article import Article


@dataclass(frozen=True)
class Expected:
    title: str | None
    outlet: str
    body_lines: tuple[int, ...]
    dateline: str | None = None
    dateline_prefix: str = ""
    rubric: str | None = None
    lede: str | None = None
    authors: tuple[str, ...] = ()
    editors: tuple[str, ...] = ()
    bullets: tuple[str, ...] = ()
    headings: tuple[int, ...] = ()
    boilerplate: tuple[str, ...] = field(default=())


TRIBUN_RELATED = ("|", "![]()", "---", "Isi komentar sepenuhnya", "UU ITE", "Hantam Pabrik AS", "Siap Gencatan Senjata?")

SEEDS = {
    "000_52f559ffa1c10211.txt": Expected(
        title="3000 Pasukan Korea Utara Diterjunkan ke Rusia Lawan Ukraina, Vladimir Putin Bentuk Batalion Khusus",
        outlet="Serambinews",
        rubric="Konflik Rusia vs Ukraina",
        lede="Batalyon tersebut diperkirakan mencakup hingga 3.000 tentara Korea Utara dan saat ini sedang dipasok "
        "dengan senjata ringan dan amunisi.",
        authors=("Agus Ramadhan",),
        editors=("Muhammad Hadi",),
        body_lines=(5, 6, 7, *range(9, 21)),
        boilerplate=(*TRIBUN_RELATED, "Penulis:", "Editor:", "Konflik Rusia vs Ukraina", "Batalyon tersebut diperkirakan"),
    ),
    "001_2e3f213f2a5f4aeb.txt": Expected(
        title="Korsel Sebut Korut Kirim Tentara ke Rusia, Menyamar Jadi Pekerja Bangunan",
        outlet="IDN Times",
        dateline="Jakarta, IDN Times",
        dateline_prefix="Jakarta, IDN Times - ",
        editors=("Sonya Michaella",),
        bullets=(
            "Sudah ada 10 ribu pasukan Korut di Rusia",
            "Anggota Parlemen Korsel, Lee Seong-kweun, mendapatkan informasi dari Badan Intelijen Korsel.",
            "Korut menerima bantuan finansial, teknologi militer, makanan, dan suplai energi dari Rusia sebagai "
            "imbalan.",
        ),
        body_lines=tuple(range(15, 44, 2)),
        headings=(3, 7, 11),
        boilerplate=(
            "IDN App", "For\n", "You\n", "pixabay", "Bendera Korea Utara.", "Intinya sih", "•", "Disclaimer",
            "Artificial Intelligence", "community writers", "Share", "Editor’s Picks", "Topics", "Editorial Team",
            "Sonya Michaella", "Follow Us", "Latest in News", "See More", "KPK Sebut Kasus Haji", "WIB",
            "IDN Times -", "Korsel Sebut Korut Kirim Tentara",
        ),
    ),
    "002_193bc7231dc58b3b.txt": Expected(
        title="NATO dan AS Konfirmasi Tentara Korea Utara Telah Dikerahkan ke Kursk Rusia untuk Perangi Ukraina",
        outlet="Serambinews",
        rubric="Konflik Rusia vs Ukraina",
        lede="Pentagon pada Selasa (29/10/2024) menyebutkan, pasukan Korea Utara telah dikerahkan di wilayah Kursk, "
        "Rusia, di perbatasan Ukraina.",
        dateline="SERAMBINEWS.COM, MOSKWA",
        dateline_prefix="SERAMBINEWS.COM, MOSKWA - ",
        body_lines=(*range(4, 12), *range(13, 20)),
        headings=(8,),
        boilerplate=(*TRIBUN_RELATED, "Baca juga", "Digaji Rp 31 Juta", "SERAMBINEWS.COM", "Konflik Rusia vs Ukraina"),
    ),
    "003_4d02b3e1a487a4fb.txt": Expected(
        title=None,
        outlet="CNBC Indonesia",
        dateline="Jakarta, CNBC Indonesia",
        dateline_prefix="Jakarta, CNBC Indonesia - ",
        body_lines=tuple(range(1, 12)),
        boilerplate=("(tfa/mij)", "tfa", "Saksikan video", "Video:", "Next Article", "Kota Kunci Ukraina", "3 Ribu Warga",
                     "CNBC Indonesia -"),
    ),
    "004_52ba97219b5fc7f3.txt": Expected(
        title="Barat: Korea Utara Diam-diam Telah Kirim 10.000 Pasukan ke Rusia",
        outlet="Tribunnews",
        lede="Korea Utara mengirim 10.000 pasukan ke Rusia. Apa dampaknya bagi Ukraina?",
        editors=("Hendra Gunawan",),
        dateline="TRIBUNNEWS.COM",
        dateline_prefix="TRIBUNNEWS.COM -- ",
        body_lines=(*range(4, 8), *range(9, 18), *range(19, 23)),
        headings=(13,),
        boilerplate=("Editor:", "Hendra Gunawan", "Baca juga", "Dilaporkan Kabur", "Tembak Jatuh Su-34", "TRIBUNNEWS.COM",
                     "Konten ini disempurnakan", "Kecerdasan Buatan", "Apa dampaknya bagi Ukraina?"),
    ),
}


def _expected_paragraphs(page: str, expected: Expected) -> list[str]:
    lines = page.split("\n")
    paragraphs = [lines[n - 1].strip() for n in expected.body_lines]
    assert paragraphs[0].startswith(expected.dateline_prefix)
    paragraphs[0] = paragraphs[0][len(expected.dateline_prefix) :]
    return paragraphs


@pytest.fixture(scope="module")
def articles(seeds_dir: Path) -> dict[str, Article]:
    return {name: idnews.load_article(seeds_dir / name) for name in SEEDS}


@pytest.mark.parametrize("name", sorted(SEEDS))
def test_metadata(name: str, articles: dict[str, Article]) -> None:
    article, expected = articles[name], SEEDS[name]
    assert article.title == expected.title
    assert article.outlet == expected.outlet
    assert article.dateline == expected.dateline
    assert article.rubric == expected.rubric
    assert article.lede == expected.lede
    assert article.authors == list(expected.authors)
    assert article.editors == list(expected.editors)
    assert article.bullets == list(expected.bullets)
    assert article.published is None  # no seed states its own publication date ("06 Nov 2025" is a teaser's)
    assert article.source_path is not None and article.source_path.endswith(name)


@pytest.mark.parametrize("name", sorted(SEEDS))
def test_paragraphs_kept_in_order_unaltered(name: str, articles: dict[str, Article], seeds_dir: Path) -> None:
    page = (seeds_dir / name).read_text(encoding="utf-8")
    article, expected = articles[name], SEEDS[name]
    assert article.paragraphs == _expected_paragraphs(page, expected)
    assert article.headings == list(expected.headings)
    assert article.text == "\n\n".join(article.paragraphs)


@pytest.mark.parametrize("name", sorted(SEEDS))
def test_no_boilerplate_in_text(name: str, articles: dict[str, Article]) -> None:
    text = articles[name].text + "\n"
    for fragment in SEEDS[name].boilerplate:
        assert fragment not in text, fragment
    assert SEEDS[name].title is None or SEEDS[name].title not in text


def test_glued_paragraph_is_kept_as_scraped(articles: dict[str, Article]) -> None:
    article = articles["004_52ba97219b5fc7f3.txt"]
    assert article.paragraphs[6].endswith("kepada Kyiv Independent.Pada 13 Oktober")
    assert idnews.split_sentences(article.paragraphs[6])[-1] == "Pada 13 Oktober"


@pytest.mark.parametrize("name", sorted(SEEDS))
def test_json_round_trip(name: str, articles: dict[str, Article]) -> None:
    article = articles[name]
    assert Article.from_dict(json.loads(json.dumps(article.to_dict(), ensure_ascii=False))) == article


def test_from_text_matches_load_article(seeds_dir: Path, articles: dict[str, Article]) -> None:
    name = "001_2e3f213f2a5f4aeb.txt"
    parsed = idnews.Article.from_text((seeds_dir / name).read_text(encoding="utf-8"))
    assert parsed.paragraphs == articles[name].paragraphs
    assert parsed.bullets == articles[name].bullets
    assert parsed.source_path is None


def test_outlet_can_be_named_by_alias(seeds_dir: Path) -> None:
    article = idnews.load_article(seeds_dir / "000_52f559ffa1c10211.txt", outlet="serambi")
    assert article.outlet == "Serambinews"

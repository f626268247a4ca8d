"""The reader beyond the seed pages: generic rules, clean input, HTML, outlet tables, dates, example pages."""
from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

import idnews
from idnews.errors import InputError, UnknownNameError
from idnews.outlets import OutletTable, default_table
from idnews.reader import looks_like_html, parse_article, parse_date

EXAMPLES = Path(__file__).resolve().parent.parent / "examples" / "pages"

UNKNOWN_SITE = """\
Pemilu 2024
KPU Jawa Tengah Mulai Distribusikan Logistik ke 35 Kabupaten
Distribusi dijadwalkan rampung sepekan sebelum hari pemungutan suara.
Penulis: Sri Wahyuni | Editor: Agus Salim
RADARSEMARANG.COM, SEMARANG - KPU Jawa Tengah mulai mendistribusikan logistik pemilu ke 35 kabupaten dan kota.
Ketua KPU setempat mengatakan distribusi dijadwalkan rampung pada 7 Februari 2024.
Baca juga: Gudang Logistik KPU Semarang Dijaga Ketat
"Kami memastikan semua kotak suara tersegel," ujarnya.
Gudang Logistik Dijaga 24 Jam |
![]() |
---|
Isi komentar sepenuhnya adalah tanggung jawab pengguna dan diatur dalam UU ITE.
"""


def test_unknown_outlet_is_cleaned_by_generic_rules() -> None:
    article = idnews.Article.from_text(UNKNOWN_SITE)
    assert article.outlet is None
    assert article.rubric == "Pemilu 2024"
    assert article.title == "KPU Jawa Tengah Mulai Distribusikan Logistik ke 35 Kabupaten"
    assert article.lede == "Distribusi dijadwalkan rampung sepekan sebelum hari pemungutan suara."
    assert (article.authors, article.editors) == (["Sri Wahyuni"], ["Agus Salim"])
    assert article.dateline == "RADARSEMARANG.COM, SEMARANG"
    assert article.paragraphs == [
        "KPU Jawa Tengah mulai mendistribusikan logistik pemilu ke 35 kabupaten dan kota.",
        "Ketua KPU setempat mengatakan distribusi dijadwalkan rampung pada 7 Februari 2024.",
        '"Kami memastikan semua kotak suara tersegel," ujarnya.',
    ]


def test_clean_indosum_text_passes_through(indosum_path: Path) -> None:
    """Already-extracted articles keep every paragraph, unaltered and in order; only lines that a boilerplate
    rule names (read-also links, bylines, editor initials, photo captions) leave, and no title is invented."""
    generic = default_table().generic
    boilerplate = generic.drop + generic.bylines + generic.end
    with indosum_path.open(encoding="utf-8") as handle:
        rows = [json.loads(line) for line in handle]
    dropped = with_dateline = 0
    for row in rows:
        article = parse_article(row["text"])
        source = [" ".join(p.split()) for p in row["text"].split("\n\n") if p.strip()]
        assert article.dateline is None or source[0].startswith(article.dateline), (row["id"], article.dateline)
        with_dateline += article.dateline is not None
        kept = iter(article.paragraphs)
        expected = next(kept, None)
        for paragraph in source:
            if expected is not None and (paragraph == expected or paragraph.endswith(expected) and article.dateline):
                expected = next(kept, None)
                continue
            assert any(rule.search(paragraph) for rule in boilerplate), (row["id"], paragraph)
            dropped += 1
        assert expected is None, (row["id"], "paragraph out of order or altered")
        assert article.title is None and article.lede is None and article.bullets == []
    assert dropped < 0.02 * sum(len(r["gold_labels"]) for r in rows)
    assert with_dateline > 0.6 * len(rows)  # 2,279 of 3,463 articles open with a dateline


def test_outlet_argument_and_unknown_outlet() -> None:
    article = idnews.Article.from_text(UNKNOWN_SITE, outlet="tribunnews")
    assert article.outlet == "Tribunnews"
    with pytest.raises(UnknownNameError) as info:
        idnews.Article.from_text(UNKNOWN_SITE, outlet="Koran Antah")
    assert "IDN Times" in str(info.value) and "CNBC Indonesia" in str(info.value)


def test_adding_an_outlet_is_adding_a_profile() -> None:
    data = json.loads((Path(idnews.__file__).parent / "data" / "outlets.json").read_text(encoding="utf-8"))
    data["outlets"].append(
        {
            "name": "Radar Semarang",
            "domains": ["radarsemarang.example"],
            "detect": [["^RADARSEMARANG\\.COM\\b", 5]],
            "datelines": ["^(?P<dateline>RADARSEMARANG\\.COM(?:, [A-Z]+)?)\\s*-\\s*"],
            "drop": ["^Ketua KPU setempat"],
        }
    )
    table = OutletTable.from_dict(data)
    article = parse_article(UNKNOWN_SITE, table=table)
    assert article.outlet == "Radar Semarang"
    assert len(article.paragraphs) == 2
    assert table.for_domain("https://radarsemarang.example/2024/02/01/x").name == "Radar Semarang"


def test_invalid_outlet_table_is_an_input_error(tmp_path: Path) -> None:
    bad = {"outlets": [{"name": "X", "datelines": ["^(?P<kota>\\w+) - "]}]}
    with pytest.raises(InputError, match="dateline"):
        OutletTable.from_dict(bad)
    path = tmp_path / "outlets.json"
    path.write_text('{"outlets": [{"name": "X", "drop": ["(unclosed"]}]}', encoding="utf-8")
    with pytest.raises(InputError, match="outlets.json"):
        OutletTable.from_json(path)


def test_html_text_is_extracted() -> None:
    html = (
        "<html><head><title>Gempa Guncang Palu | Warta</title>"
        '<meta property="article:published_time" content="2024-03-02T08:00:00+08:00"></head><body>'
        "<nav><a href='/'>Beranda</a> <a href='/x'>Ekonomi</a></nav><article><h1>Gempa Guncang Palu</h1>"
        "<p>Palu, Warta - Gempa bermagnitudo 5,1 mengguncang Palu pada Sabtu pagi. Tidak ada laporan kerusakan.</p>"
        "<p>Baca juga: Sirene Tsunami Diuji Coba</p>"
        "<p>Warga sempat berhamburan ke luar rumah, namun kembali setelah guncangan berhenti.</p></article>"
        "<footer>© 2024 Warta</footer></body></html>"
    )
    assert looks_like_html(html) and not looks_like_html("Teks biasa <b>tebal</b>.")
    article = idnews.Article.from_text(html)
    assert article.title == "Gempa Guncang Palu"
    assert article.dateline == "Palu, Warta"
    assert article.published == dt.date(2024, 3, 2)
    assert article.paragraphs == [
        "Gempa bermagnitudo 5,1 mengguncang Palu pada Sabtu pagi. Tidak ada laporan kerusakan.",
        "Warga sempat berhamburan ke luar rumah, namun kembali setelah guncangan berhenti.",
    ]


def test_html_is_forced_by_file_suffix_and_can_be_refused(tmp_path: Path) -> None:
    page = "  <p>Jakarta - Harga beras naik.</p>\n<p>Pedagang mengeluh.</p>"
    assert parse_article(page, html=False).paragraphs[0].startswith("<p>")
    path = tmp_path / "page.htm"
    path.write_text(page, encoding="utf-8")
    assert idnews.load_article(path).paragraphs == ["Harga beras naik.", "Pedagang mengeluh."]


def test_windows_line_endings_bom_and_hard_wrapped_lines() -> None:
    text = "\ufeffJakarta - Hujan deras mengguyur\r\nibu kota sejak pagi.\r\n\r\nBanjir setinggi 40 cm merendam\r\nlima kelurahan.\r\n"
    article = idnews.Article.from_text(text)
    assert article.dateline == "Jakarta"
    assert article.paragraphs == ["Hujan deras mengguyur ibu kota sejak pagi.", "Banjir setinggi 40 cm merendam lima kelurahan."]


@pytest.mark.parametrize(
    ("line", "date"),
    [
        ("Selasa, 12 November 2024 14:20 WIB", dt.date(2024, 11, 12)),
        ("Kamis, 24 Okt 2024 09.05 WIB", dt.date(2024, 10, 24)),
        ("29/10/2024 10:15 WIB", dt.date(2024, 10, 29)),
        ("Diterbitkan: 1 Mei 2023", dt.date(2023, 5, 1)),
        ("31 Februari 2024", None),
        ("12 Brumaire 2024", None),
        ("Pada 12 November 2024 harga naik.", None),
    ],
)
def test_parse_date(line: str, date: dt.date | None) -> None:
    assert parse_date(line) == date


def test_teaser_dates_below_the_story_are_not_the_publication_date() -> None:
    article = idnews.Article.from_text("Jakarta, IDN Times - Harga emas naik.\nHarga perak turun.\n06 Nov 2025, 09:17 WIB")
    assert article.published is None
    assert article.paragraphs == ["Harga emas naik.", "Harga perak turun."]


EXAMPLE_EXPECTATIONS = {
    "idntimes_hujan_lebat.txt": ("IDN Times", "BMKG Prediksi Hujan Lebat Guyur Jabodetabek hingga Akhir Pekan", 8, 3),
    "serambinews_kopi_gayo.txt": ("Serambinews", "Harga Kopi Gayo Naik, Petani di Bener Meriah Sambut Panen Raya", 7, 0),
    "tribunnews_kereta_bandara.txt": ("Tribunnews", "Penumpang Kereta Bandara Naik 30 Persen Selama Libur Sekolah", 7, 0),
    "cnbc_ekspor_nikel.txt": ("CNBC Indonesia", None, 5, 0),
    "kabarpesisir_festival_perahu.html": ("Kabar Pesisir", "Festival Perahu Hias Ramaikan Pantai Losari", 5, 0),
}


@pytest.mark.parametrize("name", sorted(EXAMPLE_EXPECTATIONS))
def test_example_pages(name: str) -> None:
    outlet, title, n_paragraphs, n_bullets = EXAMPLE_EXPECTATIONS[name]
    article = idnews.load_article(EXAMPLES / name)
    assert (article.outlet, article.title, len(article.paragraphs), len(article.bullets)) == (
        outlet, title, n_paragraphs, n_bullets,
    )
    for fragment in ("Baca juga", "Intinya", "Disclaimer", "|", "Penulis", "Editor", "Isi komentar", "Video:",
                     "(aha/rob)", "Konten ini", "Latest in News", "Berita Terkait", "©", "Beranda", "unsplash"):
        assert fragment not in article.text, fragment


def test_example_metadata() -> None:
    seram = idnews.load_article(EXAMPLES / "serambinews_kopi_gayo.txt")
    assert seram.published == dt.date(2024, 11, 12)
    assert (seram.authors, seram.editors, seram.rubric) == (["Fitriani Zahra"], ["Rizal Mahmud"], "Ekonomi Aceh")
    html = idnews.load_article(EXAMPLES / "kabarpesisir_festival_perahu.html")
    assert html.published == dt.date(2024, 8, 18)
    assert html.headings == [2] and html.paragraphs[2] == "Juara dari Kabupaten Selayar"


def test_html_suffix_with_plain_text_is_read_as_text(tmp_path: Path) -> None:
    path = tmp_path / "polos.html"
    path.write_text("Jakarta - Harga beras naik 5 persen.\nPedagang mengeluh.\n", encoding="utf-8")
    assert idnews.load_article(path).paragraphs == ["Harga beras naik 5 persen.", "Pedagang mengeluh."]


def test_html_outlet_from_page_url_and_summary_list() -> None:
    html = (
        '<html><head><meta property="og:url" content="https://www.idntimes.com/business/harga-emas-naik"></head>'
        "<body><article><h1>Harga Emas Naik Tiga Hari Berturut-turut</h1><p>Intinya sih...</p>"
        "<ul><li>Harga emas naik Rp 15.000 per gram</li><li>Permintaan meningkat.</li><li>Tren berlanjut.</li></ul>"
        "<p>Disclaimer: This summary was created using Artificial Intelligence (AI)</p>"
        "<p>Jakarta, IDN Times - Harga emas naik pada Rabu (13/11/2024). Kenaikan ini yang ketiga dalam sepekan.</p>"
        "<p>Permintaan emas meningkat menjelang akhir tahun, kata seorang analis.</p></article></body></html>"
    )
    article = idnews.Article.from_text(html)
    assert (article.outlet, article.dateline) == ("IDN Times", "Jakarta, IDN Times")
    assert article.bullets == ["Harga emas naik Rp 15.000 per gram", "Permintaan meningkat.", "Tren berlanjut."]
    assert len(article.paragraphs) == 2
    assert article.published is None  # "(13/11/2024)" in the story is not a publication date


def test_title_and_lede_are_the_lines_right_above_the_story() -> None:
    page = (
        "Beranda\nNasional\nEkonomi\nMasuk atau daftar untuk menyimpan artikel ini dan membaca nanti di aplikasi\n"
        "Harga Cabai Rawit Turun di Pasar Induk\nPasokan dari Jawa Tengah kembali normal.\n"
        "Jakarta, Warta Kota - Harga cabai rawit turun menjadi Rp 40.000 per kilogram.\nPedagang lega.\n"
    )
    article = idnews.Article.from_text(page)
    assert (article.rubric, article.title, article.lede) == (
        None, "Harga Cabai Rawit Turun di Pasar Induk", "Pasokan dari Jawa Tengah kembali normal.",
    )
    assert article.paragraphs == ["Harga cabai rawit turun menjadi Rp 40.000 per kilogram.", "Pedagang lega."]


def test_html_page_keeps_outlet_authors_and_editors() -> None:
    """The outlet comes from og:site_name when no profile knows the site; authors and editors from the byline
    element the text extractor drops (the editor is named nowhere else)."""
    html = idnews.load_article(EXAMPLES / "kabarpesisir_festival_perahu.html")
    assert (html.outlet, html.authors, html.editors) == ("Kabar Pesisir", ["Andi Nurhaliza"], ["Muh. Ikhsan"])
    assert "Penulis" not in html.text and "Muh. Ikhsan" not in html.text


def test_html_byline_without_author_metadata() -> None:
    page = (
        '<html><head><meta property="og:site_name" content="Warta Pantura"></head><body>\n<main><article>\n'
        "<h1>Harga Bawang Merah Turun di Brebes</h1>\n"
        "<div class=meta><span>Reporter: Siti Aminah | Editor: Joko Susilo</span></div>\n"
        "<p>Brebes, Warta Pantura - Harga bawang merah di tingkat petani di Kabupaten Brebes turun menjadi Rp 18.000 "
        "per kilogram pada pekan ini, terendah sejak awal tahun.</p>\n"
        "<p>Penurunan harga terjadi karena panen raya berlangsung bersamaan di sejumlah kecamatan sentra, sementara "
        "permintaan dari pasar induk di Jakarta belum naik.</p>\n"
        "<p>Petani berharap pemerintah daerah segera menyerap hasil panen melalui badan usaha milik daerah agar "
        "harga tidak terus merosot.</p>\n</article></main></body></html>"
    )
    article = idnews.Article.from_text(page)
    assert (article.outlet, article.authors, article.editors) == ("Warta Pantura", ["Siti Aminah"], ["Joko Susilo"])
    assert len(article.paragraphs) == 3 and "Reporter" not in article.text

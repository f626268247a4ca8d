"""The outlet table on the large Indonesian outlets: for every profile, realistic promo, call-to-action,
related-article, video, advertisement and byline lines leave the article and the story sentences stay."""
from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

import idnews
from idnews.outlets import default_table
from idnews.reader import parse_article

STORY = [
    "Harga beras medium di pasar tradisional naik 5 persen dalam sepekan terakhir.",
    '"Kami berharap pasokan dari daerah sentra segera normal," kata Ketua Asosiasi Pedagang Pasar, Budi Santoso.',
    "Pemerintah menyiapkan operasi pasar di 30 kota mulai pekan depan.",
]

# outlet: (dateline prefix of the first story line, boilerplate lines, (authors, editors) from the byline)
OUTLET_PAGES: dict[str, tuple[str, list[str], tuple[list[str], list[str]]]] = {
    "Detik": ("Jakarta - ", [
        "SCROLL TO CONTINUE WITH CONTENT",
        "Simak Video 'Harga Beras Naik Jelang Akhir Tahun':",
        "[Gambas:Video 20detik]",
        "Lihat juga Video: Pedagang Keluhkan Pasokan Beras Seret",
        'Tonton juga video "Bapanas Guyur Beras SPHP ke Pasar" di sini:',
        "Saksikan Live DetikPagi:",
        "ADVERTISEMENT",
        "(rdp/imk)",
    ], ([], [])),
    "Kompas": ("KOMPAS.com - ", [
        "Baca juga: Harga Cabai Rawit Turun di Pasar Induk",
        "Lihat Foto",
        "Simak breaking news dan berita pilihan kami langsung di ponselmu. Pilih saluran andalanmu akses berita "
        "Kompas.com WhatsApp Channel : https://www.whatsapp.com/channel/0029VaFPbedBPzjZrk13HO3D.",
        "Penulis: Ahmad Naufal | Editor: Sari Hardiyanto",
    ], (["Ahmad Naufal"], ["Sari Hardiyanto"])),
    "Tribun network": ("TRIBUNJATENG.COM, SEMARANG - ", [
        "Laporan Wartawan Tribunjateng.com, Rahdyan Trijoko Pamungkas",
        "Baca juga: Stok Beras Bulog Jateng Aman hingga Lebaran",
        "Artikel ini telah tayang di Tribunjateng.com dengan judul Harga Beras Naik, Pedagang Mengeluh",
        "Ikuti saluran Tribun Jateng di WhatsApp untuk berita terbaru",
        "(Tribunjateng.com/Rahdyan)",
    ], (["Rahdyan Trijoko Pamungkas"], [])),
    "Liputan6": ("Liputan6.com, Jakarta - ", [
        "* Follow Official WhatsApp Channel Liputan6.com untuk mendapatkan Berita Terkini",
        "Simak Video Pilihan Ini:",
        "* Fakta atau Hoaks? Untuk mengetahui kebenaran informasi yang beredar, silakan WhatsApp ke nomor Cek "
        "Fakta Liputan6.com 0811 9787 670 hanya dengan ketik kata kunci yang diinginkan.",
    ], ([], [])),
    "CNN Indonesia": ("Jakarta, CNN Indonesia -- ", [
        "[Gambas:Video CNN]",
        "ADVERTISEMENT",
        "SCROLL TO CONTINUE WITH CONTENT",
        "Baca halaman selanjutnya",
        "(fby/agt)",
    ], ([], [])),
    "CNBC Indonesia": ("Jakarta, CNBC Indonesia - ", [
        "Saksikan video di bawah ini:",
        "Video: Harga Beras Naik, Ini Kata Bapanas",
        "[Gambas:Video CNBC]",
        "Next Article Harga Gula Ikut Naik",
        "(fsd/fsd)",
    ], ([], [])),
    "Okezone": ("JAKARTA - ", [
        "Baca Juga: Harga Gula Ikut Naik",
        "Follow Berita Okezone di Google News",
        "Dapatkan berita up to date dengan semua berita terkini dari Okezone hanya dengan satu akun di ORION, "
        "daftar sekarang dengan klik disini dan nantikan kejutan menarik lainnya",
    ], ([], [])),
    "Sindonews": ("JAKARTA - ", [
        "Baca Juga: Harga Gula Ikut Naik",
        "Lihat Juga: Pedagang Beras Keluhkan Pasokan",
        "Ikuti Berita Terkini SINDOnews di Google News",
        "(ton)",
    ], ([], [])),
    "Antara": ("Jakarta (ANTARA) - ", [
        "Baca juga: Bulog pastikan stok beras aman",
        "Pewarta: Ahmad Wijaya",
        "Editor: Budi Santoso",
        "Copyright © ANTARA 2025",
        "Dilarang keras mengambil konten, melakukan crawling atau pengindeksan otomatis untuk AI di situs web ini "
        "tanpa izin tertulis dari Kantor Berita ANTARA.",
    ], (["Ahmad Wijaya"], ["Budi Santoso"])),
    "Kumparan": ("", [
        "Dapatkan berita terbaru seputar ekonomi hanya di kumparanBISNIS.",
        "Follow kumparan di Google News",
        "Lihat video kumparan lainnya:",
    ], ([], [])),
    "Suara": ("Suara.com - ", [
        "Baca Juga:",
        "Ikuti saluran Suara.com di WhatsApp untuk berita terbaru",
        "Kontributor : Rizky Pratama",
    ], (["Rizky Pratama"], [])),
    "Tempo": ("TEMPO.CO, Jakarta - ", [
        "Pilihan Editor: Harga Gula Ikut Naik",
        "Ikuti berita terkini dari Tempo di Google News, klik di sini",
    ], ([], [])),
    "Republika": ("REPUBLIKA.CO.ID, JAKARTA -- ", [
        "Rep: Dian Fath Risalah Red: Friska Yolandha",
        "Advertisement",
        "Baca Juga",
    ], (["Dian Fath Risalah"], ["Friska Yolandha"])),
    "JPNN": ("jpnn.com, JAKARTA - ", [
        "Baca Juga: Harga Gula Ikut Naik",
        "Jangan Lewatkan Video Terbaru:",
        "(mcr8/jpnn)",
        "Redaktur : Adil | Reporter : Kenny Kurnia Putra",
    ], (["Kenny Kurnia Putra"], ["Adil"])),
    "Viva": ("VIVA – ", [
        "Baca juga: Harga Gula Ikut Naik",
        "Halaman Selanjutnya",
    ], ([], [])),
    "IDN Times": ("Jakarta, IDN Times - ", [
        "Baca artikel IDN Times lainnya di IDN App",
        "Baca Juga: 5 Cara Hemat Belanja Beras",
    ], ([], [])),
    "Merdeka": ("Merdeka.com - ", [
        "Baca juga: Harga Gula Ikut Naik",
        "[did]",
        "Sumber: Liputan6.com",
    ], ([], [])),
    "Tirto": ("tirto.id - ", [
        "Baca juga: Harga Gula Ikut Naik",
        "(tirto.id - ale)",
    ], ([], [])),
    "Katadata": ("", [
        "Baca Juga: Harga Gula Ikut Naik",
        "Ikuti berita terkini dari Katadata.co.id di Google News",
    ], ([], [])),
    "Bisnis.com": ("Bisnis.com, JAKARTA - ", [
        "Baca Juga : Harga Gula Ikut Naik",
        "Simak berita lainnya seputar topik artikel ini, di sini:",
        "Cek Berita dan Artikel yang lain di Google News dan WA Channel",
    ], ([], [])),
    "Kontan": ("KONTAN.CO.ID - JAKARTA. ", [
        "Reporter: Dina Hutauruk | Editor: Khomarul Hidayat",
        "Cek Berita dan Artikel yang lain di Google News",
        "Baca Juga: Harga Gula Ikut Naik",
    ], (["Dina Hutauruk"], ["Khomarul Hidayat"])),
}

LISTED_OUTLETS = {
    "Detik", "Kompas", "Tribun network", "Liputan6", "CNN Indonesia", "CNBC Indonesia", "Okezone", "Sindonews",
    "Antara", "Kumparan", "Suara", "Tempo", "Republika", "JPNN", "Viva", "IDN Times", "Merdeka", "Tirto",
    "Katadata", "Bisnis.com", "Kontan",
}


def _page(dateline: str, boilerplate: list[str]) -> str:
    """Story lines with the boilerplate lines interleaved (the first after the first story line)."""
    lines = [dateline + STORY[0]]
    for index, line in enumerate(boilerplate):
        lines.append(line)
        if index + 1 < len(STORY):
            lines.append(STORY[index + 1])
    lines.extend(STORY[len(boilerplate) + 1:])
    return "\n".join(lines) + "\n"


def test_every_listed_outlet_has_a_profile_and_examples() -> None:
    assert LISTED_OUTLETS <= set(default_table().names)
    assert set(OUTLET_PAGES) == LISTED_OUTLETS


@pytest.mark.parametrize("name", sorted(OUTLET_PAGES))
def test_outlet_boilerplate_leaves_and_story_stays(name: str) -> None:
    dateline, boilerplate, (authors, editors) = OUTLET_PAGES[name]
    page = _page(dateline, boilerplate)
    for outlet in (name, None):  # named by the caller, and detected or cleaned by the generic rules
        article = parse_article(page, outlet=outlet)
        assert article.paragraphs == STORY, (outlet, article.paragraphs)
        assert (article.authors, article.editors) == (authors, editors)
    assert parse_article(page).outlet in (name, None)


@pytest.mark.parametrize(
    "name", ["Detik", "Kompas", "Tribun network", "Liputan6", "CNN Indonesia", "CNBC Indonesia", "Okezone",
             "Sindonews", "Antara", "Kumparan", "Suara", "Tempo", "Republika", "JPNN", "Viva", "IDN Times",
             "Merdeka", "Tirto", "Katadata", "Bisnis.com", "Kontan"],
)
def test_outlet_is_detected_from_its_page(name: str) -> None:
    dateline, boilerplate, _ = OUTLET_PAGES[name]
    assert parse_article(_page(dateline, boilerplate)).outlet == name


GENERIC_PROMOS = [
    "Simak Video 'KPK Buka Lowongan 6 Jabatan Pimpinan Tinggi Khusus ASN':",
    "Simak juga Video: Puan Minta Maaf soal Kinerja DPR: Kami Akan Berbenah Diri",
    "Lihat juga Video Oikos Nomos: Whoosh Punya Utang Jumbo!",
    'Tonton juga video "Polemik Utang Whoosh, AHY: Kita Carikan Solusi" di sini:',
    "Saksikan Live Streaming Sidang Paripurna DPR:",
    "[Gambas:Video 20detik]",
    "[Embed: Instagram]",
    "Ikuti berita terkini dari Warta Kota di Google News",
    "Follow juga akun Instagram @wartakota untuk update terbaru",
    "Download aplikasi Warta Kota di Play Store",
    "Klik di sini untuk berlangganan",
    "Dengarkan podcast Kabar Pagi di Spotify:",
    "Artikel ini telah tayang di Warta Kota dengan judul Harga Beras Naik",
    "Baca halaman selanjutnya",
    "ADVERTISEMENT",
    "Scroll untuk melanjutkan",
    "Copyright © 2025 Warta Kota",
]
# Story sentences that open like a prompt but are part of the story.
GENERIC_STORY = [
    "Baca Al-Qur'an menjadi kegiatan rutin warga selama bulan Ramadan di kampung itu.",
    "Lihat saja, harga cabai rawit sudah naik tiga kali lipat sejak awal bulan.",
    "Simak pernyataan lengkap Menteri Keuangan soal defisit anggaran yang mencapai Rp 321,6 triliun itu.",
    "Ikuti arahan petugas, warga diminta tidak panik saat sirene berbunyi.",
    "Klik dan pesan, begitulah cara warga kini membeli beras lewat aplikasi pasar daring milik pemda.",
    "Dapatkan bantuan sosial hanya bisa dilakukan lewat aplikasi Cek Bansos, kata Menteri Sosial.",
    "Tonton bersama film dokumenter itu digelar di alun-alun pada Sabtu malam.",
]


def test_generic_rules_remove_promos_on_an_unknown_site() -> None:
    lines = []
    for index, promo in enumerate(GENERIC_PROMOS):
        lines.append(GENERIC_STORY[index % len(GENERIC_STORY)] if index < len(GENERIC_STORY) else "")
        lines.append(promo)
    page = "Jakarta, Warta Kota - " + "\n".join(line for line in lines if line) + "\n"
    article = idnews.Article.from_text(page)
    assert article.outlet is None
    assert article.paragraphs == GENERIC_STORY


@pytest.mark.parametrize("promo", GENERIC_PROMOS)
def test_generic_promo_lines_are_not_bullets(promo: str) -> None:
    generic = default_table().generic
    assert any(rule.search(promo) for rule in generic.drop)


def test_detik_dev_pages_keep_no_promo_lines(shared: Path) -> None:
    """On the scraped Detik dev pages no video promo, embed or call-to-action line survives in the text."""
    path = shared / "data" / "summ" / "detik2025_dev.jsonl"
    if not path.is_file():
        pytest.skip(f"Detik dev split not found at {path}")
    promo = re.compile(
        r"(?i)^(?:simak|lihat|saksikan|tonton|baca|klik|ikuti|download|dengarkan)\b.*"
        r"(?:video|live|juga|di sini|google news|whatsapp)|^\[gambas|scroll to continue|^advertisement$"
    )
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").split("\n") if line.strip()]
    with_promo = [row["id"] for row in rows if any(promo.search(p) for p in parse_article(row["text"]).paragraphs)]
    assert with_promo == []

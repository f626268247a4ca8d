"""Shared pieces of the batch tests: small Indonesian articles, the tiny-model fixture, tree comparison."""
from __future__ import annotations

from pathlib import Path

import pytest

ARTICLES = [
    "Pemerintah Resmikan Jembatan Baru di Kalimantan\n\n"
    "Jakarta - Presiden meresmikan jembatan sepanjang 1,2 kilometer di Kalimantan Timur pada Senin (3/11/2025). "
    "Jembatan itu menghubungkan dua kabupaten yang selama ini hanya terhubung dengan kapal.\n\n"
    "Pembangunan jembatan menelan biaya Rp 1,5 triliun dan dikerjakan selama tiga tahun. "
    "Warga setempat menyambut peresmian itu dengan gembira.\n\n"
    "\"Perjalanan yang dulu memakan waktu dua jam kini cukup lima belas menit,\" kata seorang warga, "
    "dikutip dari kantor berita setempat.",
    "Harga Cabai Naik Menjelang Akhir Tahun\n\n"
    "Bandung - Harga cabai rawit di sejumlah pasar tradisional naik hingga 40 persen dalam sepekan terakhir. "
    "Pedagang menyebut pasokan dari petani berkurang karena hujan deras.\n\n"
    "Dinas Perdagangan berjanji menggelar operasi pasar untuk menekan harga. "
    "Operasi pasar akan dimulai pekan depan di lima kecamatan.\n\n"
    "Seorang pedagang mengatakan pembeli kini mengurangi jumlah belanja mereka, dikutip dari media lokal.",
    "Timnas Menang Tipis atas Vietnam\n\n"
    "Hanoi - Tim nasional Indonesia menang 1-0 atas Vietnam dalam laga persahabatan pada Kamis malam. "
    "Gol tunggal dicetak pada menit ke-78 melalui sundulan kepala.\n\n"
    "Pelatih mengaku puas dengan permainan anak asuhnya meski banyak peluang terbuang. "
    "Tim akan kembali ke Jakarta pada Sabtu pagi.\n\n"
    "Pertandingan berikutnya dijadwalkan bulan depan di Stadion Utama Gelora Bung Karno.",
    "Banjir Rendam Ratusan Rumah di Semarang\n\n"
    "Semarang - Banjir setinggi satu meter merendam ratusan rumah warga di Semarang Utara sejak Selasa dini hari. "
    "Hujan deras yang turun selama enam jam membuat sungai meluap.\n\n"
    "Badan Penanggulangan Bencana Daerah mengerahkan perahu karet untuk mengevakuasi warga. "
    "Sebanyak 320 warga kini mengungsi di balai desa.\n\n"
    "Belum ada laporan korban jiwa dalam peristiwa tersebut.",
    "Kereta Cepat Tambah Jadwal Perjalanan\n\n"
    "Jakarta - Operator kereta cepat menambah 12 jadwal perjalanan mulai bulan depan. "
    "Penambahan jadwal dilakukan karena jumlah penumpang terus meningkat.\n\n"
    "Menurut data perusahaan, rata-rata penumpang harian mencapai 18 ribu orang. "
    "Tiket untuk jadwal tambahan sudah bisa dipesan melalui aplikasi.\n\n"
    "Perusahaan juga berencana membuka stasiun baru di kawasan timur kota.",
]

ENGLISH_ARTICLE = (
    "Government Opens a New Bridge in Borneo\n\n"
    "The president opened a bridge more than a kilometre long in East Kalimantan on Monday. "
    "The bridge links two districts that until now were connected only by boat.\n\n"
    "Residents welcomed the opening, saying that a two-hour journey now takes a quarter of an hour."
)

FAST_MODEL_OPTIONS = ["--beam-size", "1", "--max-length", "8", "--no-guard"]


def make_pages(folder: Path, count: int, *, paragraphs: int | None = None) -> Path:
    """``count`` distinct small articles as ``page-NN.txt`` files in ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    for index in range(count):
        title, *body = ARTICLES[index % len(ARTICLES)].split("\n\n")
        body = body[:paragraphs] if paragraphs else body
        text = "\n\n".join([f"{title} ({index})", *body, f"Laporan nomor {index} ditutup di sini."])
        (folder / f"page-{index:02d}.txt").write_text(text, encoding="utf-8")
    return folder


def tree_bytes(folder: Path) -> dict[str, bytes]:
    """Every file under ``folder`` (hidden ones included) by relative path, with its bytes."""
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture(autouse=True)
def private_cache(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Model conversions go to a cache of the test session, never the user's."""
    cache = tmp_path_factory.getbasetemp() / "idnews-cache"
    monkeypatch.setenv("IDNEWS_CACHE", str(cache))
    return cache

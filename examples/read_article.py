"""Read a scraped news page, look at what the reader kept, and split it into sentences.

    python examples/read_article.py
    python examples/read_article.py examples/pages/serambinews_kopi_gayo.txt

The page defaults to the IDN Times example page next to this script.
"""
from __future__ import annotations

import sys
from pathlib import Path

import idnews

DEFAULT_PAGE = Path(__file__).parent / "pages" / "idntimes_hujan_lebat.txt"


def main() -> None:
    page = Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT_PAGE
    article = idnews.load_article(page)

    print(f"{article.title}  [{article.outlet}, {article.dateline}]")
    for bullet in article.bullets:
        print(f"  • {bullet}")
    print()
    for index, paragraph in enumerate(article.paragraphs):
        if article.is_heading(index):
            print(f"## {paragraph}")
            continue
        for sentence in idnews.split_sentences(paragraph):
            print(f"  - {sentence}")

    # Articles round-trip through JSON, e.g. for `idnews clean` output.
    assert idnews.Article.from_dict(article.to_dict()) == article


if __name__ == "__main__":
    try:
        main()
    except idnews.IdnewsError as exc:  # a missing or unreadable page: say which and why, no traceback
        sys.exit(f"error: {exc}")

"""Summarise a scraped news page into "Intinya sih..." bullets, next to the page's own bullets if it has any.

    python examples/summarize_article.py
    python examples/summarize_article.py examples/pages/cnbc_ekspor_nikel.txt --method textrank -n 2

The page defaults to the IDN Times example page next to this script; -n/--n is the number of bullets.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

import idnews

DEFAULT_PAGE = Path(__file__).parent / "pages" / "idntimes_hujan_lebat.txt"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("page", nargs="?", default=DEFAULT_PAGE, help="a scraped page (text or HTML)")
    parser.add_argument("--method", default="auto", help="auto (learned), lead, textrank, hf:<model>, ct2:<model>")
    parser.add_argument("-n", "--n", type=int, default=3, help="number of bullets")
    args = parser.parse_args()

    article = idnews.load_article(args.page)
    print(article.title or "(untitled)")
    print(f"\nidnews ({args.method}):")
    for bullet in idnews.summarize(article, n=args.n, method=args.method):
        print(f"  • {bullet}")
    if article.bullets:
        print("\nthe page's own bullets:")
        for bullet in article.bullets:
            print(f"  • {bullet}")


if __name__ == "__main__":
    try:
        main()
    except idnews.IdnewsError as exc:  # a missing page, an unknown method: say which and why, no traceback
        sys.exit(f"error: {exc}")

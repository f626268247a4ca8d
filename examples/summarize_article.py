"""Summarise a scraped news page into "Intinya sih..." bullets, next to the page's own bullets if it has any.

    python examples/summarize_article.py idntimes_page.txt
    python examples/summarize_article.py page.txt --method textrank --n 5
"""
from __future__ import annotations

import argparse

import idnews


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("page", help="a scraped page (text or HTML)")
    parser.add_argument("--method", default="auto", help="auto (learned), lead, textrank, hf:<model>, ct2:<model>")
    parser.add_argument("--n", type=int, default=3, help="number of bullets")
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
    main()

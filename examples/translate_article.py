"""Translate one scraped news page into sentence-aligned English.

    python examples/translate_article.py
    python examples/translate_article.py examples/pages/cnbc_ekspor_nikel.txt --model tiny-marian --beam-size 1

The page defaults to the IDN Times example page next to this script. Prints the English title, bullets and
body with the source's paragraph breaks, then every segment the faithfulness guard still flags. The model is
resolved offline (see ``idnews models list``); without one this says what was tried and how to get one.
``tiny-marian`` is the random-weight model ``python examples/build_tiny_model.py`` writes: its English is
placeholder words by construction, it only shows the plumbing.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from idnews import Decoding, IdnewsError, Translator, load_article

DEFAULT_PAGE = Path(__file__).parent / "pages" / "idntimes_hujan_lebat.txt"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("page", nargs="?", default=DEFAULT_PAGE, help="scraped news page (text or HTML)")
    parser.add_argument("--model", default=None, help="registry name, hub id or local folder (default opus-mt-id-en)")
    parser.add_argument("--backend", default="auto", choices=["auto", "ct2", "hf"])
    parser.add_argument("--beam-size", type=int, default=4)
    args = parser.parse_args()

    article = load_article(args.page)
    translator = Translator(args.model, backend=args.backend, decoding=Decoding(beam_size=args.beam_size))
    document = translator.translate_document(article)

    if document.title is not None:
        print(document.title.target, end="\n\n")
    for bullet in document.bullets:
        print("-", bullet.target)
    if document.bullets:
        print()
    print(document.text)
    print(f"\n[{translator.signature}] {document.warning_count} segment(s) flagged")
    for segment in document.segments():
        for warning in segment.warnings:
            print(f"  {warning}\n    id: {segment.source}\n    en: {segment.target}")


if __name__ == "__main__":
    try:
        main()
    except IdnewsError as exc:  # no model offline, a missing page: the message says what to do, no traceback
        sys.exit(f"error: {exc}")

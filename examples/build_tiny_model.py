"""Build a randomly initialised translation model, to try idnews's translation path without real weights.

    python examples/build_tiny_model.py

Writes ``tiny-marian/``: a Marian model shrunk to one small layer per side, with the real opus-mt-id-en
config and tokenizer (read from ``$IDNEWS_SHARED/models/opus-mt-id-en``, default ``../shared`` beside the
checkout). Pass it on as ``--model tiny-marian``. Its English is gibberish by construction, made of a few
neutral placeholder words only (see ``idnews.testing.PLACEHOLDER_WORDS``): it proves loading, batching and
conversion, never translation quality.
"""
from __future__ import annotations

import os
import sys
from pathlib import Path

OUT = Path("tiny-marian")


def main() -> None:
    shared = Path(os.environ.get("IDNEWS_SHARED") or Path(__file__).resolve().parents[2] / "shared")
    config_dir = shared / "models" / "opus-mt-id-en"
    if not (config_dir / "config.json").is_file():
        sys.exit(f"error: {config_dir}: the opus-mt-id-en config and tokenizer are not there "
                 "(set IDNEWS_SHARED to the folder holding models/opus-mt-id-en)")
    if OUT.exists():
        sys.exit(f"error: {OUT}: exists already; remove it to build it again")

    from idnews.testing import build_marian

    print(build_marian(OUT, config_dir=config_dir, size="tiny", seed=0))


if __name__ == "__main__":
    main()

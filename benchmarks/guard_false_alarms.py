"""False alarms of the translation faithfulness guard: its checks run on human reference translations.

    python benchmarks/guard_false_alarms.py [--json PATH]

Every (source, reference) pair of the Indonesian→English test sets goes through
``idnews.translation.guard.check`` as if the reference were the model's output. A human translation should
raise nothing, so every flag is either a false alarm or a liberty the translator took. Prints one table row
per test set (pairs, flagged, share, flags by kind) and a few flagged examples. Data come from the shared
folder (``$IDNEWS_SHARED``, default ``../shared`` beside the checkout).
"""
from __future__ import annotations

import argparse
import sys
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import _common as common  # noqa: E402

TEST_SETS = {
    "FLORES-200 dev": ("flores200_dev/dev.ind_Latn", "flores200_dev/dev.eng_Latn"),
    "FLORES-200 devtest": ("flores200_devtest/devtest.ind_Latn", "flores200_devtest/devtest.eng_Latn"),
    "Tatoeba v2021-08-07": ("tatoeba/tatoeba-test-v2021-08-07.ind", "tatoeba/tatoeba-test-v2021-08-07.eng"),
    "TICO-19 test": ("tico19/tico19-test.id", "tico19/tico19-test.en"),
    "NusaX-MT test": ("nusax_mt/nusax-mt.test.ind", "nusax_mt/nusax-mt.test.eng"),
}


def read_pairs(source: Path, reference: Path) -> list[tuple[str, str]]:
    sources = source.read_text(encoding="utf-8").splitlines()
    references = reference.read_text(encoding="utf-8").splitlines()
    if len(sources) != len(references):
        raise common.BenchmarkError(f"{source}: {len(sources)} lines but {reference} has {len(references)}")
    return list(zip(sources, references))


def measure(name: str, pairs: list[tuple[str, str]]) -> dict[str, object]:
    from idnews.translation.guard import check

    kinds: Counter[str] = Counter()
    examples = []
    flagged = 0
    for source, reference in pairs:
        warnings = check(source, reference)
        if warnings:
            flagged += 1
            kinds.update(warning.split(":", 1)[0] for warning in warnings)
            if len(examples) < 3:
                examples.append({"source": source, "reference": reference, "warnings": warnings})
    return {"test_set": name, "pairs": len(pairs), "flagged": flagged, "share": flagged / len(pairs),
            "kinds": dict(kinds), "examples": examples}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--json", type=Path, help="also save every number and the examples as JSON here")
    args = parser.parse_args(argv)
    root = common.shared_dir() / "data" / "mt"
    rows = []
    for name, (source, reference) in TEST_SETS.items():
        pairs = read_pairs(common.require(root / source, name), common.require(root / reference, name))
        rows.append(measure(name, pairs))
    print("| test set | pairs | flagged | share | flags by kind |")
    print("|---|---|---|---|---|")
    for row in rows:
        kinds = ", ".join(f"{kind} {count}" for kind, count in sorted(row["kinds"].items())) or "-"  # type: ignore[union-attr]
        print(f"| {row['test_set']} | {row['pairs']} | {row['flagged']} | {row['share']:.2%} | {kinds} |")
    for row in rows:
        for example in row["examples"]:  # type: ignore[union-attr]
            print(f"\n{row['test_set']}: {'; '.join(example['warnings'])}\n  id: {example['source']}\n  en: {example['reference']}")
    if args.json:
        common.write_json(args.json, {"benchmark": "guard_false_alarms", "machine": common.machine_info(), "rows": rows})
        print(f"\nsaved {args.json}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

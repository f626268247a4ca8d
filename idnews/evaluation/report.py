"""Text tables of results (terminal and Markdown)."""
from __future__ import annotations

from collections.abc import Sequence

from idnews.evaluation.results import EvalResult


def _cell(result: EvalResult, name: str) -> str:
    score = result.scores.get(name)
    if score is None:
        return "-"
    return f"{score.value:.2f} [{score.ci95[0]:.2f}, {score.ci95[1]:.2f}]"


def score_table(results: Sequence[EvalResult]) -> str:
    """A plain-text table: one row per system, ``score [lo, hi]`` per metric; skipped rows say why."""
    names = list(dict.fromkeys(name for r in results for name in r.scores))
    header = ["system", "n", *names]
    rows = []
    for r in results:
        if r.status != "ok":
            rows.append([r.system, "-", f"skipped: {r.reason}"])
        else:
            rows.append([r.system, str(r.n), *(_cell(r, name) for name in names)])
    widths = [max(len(row[i]) for row in [header, *rows] if i < len(row)) for i in range(len(header))]
    lines = ["  ".join(value.ljust(widths[i]) for i, value in enumerate(header))]
    for row in rows:
        lines.append("  ".join(value.ljust(widths[i]) if i < len(widths) else value for i, value in enumerate(row)).rstrip())
    return "\n".join(line.rstrip() for line in lines)

"""Report figures (matplotlib, PNG bytes): scores with intervals, per-item distributions, length vs score."""
from __future__ import annotations

import io
from collections.abc import Sequence

from idnews.evaluation.results import EvalResult
from idnews.text import words


LOWER_IS_BETTER = frozenset({"ter"})


def _pyplot():  # type: ignore[no-untyped-def]
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    plt.rcParams.update({"font.size": 11, "axes.titlesize": 13, "axes.spines.top": False, "axes.spines.right": False})
    return plt


def _png(figure) -> bytes:  # type: ignore[no-untyped-def]
    buffer = io.BytesIO()
    figure.tight_layout()
    figure.savefig(buffer, format="png", dpi=110)
    _pyplot().close(figure)
    return buffer.getvalue()


def scores_with_intervals(results: Sequence[EvalResult], names: Sequence[str], title: str) -> bytes:
    """Grouped bars: one group per score name, one bar per system, 95% intervals as error bars."""
    plt = _pyplot()
    figure, axis = plt.subplots(figsize=(9, 4.2))
    width = 0.8 / max(len(results), 1)
    for k, result in enumerate(results):
        values = [result.scores[name].value for name in names]
        lower = [result.scores[name].value - result.scores[name].ci95[0] for name in names]
        upper = [result.scores[name].ci95[1] - result.scores[name].value for name in names]
        positions = [i + (k - (len(results) - 1) / 2) * width for i in range(len(names))]
        bars = axis.bar(positions, values, width * 0.92, yerr=[lower, upper], capsize=3, label=result.system)
        axis.bar_label(bars, labels=[f"{v:.1f}" for v in values], fontsize=8, padding=2)
    axis.set_xticks(range(len(names)), [f"{n}\n(lower is better)" if n in LOWER_IS_BETTER else n for n in names])
    axis.set_ylabel("score (0-100), 95% CI")
    axis.set_title(title)
    axis.legend(loc="upper left", bbox_to_anchor=(1.0, 1.0), frameon=False)
    axis.set_ylim(0, max(r.scores[n].ci95[1] for r in results for n in names) * 1.12 + 2)
    return _png(figure)


def item_distributions(results: Sequence[EvalResult], name: str, title: str) -> bytes:
    """Box plots of the per-item scores of every system (points: the items)."""
    plt = _pyplot()
    figure, axis = plt.subplots(figsize=(9, 4.2))
    data = [list(r.scores[name].item_scores) for r in results]
    axis.boxplot(data, showmeans=True, showfliers=False)
    axis.set_xticks(range(1, len(results) + 1), [r.system for r in results])
    alpha = 0.3 if max(len(v) for v in data) <= 200 else 0.06
    for k, values in enumerate(data, start=1):
        jitter = [k + 0.3 * ((i * 7919) % 100 / 100 - 0.5) for i in range(len(values))]
        axis.scatter(jitter, values, s=5, alpha=alpha, color="tab:gray", zorder=0)
    axis.set_ylabel(f"per-item {name} F1")
    axis.set_ylim(-2, 102)
    axis.set_title(f"{title}  (box: quartiles, line: median, triangle: mean, dots: items)", fontsize=11)
    return _png(figure)


def summary_length(hypothesis: object) -> int:
    """Words in a summary (a string or a list of sentences)."""
    text = hypothesis if isinstance(hypothesis, str) else " ".join(hypothesis)  # type: ignore[arg-type]
    return len(words(text))


def length_against_score(results: Sequence[EvalResult], name: str, title: str) -> bytes:
    """Summary length (words) against the per-item score: one panel per system, shared axes."""
    plt = _pyplot()
    figure, axes = plt.subplots(1, len(results), figsize=(10, 3.6), sharex=True, sharey=True, squeeze=False)
    alpha = 0.6 if max(r.n for r in results) <= 200 else 0.2
    colours = plt.rcParams["axes.prop_cycle"].by_key()["color"]
    for k, (axis, result) in enumerate(zip(axes[0], results)):
        lengths = [summary_length(h) for h in result.hypotheses]
        axis.scatter(lengths, list(result.scores[name].item_scores), s=6, alpha=alpha, color=colours[k % len(colours)])
        axis.set_title(result.system, fontsize=11)
        axis.set_xlabel("length (words)")
        axis.set_ylim(-2, 102)
    axes[0][0].set_ylabel(f"per-item {name} F1")
    figure.suptitle(title)
    return _png(figure)

"""Reports of evaluation results: a terminal table, ``report.md`` and a self-contained ``report.html``."""
from __future__ import annotations

import base64
import html
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from idnews.evaluation.results import EvalResult

if TYPE_CHECKING:
    from idnews.evaluation.suite import SuiteRun

SUMMARY_SCORES = ("rouge1", "rouge2", "rougeL", "rougeLsum")
TRANSLATION_SCORES = ("bleu", "chrf", "chrf++", "ter")
EXAMPLE_SCORE = {"summaries": "rougeL", "translation": "chrf"}
MIN_ITEMS_FOR_DISTRIBUTIONS = 5


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
            rows.append([r.system, "-", f"{r.status}: {r.reason}"])
        else:
            rows.append([r.system, str(r.n), *(_cell(r, name) for name in names)])
    full_rows = [header, *(row for row in rows if len(row) == len(header))]
    widths = [max(len(row[i]) for row in full_rows) for i in range(len(header))]
    widths[:2] = [max(len(row[i]) for row in [header, *rows]) for i in range(2)]
    lines = []
    for row in [header, *rows]:
        lines.append("  ".join(value.ljust(widths[i]) if i < len(row) - 1 else value for i, value in enumerate(row)))
    notes = [f"note ({r.system}): {r.reason}" for r in results if r.status == "ok" and r.reason]
    return "\n".join([*(line.rstrip() for line in lines), *notes])


# --- grouping ----------------------------------------------------------------------------------------
def groups(results: Sequence[EvalResult]) -> dict[tuple[str, str], list[EvalResult]]:
    """Results by (task, data set), in run order."""
    grouped: dict[tuple[str, str], list[EvalResult]] = {}
    for result in results:
        grouped.setdefault((result.task, result.data), []).append(result)
    return grouped


def _score_names(task: str) -> tuple[str, ...]:
    return SUMMARY_SCORES if task == "summaries" else TRANSLATION_SCORES


def _p_value(result: EvalResult, task: str) -> str:
    key = EXAMPLE_SCORE[task]
    comparison = result.comparisons.get(key)
    if comparison is None:
        return ""
    return f"{comparison.p_value:.3f}"


def _note(result: EvalResult) -> str:
    if result.status != "ok":
        return f"{result.status}: {result.reason}"
    return result.reason or ""


def _provenance(run: SuiteRun) -> str:
    from idnews import __version__
    from idnews.evaluation.io import file_hash

    return f"idnews {__version__}; suite file {run.suite.path.name} (sha256 {file_hash(run.suite.path)})."


# --- markdown ----------------------------------------------------------------------------------------
def markdown_table(task: str, rows: Sequence[EvalResult]) -> str:
    """A Markdown table of one data set: scores with 95% intervals, paired p-value against the baseline."""
    names = _score_names(task)
    key = EXAMPLE_SCORE[task]
    baseline = next((r.baseline for r in rows if r.baseline), None)
    p_header = f"p ({key} vs {baseline})" if baseline else "p"
    lines = [
        "| system | n | " + " | ".join(names) + f" | {p_header} | note |",
        "|" + "---|" * (len(names) + 4),
    ]
    for r in rows:
        cells = [_cell(r, name) if r.status == "ok" else "-" for name in names]
        lines.append(f"| {r.system} | {r.n if r.status == 'ok' else '-'} | " + " | ".join(cells) + f" | {_p_value(r, task)} | {_note(r)} |")
    return "\n".join(lines)


def markdown_report(run: SuiteRun, plots: dict[str, str]) -> str:
    """``report.md``: per data set a table, links to the plots, and the signatures."""
    out = [
        f"# idnews eval: suite `{run.suite.name}`",
        "",
        f"Scores are F1 / corpus scores on a 0-100 scale with seeded bootstrap 95% intervals "
        f"({run.suite.bootstrap} resamples, seed {run.suite.seed}); `p` is the paired bootstrap test against the "
        f"baseline. Run time {run.seconds:.0f} s" + (f", first {run.limit} items of every data set." if run.limit else "."),
        "",
        f"{_provenance(run)}",
        "",
    ]
    for (task, data), rows in groups(run.results).items():
        out += [f"## {task}: {data}", ""]
        described = next((r for r in rows if r.data_hash), None)
        if described is not None:
            out += [f"Data: `{described.data_spec}`, content hash `{described.data_hash}`.", ""]
        out += [markdown_table(task, rows), ""]
        out += [f"![{name}]({path})" for name, path in plots.items() if name.startswith(f"{task}.{data}.")]
        signatures = [f"- `{r.system}`: `{r.signature}`" for r in rows if r.status == "ok"]
        if signatures:
            out += ["", "Signatures:", "", *signatures]
        out.append("")
    return "\n".join(out)


# --- html --------------------------------------------------------------------------------------------
CSS = """
body{font-family:system-ui,-apple-system,'Segoe UI',Roboto,sans-serif;margin:2em auto;max-width:1100px;color:#222;line-height:1.45}
h1{font-size:1.7em} h2{margin-top:2em;border-bottom:2px solid #ddd;padding-bottom:.2em}
table{border-collapse:collapse;margin:1em 0;font-size:.92em}
th,td{border:1px solid #ccc;padding:.35em .6em;text-align:left;vertical-align:top}
th{background:#f3f3f3} tr.skipped td{color:#888;font-style:italic}
td.num{font-variant-numeric:tabular-nums;white-space:nowrap}
img{max-width:100%;display:block;margin:1em 0;border:1px solid #eee}
code,.sig{font-family:ui-monospace,Menlo,Consolas,monospace;font-size:.8em;word-break:break-all}
table.examples{width:100%;table-layout:fixed} .examples th:first-child{width:16%}
.examples ul{margin:0;padding-left:1.2em} .meta{color:#555} .item-id{color:#555;overflow-wrap:anywhere}
td.note{max-width:24em;overflow-wrap:anywhere}
"""


def _html_table(task: str, rows: Sequence[EvalResult]) -> str:
    names = _score_names(task)
    key = EXAMPLE_SCORE[task]
    baseline = next((r.baseline for r in rows if r.baseline), None)
    p_header = f"p ({key} vs {baseline})" if baseline else "p"
    head = "".join(f"<th>{html.escape(h)}</th>" for h in ("system", "n", *names, p_header, "note"))
    body = []
    for r in rows:
        cells = "".join(f'<td class="num">{_cell(r, n) if r.status == "ok" else "-"}</td>' for n in names)
        css = ' class="skipped"' if r.status != "ok" else ""
        body.append(
            f"<tr{css}><td>{html.escape(r.system)}</td><td class=num>{r.n if r.status == 'ok' else '-'}</td>{cells}"
            f"<td class=num>{_p_value(r, task)}</td><td class=note>{html.escape(_note(r))}</td></tr>"
        )
    return f"<table><tr>{head}</tr>{''.join(body)}</table>"


def _bullets(value: object) -> str:
    items = [value] if isinstance(value, str) else list(value)  # type: ignore[call-overload]
    if not items:
        return "<em>(empty)</em>"
    return "<ul>" + "".join(f"<li>{html.escape(str(item))}</li>" for item in items) + "</ul>"


def example_rows(result: EvalResult, count: int = 2) -> list[tuple[str, int]]:
    """``(label, item index)`` of the ``count`` best and ``count`` worst items by the example score."""
    scores = result.scores[EXAMPLE_SCORE[result.task]].item_scores
    order = sorted(range(len(scores)), key=lambda i: (scores[i], i))
    worst = order[:count]
    best = [i for i in reversed(order[-count:]) if i not in worst]
    return [("best", i) for i in best] + [("worst", i) for i in worst]


def _examples(result: EvalResult) -> str:
    key = EXAMPLE_SCORE[result.task]
    with_source = bool(result.sources)
    with_extracted = bool(result.extracted)
    rows = []
    for label, index in example_rows(result):
        score = result.scores[key].item_scores[index]
        refs = "".join(_bullets(ref) for ref in result.references[index])
        source = f"<td>{html.escape(result.sources[index])}</td>" if with_source else ""
        if with_extracted:
            source += f"<td>{_bullets(result.extracted[index])}</td>"
        rows.append(
            f"<tr><td>{label}<br><span class=item-id>{html.escape(result.ids[index])}<br>{key} {score:.1f}</span></td>"
            f"{source}<td>{_bullets(result.hypotheses[index])}</td><td>{refs}</td></tr>"
        )
    source_header = "<th>source</th>" if with_source else ""
    if with_extracted:
        source_header += "<th>sentences (uncompressed)</th>"
    return (
        f"<h3>Examples: {html.escape(result.system)} (best and worst by {key})</h3>"
        f"<table class=examples><tr><th></th>{source_header}<th>generated{' (compressed)' if with_extracted else ''}</th><th>reference</th></tr>{''.join(rows)}</table>"
    )


def _example_system(rows: Sequence[EvalResult]) -> EvalResult | None:
    """The best-scoring real method (the oracle is an upper bound, not a method)."""
    candidates = [r for r in rows if r.status == "ok" and r.system != "oracle" and r.n > 0]
    if not candidates:
        return None
    key = EXAMPLE_SCORE[candidates[0].task]
    return max(candidates, key=lambda r: r.scores[key].value)


def html_report(run: SuiteRun, images: dict[str, bytes]) -> str:
    """A self-contained ``report.html``: tables, embedded PNG plots, examples side by side, signatures."""
    parts = [
        "<!doctype html><html lang=en><head><meta charset=utf-8>",
        f"<title>idnews eval: {html.escape(run.suite.name)}</title><style>{CSS}</style></head><body>",
        f"<h1>idnews eval: suite <code>{html.escape(run.suite.name)}</code></h1>",
        f"<p class=meta>Scores on a 0-100 scale with seeded bootstrap 95% intervals ({run.suite.bootstrap} resamples, "
        f"seed {run.suite.seed}); p: paired bootstrap test against the baseline. Run time {run.seconds:.0f} s"
        + (f"; first {run.limit} items of every data set" if run.limit else "")
        + ". Skipped and error rows were not scored; they say why.</p>",
        f"<p class=meta>{html.escape(_provenance(run))}</p>",
    ]
    for (task, data), rows in groups(run.results).items():
        parts.append(f"<h2>{html.escape(task)}: {html.escape(data)}</h2>")
        described = next((r for r in rows if r.data_hash), None)
        if described is not None:
            parts.append(
                f'<p class="meta">Data: <code>{html.escape(str(described.data_spec))}</code>, '
                f"content hash <code>{html.escape(str(described.data_hash))}</code>.</p>"
            )
        parts.append(_html_table(task, rows))
        for name, png in images.items():
            if name.startswith(f"{task}.{data}."):
                encoded = base64.b64encode(png).decode("ascii")
                parts.append(f'<img alt="{html.escape(name)}" src="data:image/png;base64,{encoded}">')
        shown = _example_system(rows)
        if shown is not None:
            parts.append(_examples(shown))
        signatures = "".join(
            f"<li><b>{html.escape(r.system)}</b>: <span class=sig>{html.escape(r.signature)}</span></li>"
            for r in rows if r.status == "ok"
        )
        if signatures:
            parts.append(f"<details><summary>Signatures</summary><ul>{signatures}</ul></details>")
    parts.append("</body></html>")
    return "\n".join(parts)


def make_plots(run: SuiteRun) -> dict[str, bytes]:
    """PNG figures by name ``<task>.<data>.<kind>`` for every data set with scored rows."""
    from idnews.evaluation import plots

    images: dict[str, bytes] = {}
    for (task, data), rows in groups(run.results).items():
        scored = [r for r in rows if r.status == "ok" and r.n > 0]
        if not scored:
            continue
        names = _score_names(task)
        key = EXAMPLE_SCORE[task]
        images[f"{task}.{data}.scores"] = plots.scores_with_intervals(scored, names, f"{data}: scores with 95% CI")
        if max(r.n for r in scored) < MIN_ITEMS_FOR_DISTRIBUTIONS:
            continue
        images[f"{task}.{data}.items"] = plots.item_distributions(scored, key, f"{data}: per-item {key}")
        if task == "summaries":
            images[f"{task}.{data}.length"] = plots.length_against_score(
                scored, key, f"{data}: summary length against {key}"
            )
    return images


def write_reports(run: SuiteRun, out: Path) -> list[Path]:
    """Write ``report.md`` (with ``plots/*.png``) and the self-contained ``report.html`` into ``out``."""
    images = make_plots(run)
    plot_dir = out / "plots"
    plot_dir.mkdir(parents=True, exist_ok=True)
    links = {}
    for name, png in images.items():
        file_name = "".join(c if c.isalnum() or c in "-_+." else "-" for c in name) + ".png"
        (plot_dir / file_name).write_bytes(png)
        links[name] = f"plots/{file_name}"
    (out / "report.md").write_text(markdown_report(run, links), encoding="utf-8")
    (out / "report.html").write_text(html_report(run, images), encoding="utf-8")
    return [out / "report.md", out / "report.html"]

"""Regenerate the command outputs shown in README.md, docs/*.md and the model cards from real runs, or check them.

    python docs/generate_outputs.py              # rewrite every generated block in place
    python docs/generate_outputs.py --check      # exit 1 and print a diff where a block differs from a run now
    python docs/generate_outputs.py --cheap      # only the blocks that take seconds (what the tests compare)
    python docs/generate_outputs.py --list       # the blocks, where they are, and which are cheap

A generated block is a fenced code block directly under a ``<!-- output: NAME -->`` line, or, for a snippet
with ``table=True``, the Markdown between ``<!-- table: NAME -->`` and ``<!-- /table -->`` lines (what the
command prints, shown as it renders: the benchmark tables, printed by ``benchmarks/translate_speed.py --show`` from
the run saved in ``benchmarks/results/``); NAME is one of :data:`SNIPPETS` (one snippet may fill several blocks; it
runs once). Each snippet runs in a fresh temporary folder that looks like the root of a checkout
(``examples/``, ``eval/`` and ``benchmarks/`` in it), with empty model caches, the hub offline, and ``idnews`` meaning this
checkout's code. Shell snippets show ``$ command`` and its output (stdout and stderr as a terminal shows them,
progress bars left out); Python snippets show a ``>>>`` session. Timings in the output differ from run to run,
so the check ignores them.

The data sets come from ``$IDNEWS_SHARED`` (default ``../shared`` beside the checkout).
"""
from __future__ import annotations

import argparse
import code
import difflib
import json
import os
import pprint
import re
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
DOCUMENTS = [REPO / "README.md", *sorted((REPO / "docs").glob("*.md")), *sorted((REPO / "models").glob("*.md")),
             REPO / "benchmarks" / "RESULTS.md"]
MARKER = re.compile(r"^([ \t]*)<!-- output: ([\w-]+) -->\n\1(`{3,})([^\n]*)\n(.*?)^\1\3$", re.MULTILINE | re.DOTALL)
#: Same groups as :data:`MARKER` (the fence and its info string empty), so that both read alike.
TABLE_MARKER = re.compile(r"^([ \t]*)<!-- table: ([\w-]+) -->\n()()(.*?)^\1<!-- /table -->$", re.MULTILINE | re.DOTALL)
PROGRESS = re.compile(r"\d+%\|.*\| *\d+/\d+ \[")  # a tqdm bar: "desc: 100%|████| 5/5 [00:00<00:00, ...]"
TIMINGS = [
    (re.compile(r"\d+(?:\.\d+)? s\b"), "<t> s"),
    (re.compile(r"\d+(?:\.\d+)? sentences/s"), "<n> sentences/s"),
]


@dataclass(frozen=True)
class Snippet:
    """What one generated block shows: shell ``commands`` (or Python statements with ``python=True``), run
    after the hidden ``setup`` commands and with ``files`` written into the folder first."""

    commands: list[str]
    files: dict[str, str] = field(default_factory=dict)
    setup: list[str] = field(default_factory=list)
    python: bool = False
    cheap: bool = True  # compared by the tests; the others are only regenerated
    head: int | None = None  # show only the first lines of each command's output
    width: int | None = None  # and only the start of each line
    table: bool = False  # the commands' output alone, as Markdown, between <!-- table: --> lines


HYP = (
    '["Presiden Joko Widodo meresmikan jembatan baru di Jakarta.", "Biaya pembangunannya Rp 2 triliun."]\n'
    '"Harga beras naik menjelang Lebaran. Pemerintah menyiapkan operasi pasar."\n'
)
REF = (
    '["Jokowi meresmikan jembatan baru di Jakarta, Senin.", "Jembatan itu menelan biaya Rp 2 triliun."]\n'
    '{"refs": ["Harga beras naik tajam.", ["Beras makin mahal jelang Lebaran.", "Operasi pasar disiapkan."]]}\n'
)
BLEU_HYP = (
    "The president inaugurated a new bridge in Jakarta.\n"
    "Rice prices rose ahead of Eid.\n"
    "The government is preparing market operations.\n"
)
BLEU_REF = (
    "The president opened a new bridge in Jakarta on Monday.\n"
    "The price of rice went up before Eid.\n"
    "The government is preparing a market operation.\n"
)
COMPARE = ("idnews eval rouge --hyp report/outputs/indosum-test.lead.hyp.jsonl "
           "--ref report/outputs/indosum-test.ref.jsonl --compare report/outputs/indosum-test.learned.hyp.jsonl")
TINY = "python examples/build_tiny_model.py > /dev/null"
#: the saved run of translate_speed.py the documents quote, and the command that prints its tables
SPEED = "python benchmarks/translate_speed.py --show benchmarks/results/translate-speed.json"

SNIPPETS: dict[str, Snippet] = {
    # docs/reader.md
    "clean": Snippet(["idnews clean examples/pages --out articles", "ls articles"]),
    "show": Snippet(["idnews show examples/pages/idntimes_hujan_lebat.txt", "idnews show kosong.txt"],
                    files={"kosong.txt": ""}),
    "split-sentences": Snippet(
        ["import idnews",
         """idnews.split_sentences('Ia dirawat dr. Budi di Jl. Merdeka No. 5. Biayanya Rp 31 Juta. "Sudah sembuh," katanya.')"""],
        python=True),
    # docs/batch.md
    "process": Snippet(["idnews process examples/pages --out examples-output", "echo $?", "ls examples-output"]),
    "summarize-folder": Snippet(["idnews summarize examples/pages --out summaries -q",
                                 "cat summaries/cnbc_ekspor_nikel.txt"]),
    "broken-inputs": Snippet(["idnews summarize mixed --out mixed-out", "cat mixed-out/errors.jsonl"],
                             setup=["mkdir mixed && cp examples/pages/cnbc_ekspor_nikel.txt mixed/ && : > mixed/empty.txt"
                                    " && printf 'PNG\\0\\0\\1' > mixed/photo.txt"]),
    # docs/summarization.md
    "summarize-python": Snippet(
        ["import idnews",
         'article = idnews.load_article("examples/pages/idntimes_hujan_lebat.txt")',
         "idnews.summarize(article)",
         "article.bullets",
         'idnews.summarize(article, n=2, method="textrank")',
         'idnews.summarize(article, method="lexrank")'],
        python=True),
    "summarize-example": Snippet(["python examples/summarize_article.py",
                                  "idnews summarize examples/pages/idntimes_hujan_lebat.txt -o summaries -q",
                                  "cat summaries/idntimes_hujan_lebat.txt"]),
    "seeds-intinya": Snippet(["idnews eval summaries --data seeds-intinya --method lead --method textrank --method learned"]),
    "summaries-indosum": Snippet(
        ["idnews eval summaries --data indosum-test --method lead --method textrank --method learned --method oracle"],
        cheap=False),
    # docs/evaluation.md
    "metrics-python": Snippet(
        ["from idnews.evaluation import get_metric, load_eval_dataset, evaluate_summaries",
         'rouge = get_metric("rouge")',
         'result = rouge.corpus_score(\n    [["Harga beras naik.", "Operasi pasar disiapkan."]],\n'
         '    [[["Harga beras naik tajam.", "Pemerintah menyiapkan operasi pasar."]]],\n)',
         "result.scores['rouge1'].value, result.signature",
         'result = evaluate_summaries(load_eval_dataset("indosum-test", limit=100), "textrank", n=3)',
         "result.scores['rouge1']",
         'result.to_dict()["signature"]'],
        python=True),
    "eval-rouge": Snippet(["cat hyp.jsonl", "cat ref.jsonl", "idnews eval rouge --hyp hyp.jsonl --ref ref.jsonl --json rouge.json"],
                          files={"hyp.jsonl": HYP, "ref.jsonl": REF}),
    "eval-compare": Snippet(["idnews eval run eval/default.yaml --out report/ --limit 200 > /dev/null 2>&1", COMPARE]),
    "eval-bleu": Snippet(["idnews eval bleu --hyp hyp.txt --ref ref.txt",
                          "python -m sacrebleu ref.txt -i hyp.txt -m bleu chrf ter -b -w 2",
                          "python -m sacrebleu ref.txt -i hyp.txt -m chrf --chrf-word-order 2 -b -w 2"],
                         files={"hyp.txt": BLEU_HYP, "ref.txt": BLEU_REF}),
    "eval-summaries-limit": Snippet(["idnews eval summaries --data indosum-test --method lead --method textrank --limit 50"]),
    "eval-translation": Snippet(
        ["idnews eval translation --data flores200-devtest --model tiny-marian --model opus-mt-id-en --limit 20 "
         "--backend ct2 --beam-size 1"], setup=[TINY], cheap=False),
    "default-suite": Snippet(["idnews eval run eval/default.yaml --out report/ > /dev/null 2>&1",
                              "sed -n '/^## summaries: indosum-test/,/^Signatures/p' report/report.md | grep '^|'"],
                             cheap=False),
    # docs/translation.md
    "guard-false-alarms": Snippet(["python benchmarks/guard_false_alarms.py"], head=7),
    "models-list": Snippet(["idnews models list"]),
    "not-found": Snippet(["idnews translate examples/pages/cnbc_ekspor_nikel.txt --out english"]),
    "tiny-model": Snippet(["python examples/build_tiny_model.py", "idnews models info tiny-marian",
                           "python examples/translate_article.py examples/pages/cnbc_ekspor_nikel.txt "
                           "--model tiny-marian --beam-size 1"], head=12, width=100, cheap=False),
    # README.md, docs/benchmarks.md, benchmarks/RESULTS.md: the tables of the saved translate_speed.py run
    "speed-table": Snippet([SPEED], table=True),
    "speed-ratios": Snippet([f"{SPEED} --ratios-only"], table=True),
}


def shared_dir() -> Path:
    env = os.environ.get("IDNEWS_SHARED")
    return Path(env).expanduser().resolve() if env else REPO.parent / "shared"


def environment(folder: Path) -> dict[str, str]:
    """This checkout's code as ``idnews`` and ``python``; empty caches; hub offline; relative cache paths, so
    messages naming them read the same in every run."""
    bin_dir = folder / ".bin"
    bin_dir.mkdir()
    launcher = bin_dir / "idnews"
    launcher.write_text(f'#!/bin/sh\nexec "{sys.executable}" -m idnews "$@"\n', encoding="utf-8")
    launcher.chmod(0o755)
    env = {key: value for key, value in os.environ.items() if not key.startswith(("IDNEWS_", "HF_", "TRANSFORMERS_"))}
    env.update(
        PATH=os.pathsep.join([str(bin_dir), str(Path(sys.executable).parent), env.get("PATH", "")]),
        PYTHONPATH=os.pathsep.join(filter(None, [str(REPO), os.environ.get("PYTHONPATH")])),
        IDNEWS_SHARED=str(shared_dir()),
        IDNEWS_CACHE="cache",
        HF_HOME="hf",
        HF_HUB_OFFLINE="1",
        COLUMNS="120",
    )
    return env


def clean_output(raw: str, head: int | None, width: int | None) -> list[str]:
    """What stays on a terminal: the last carriage-return frame of a line, no progress bars."""
    lines = []
    for line in raw.split("\n"):
        frames = [frame.rstrip() for frame in line.split("\r") if frame.strip()]
        if frames and PROGRESS.search(frames[-1]) or "\r" in line and not frames:
            continue  # a progress bar, redrawn in place
        lines.append(frames[-1] if frames else "")
    while lines and not lines[-1]:
        lines.pop()
    if width is not None:
        lines = [line if len(line) <= width else line[:width] + " ..." for line in lines]
    if head is not None and len(lines) > head:
        lines = lines[:head] + ["..."]
    return lines


def run_snippet(name: str) -> str:
    """The text of the generated block ``name`` (without the fences), from a run now."""
    snippet = SNIPPETS[name]
    with tempfile.TemporaryDirectory(prefix=f"idnews-doc-{name}-") as tmp:
        folder = Path(tmp)
        for link in ("examples", "eval", "benchmarks"):
            (folder / link).symlink_to(REPO / link)
        env = environment(folder)
        for path, text in snippet.files.items():
            (folder / path).write_text(text, encoding="utf-8")
        for command in snippet.setup:
            done = subprocess.run(["bash", "-c", command], cwd=folder, env=env, capture_output=True, text=True)
            if done.returncode != 0:
                raise RuntimeError(f"{name}: setup `{command}` failed:\n{done.stderr}")
        if snippet.python:
            return python_session(snippet.commands, folder, env)
        shown: list[str] = []
        for command in snippet.commands:
            done = subprocess.run(["bash", "-c", command], cwd=folder, env=env, stdout=subprocess.PIPE,
                                  stderr=subprocess.STDOUT)  # bytes: text mode would turn "\r" into "\n"
            if not snippet.table:
                shown.append(f"$ {command}")
            elif shown:
                shown.append("")  # a blank line between two commands' tables
            shown += clean_output(done.stdout.decode("utf-8"), snippet.head, snippet.width)
        return "\n".join(shown) + "\n"


def python_session(statements: list[str], folder: Path, env: dict[str, str]) -> str:
    """Run ``statements`` in a fresh interpreter as an interactive session would, and return its transcript."""
    done = subprocess.run([sys.executable, __file__, "--session"], input=json.dumps(statements), cwd=folder, env=env,
                          capture_output=True, text=True)
    if done.returncode != 0:
        raise RuntimeError(f"python session failed:\n{done.stderr}")
    return done.stdout


def session(statements: list[str]) -> None:
    """Body of ``--session``: echo each statement as ``>>>``/``...`` and show what it prints or returns."""
    namespace: dict[str, object] = {"__name__": "__main__"}

    def display(value: object) -> None:
        if value is not None:
            print(pprint.pformat(value, width=110))

    sys.displayhook = display
    for statement in statements:
        first, *rest = statement.splitlines()
        print(f">>> {first}")
        for line in rest:
            print(f"... {line}")
        compiled = code.compile_command(statement + ("\n" if rest else ""), "<doc>", "single")
        try:
            exec(compiled, namespace)  # noqa: S102 - the statements are this file's own
        except Exception as exc:  # noqa: BLE001 - an error is part of what the docs show
            print(f"{type(exc).__name__}: {exc}")
        sys.stdout.flush()


def blocks(text: str) -> list[re.Match[str]]:
    """The generated blocks of ``text`` in order: fenced outputs and Markdown tables."""
    return sorted([*MARKER.finditer(text), *TABLE_MARKER.finditer(text)], key=lambda match: match.start())


def dedent(text: str, indent: str) -> str:
    return "".join(line[len(indent):] if line.startswith(indent) else line for line in text.splitlines(True))


def indented(text: str, indent: str) -> str:
    return "".join(indent + line if line.strip() else line for line in text.splitlines(True))


def normalise(text: str) -> str:
    for pattern, replacement in TIMINGS:
        text = pattern.sub(replacement, text)
    return text


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--check", action="store_true", help="compare instead of rewriting; exit 1 on a difference")
    parser.add_argument("--cheap", action="store_true", help="only the blocks that take seconds")
    parser.add_argument("--only", action="append", default=[], metavar="NAME", help="only this block (repeatable)")
    parser.add_argument("--list", action="store_true", help="list the generated blocks")
    parser.add_argument("--session", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.session:
        session(json.loads(sys.stdin.read()))
        return 0
    unknown = sorted(set(args.only) - set(SNIPPETS))
    if unknown:
        parser.error(f"unknown block(s) {', '.join(unknown)}; known: {', '.join(SNIPPETS)}")
    found: dict[str, Path] = {}
    runs: dict[str, str] = {}
    status = 0
    for document in DOCUMENTS:
        text = document.read_text(encoding="utf-8")
        pieces, last = [], 0
        for match in blocks(text):
            indent, name = match.group(1), match.group(2)
            if name not in SNIPPETS:
                raise SystemExit(f"{document}: unknown generated block {name!r}")
            found[name] = document
            snippet = SNIPPETS[name]
            if snippet.table != (match.re is TABLE_MARKER):
                raise SystemExit(f"{document}: block {name!r} must be written as "
                                 f"{'<!-- table: NAME --> ... <!-- /table -->' if snippet.table else 'a fenced block'}")
            chosen = (not args.only or name in args.only) and (snippet.cheap or not args.cheap)
            if args.list:
                print(f"{name:24} {document.relative_to(REPO)}  {'cheap' if snippet.cheap else 'slow'}")
                continue
            if not chosen:
                continue
            if name not in runs:
                print(f"running {name} ({document.relative_to(REPO)}) ...", file=sys.stderr, flush=True)
                runs[name] = run_snippet(name)
            now = runs[name]
            old = dedent(match.group(5), indent)
            if args.check:
                if normalise(old) != normalise(now):
                    status = 1
                    print(f"{document.relative_to(REPO)}: block {name!r} differs from a run now:")
                    sys.stdout.writelines(difflib.unified_diff(old.splitlines(True), now.splitlines(True), "docs", "now"))
            else:
                pieces.append(text[last:match.start(5)] + indented(now, indent))
                last = match.end(5)
        if pieces and not args.check:
            document.write_text("".join(pieces) + text[last:], encoding="utf-8")
    missing = sorted(set(SNIPPETS) - set(found))
    if missing:
        print(f"no block in the documents for: {', '.join(missing)}", file=sys.stderr)
        return 1
    return status


if __name__ == "__main__":
    sys.exit(main())

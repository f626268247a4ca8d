"""``idnews clean`` (pages to article JSON files) and ``idnews show`` (one parsed article, readably)."""
from __future__ import annotations

import json
import sys
import time
from pathlib import Path

import click

from idnews.article import Article
from idnews.cli.options import out_option
from idnews.errors import IdnewsError, InputError

_OUTLET_HELP = "Outlet profile to use (name, alias or domain); detected from the page by default."


@click.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path))
@out_option("Output folder; one JSON file per page, mirroring the input names and folders.")
@click.option("--outlet", default=None, help=_OUTLET_HELP)
@click.option("--force", is_flag=True, help="Replace output files that already exist (kept by default).")
def clean(paths: tuple[Path, ...], out_dir: Path, outlet: str | None, force: bool) -> None:
    """Clean scraped pages (text or HTML files, or folders of them) into article JSON files.

    A page that cannot be read is reported on stderr and in OUT/errors.jsonl, and the others are still
    written. Exit status: 0 all written or kept, 1 some pages failed, 2 usage error.
    """
    from idnews.batch.discover import UnsafeOutputError, check_output_folder, discover, shown
    from idnews.batch.manifest import exclusive
    from idnews.batch.outputs import atomic_write, sync_to_disk
    from idnews.cli.batch_cmds import prepare_output_folder
    from idnews.batch.run import ERRORS_FILE, RunSummary, write_errors
    from idnews.reader import read_article_file

    started = time.perf_counter()
    try:
        check_output_folder(paths, out_dir)
        inputs = discover(paths, "json")
    except UnsafeOutputError as exc:
        raise click.UsageError(str(exc)) from None
    prepare_output_folder(out_dir)
    written: list[Path] = []
    kept = 0
    errors: list[dict[str, str]] = []
    with exclusive(out_dir):
        for item in inputs:
            if item.is_jsonl:
                click.echo(f"idnews: skipped {item.path}: JSON-lines files hold records, not pages", err=True)
                continue
            target = out_dir / item.output
            if target.exists() and not force:
                click.echo(f"idnews: kept {target}: it exists (use --force to replace it)", err=True)
                kept += 1
                continue
            try:
                article = read_article_file(item.path, outlet=outlet)
                data = json.dumps(article.to_dict(), ensure_ascii=False, indent=2) + "\n"
                atomic_write(target, data.encode("utf-8"), durable=False)
                written.append(target)
            except (IdnewsError, OSError) as exc:
                reason = exc.problem if isinstance(exc, InputError) else (
                    f"cannot write {shown(target)}: {exc.strerror or exc}" if isinstance(exc, OSError) else str(exc))
                click.echo(f"idnews: error: {shown(item.path)}: {reason}", err=True)
                errors.append({"path": shown(item.path), "reason": reason})
        sync_to_disk(written)
        write_errors(out_dir, errors)
    summary = RunSummary(files=len(inputs), ok=len(written), failed=len(errors), skipped=kept,
                         seconds=time.perf_counter() - started)
    click.echo(summary.line(), err=True)
    if errors:
        click.echo(f"Failed pages and reasons: {out_dir / ERRORS_FILE}", err=True)
        sys.exit(1)


@click.command()
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--outlet", default=None, help=_OUTLET_HELP)
@click.option("--sentences", is_flag=True,
              help="List each paragraph's sentences as split for summaries and translation.")
@click.option("--format", "fmt", type=click.Choice(["txt", "json"]), default="txt", show_default=True,
              help="txt: readable text; json: the article record, as `idnews clean` writes it.")
def show(path: Path, outlet: str | None, sentences: bool, fmt: str) -> None:
    """Print a parsed article readably: title, outlet, dateline, bullets, paragraphs."""
    from idnews.reader import read_article_file

    if sentences and fmt == "json":
        raise click.UsageError("--sentences only applies to --format txt")
    article = read_article_file(path, outlet=outlet)
    if fmt == "json":
        click.echo(json.dumps(article.to_dict(), ensure_ascii=False, indent=2))
    else:
        click.echo(format_article(article, sentences=sentences))


def format_article(article: Article, *, sentences: bool = False) -> str:
    """A plain-text rendering of ``article`` for reading in a terminal."""
    from idnews.text import split_sentences

    fields = [
        ("Title", article.title),
        ("Outlet", article.outlet),
        ("Rubric", article.rubric),
        ("Dateline", article.dateline),
        ("Published", article.published.isoformat() if article.published else None),
        ("Authors", ", ".join(article.authors) or None),
        ("Editors", ", ".join(article.editors) or None),
        ("Lede", article.lede),
        ("Source", article.source_path),
    ]
    lines = [f"{name + ':':<11}{value if value is not None else '-'}" for name, value in fields]
    if article.bullets:
        lines += ["", "Bullets:", *(f"  • {bullet}" for bullet in article.bullets)]
    lines += ["", f"Paragraphs ({len(article.paragraphs)}):"]
    number = 0  # body paragraphs are numbered 1, 2, 3, ... whatever the headings between them
    for index, paragraph in enumerate(article.paragraphs):
        if article.is_heading(index):
            lines += ["", f"## {paragraph}"]
            continue
        number += 1
        lines += ["", f"[{number}] {paragraph}"]
        if sentences:
            lines += [f"      {n}. {sentence}" for n, sentence in enumerate(split_sentences(paragraph), start=1)]
    return "\n".join(lines)

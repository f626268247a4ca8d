"""``idnews clean`` (pages to article JSON files) and ``idnews show`` (one parsed article, readably)."""
from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from idnews.article import Article
from idnews.errors import IdnewsError

_OUTLET_HELP = "Outlet profile to use (name, alias or domain); detected from the page by default."


@click.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path))
@click.option("-o", "--out", "out_dir", required=True, type=click.Path(file_okay=False, path_type=Path),
              help="Output folder; one JSON file per page, mirroring the input names and folders.")
@click.option("--outlet", default=None, help=_OUTLET_HELP)
@click.option("--force", is_flag=True, help="Replace output files that already exist (kept by default).")
def clean(paths: tuple[Path, ...], out_dir: Path, outlet: str | None, force: bool) -> None:
    """Clean scraped pages (text or HTML files, or folders of them) into article JSON files.

    A page that cannot be read is reported on stderr and the others are still written; the exit status is 1
    when any page failed.
    """
    from idnews.batch.discover import check_output_folder, discover
    from idnews.batch.outputs import atomic_write
    from idnews.reader import read_article_file

    check_output_folder(paths, out_dir)
    written = kept = failed = 0
    for item in discover(paths, "json"):
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
        except IdnewsError as exc:
            click.echo(f"idnews: error: {exc}", err=True)
            failed += 1
            continue
        data = json.dumps(article.to_dict(), ensure_ascii=False, indent=2) + "\n"
        atomic_write(target, data.encode("utf-8"))
        written += 1
    click.echo(f"{written} written, {kept} kept, {failed} failed -> {out_dir}", err=True)
    if failed:
        sys.exit(1)


@click.command()
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--outlet", default=None, help=_OUTLET_HELP)
@click.option("--sentences", is_flag=True,
              help="List each paragraph's sentences as split for summaries and translation.")
@click.option("--json", "as_json", is_flag=True, help="Print the article as JSON instead.")
def show(path: Path, outlet: str | None, sentences: bool, as_json: bool) -> None:
    """Print a parsed article readably: title, outlet, dateline, bullets, paragraphs."""
    from idnews.reader import read_article_file

    article = read_article_file(path, outlet=outlet)
    if as_json:
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
    for index, paragraph in enumerate(article.paragraphs):
        if article.is_heading(index):
            lines += ["", f"## {paragraph}"]
            continue
        lines += ["", f"[{index + 1}] {paragraph}"]
        if sentences:
            lines += [f"      {n}. {sentence}" for n, sentence in enumerate(split_sentences(paragraph), start=1)]
    return "\n".join(lines)

"""``idnews models``: list, inspect, fetch and convert translation models."""
from __future__ import annotations

import json
from pathlib import Path

import click

from idnews.errors import ModelNotFoundError

QUANTIZATIONS = ["int8", "int8_float16", "int8_bfloat16", "float16", "bfloat16", "float32"]


@click.group("models")
def models() -> None:
    """List, inspect, fetch and convert translation models."""


@models.command("list")
def list_models() -> None:
    """Show the registered models and whether each is available offline."""
    from idnews.translation.models import load_cards, resolve

    rows = [("NAME", "FAMILY", "PARAMS", "LICENCE", "HUB ID", "OFFLINE")]
    for card in load_cards().values():
        try:
            found = str(resolve(card.name).path)
        except ModelNotFoundError:
            found = "not found"
        name = card.name + (" (default)" if card.default else "")
        rows.append((name, card.family, f"{card.parameters / 1e6:,.0f}M", card.license, card.hub_id, found))
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]) - 1)]
    for row in rows:
        click.echo("  ".join(cell.ljust(width) for cell, width in zip(row, widths)) + "  " + row[-1])


@models.command("info")
@click.argument("name")
def info(name: str) -> None:
    """Print a model's card (languages, licence, size, published scores) and where it is found."""
    from idnews.translation.models import ct2_cache_path, get_card, resolve

    card = get_card(name)
    click.echo(f"name:         {card.name}")
    click.echo(f"hub id:       {card.hub_id}")
    click.echo(f"family:       {card.family}")
    click.echo(f"languages:    {card.source_lang} -> {card.target_lang}")
    click.echo(f"licence:      {card.license}")
    click.echo(f"parameters:   {card.parameters:,}")
    click.echo(f"positions:    {card.max_positions}")
    for score in card.scores:
        click.echo(f"score:        {score['metric']} {score['value']} on {score['test_set']} ({score['source']})")
    try:
        click.echo(f"found at:     {resolve(name).path}")
    except ModelNotFoundError as exc:
        click.echo(f"found at:     nowhere offline\n{exc}")
    conversion = ct2_cache_path(card.name, "int8")
    status = str(conversion) if conversion.is_dir() else f"not converted (idnews models convert {card.name})"
    click.echo(f"ct2 (int8):   {status}")


@models.command("fetch")
@click.argument("name")
def fetch(name: str) -> None:
    """Download NAME (registry name or hub id) into the Hugging Face cache; needs network."""
    from idnews.translation.models import fetch as fetch_model

    click.echo(str(fetch_model(name)))


@models.command("convert")
@click.argument("name_or_path")
@click.option("--quantization", type=click.Choice(QUANTIZATIONS), default="int8", show_default=True,
              help="Weight type of the conversion.")
@click.option("--output", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Output folder (default: the idnews cache, $IDNEWS_CACHE/ct2/NAME-QUANTIZATION).")
@click.option("--force", is_flag=True, help="Replace an existing conversion.")
def convert(name_or_path: str, quantization: str, output: Path | None, force: bool) -> None:
    """Convert a model (registry name, hub id or folder) to CTranslate2 with its own converter."""
    from idnews.translation.models import conversion_path, convert_checkpoint, resolve

    resolved = resolve(name_or_path)
    if resolved.format == "ct2":
        raise click.UsageError(f"{resolved.path} is already a CTranslate2 model")
    weights = None if quantization == "float32" else quantization
    target = output or conversion_path(resolved, weights)
    result = convert_checkpoint(resolved.path, target, quantization=weights, force=force, info=resolved.info())
    click.echo(json.dumps({"model": resolved.name, "quantization": quantization, "path": str(result)}))

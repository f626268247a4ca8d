"""``idnews models``: list, inspect, fetch and convert translation models."""
from __future__ import annotations

import json
from pathlib import Path

import click

from idnews.cli.options import out_option
from idnews.errors import ModelNotFoundError

QUANTIZATIONS = ["int8", "int8_float16", "int8_bfloat16", "float16", "bfloat16", "float32"]


@click.group("models")
def models() -> None:
    """List, inspect, fetch, convert and tune translation models."""


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
@click.argument("name_or_path")
def info(name_or_path: str) -> None:
    """Print a model's card (languages, licence, size, published scores) and where it is found; for a model
    folder, what idnews reads from it."""
    from idnews.translation.models import conversion_path, get_card, resolve

    if Path(name_or_path).expanduser().is_dir():
        resolved = resolve(name_or_path)
        details = resolved.info()
        click.echo(f"folder:       {resolved.path}")
        click.echo(f"format:       {'CTranslate2' if resolved.format == 'ct2' else 'transformers checkpoint'}")
        click.echo(f"family:       {details.get('family') or '-'}")
        click.echo(f"languages:    {details.get('source_lang')} -> {details.get('target_lang')}")
        click.echo(f"positions:    {details.get('max_positions')}")
        if resolved.format == "ct2":
            click.echo(f"quantization: {details.get('quantization', '-')}")
        else:
            conversion = conversion_path(resolved, "int8")
            status = str(conversion) if conversion.is_dir() else f"not converted (idnews models convert {resolved.path})"
            click.echo(f"ct2 (int8):   {status}")
        return
    card = get_card(name_or_path)
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
        found = resolve(card.name)
    except ModelNotFoundError as exc:
        click.echo(f"found at:     nowhere offline\n{exc}")
        click.echo("ct2 (int8):   not converted (fetch it first)")
        return
    click.echo(f"found at:     {found.path}")
    conversion = conversion_path(found, "int8")
    status = str(conversion) if conversion.is_dir() else f"not converted (idnews models convert {card.name})"
    click.echo(f"ct2 (int8):   {status}")


@models.command("fetch")
@click.argument("name")
@out_option("Also write a self-contained copy here (plain files, no links into the Hugging Face cache) to "
            "copy to an offline machine and use as --model DIR or as $IDNEWS_CACHE/models/NAME.", required=False)
def fetch(name: str, out_dir: Path | None) -> None:
    """Download NAME (registry name or hub id) into the Hugging Face cache; needs network unless it is
    cached already. Prints the folder to use."""
    from idnews.translation.models import fetch as fetch_model

    click.echo(str(fetch_model(name, out=out_dir)))


@models.command("convert")
@click.argument("name_or_path")
@click.option("--quantization", type=click.Choice(QUANTIZATIONS), default="int8", show_default=True,
              help="Weight type of the conversion.")
@out_option("Output folder (default: the idnews cache, $IDNEWS_CACHE/ct2/NAME-QUANTIZATION).", required=False)
@click.option("--force", is_flag=True, help="Replace an existing conversion.")
def convert(name_or_path: str, quantization: str, out_dir: Path | None, force: bool) -> None:
    """Convert a model (registry name, hub id or folder) to CTranslate2 with its own converter."""
    from idnews.translation.models import conversion_path, convert_checkpoint, resolve

    resolved = resolve(name_or_path)
    if resolved.format == "ct2":
        raise click.UsageError(f"{resolved.path} is already a CTranslate2 model")
    weights = None if quantization == "float32" else quantization
    target = out_dir or conversion_path(resolved, weights)
    result = convert_checkpoint(resolved.path, target, quantization=weights, force=force, info=resolved.info())
    click.echo(json.dumps({"model": resolved.name, "quantization": quantization, "path": str(result)}))


@models.command("tune")
@click.argument("name_or_path")
@click.option("--device", default="auto", show_default=True, help="cpu, cuda or auto.")
@click.option("--compute-type", default=None,
              help="Precision to tune for (default: the engine's); 'auto' also measures every supported precision.")
@click.option("--beam-size", type=click.IntRange(min=1), default=4, show_default=True,
              help="Beam size the layout is tuned for (greedy and beam search prefer different layouts).")
def tune(name_or_path: str, device: str, compute_type: str | None, beam_size: int) -> None:
    """Measure the fastest CTranslate2 layout (threads, batch budget; precision with --compute-type auto) for
    this machine and model, cache it for later runs, and print the table measured."""
    from idnews.translation import Decoding, EngineConfig, Translator

    translator = Translator(name_or_path, backend="ct2", engine=EngineConfig(device=device, compute_type=compute_type),
                            decoding=Decoding(beam_size=beam_size), guard=None)
    calibration = translator.tune()
    click.echo(calibration.table())
    click.echo(f"chosen: {calibration.config.text()} ({calibration.source} in {calibration.seconds:.1f} s"
               + (f"; {calibration.reason}" if calibration.reason else "") + ")")
    click.echo("later loads of this model on this machine use it (calibrate='cached', the default)")

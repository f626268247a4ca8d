"""Options shared by several ``idnews`` commands, declared once so every command spells them the same way."""
from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

BACKENDS = ("auto", "ct2", "hf")


def bullets_option(command: Callable[..., Any]) -> Callable[..., Any]:
    """``-n/--n/--bullets N``: summary bullets per article (the value reaches the command as ``bullets``)."""
    return click.option("-n", "--n", "--bullets", "bullets", type=click.IntRange(min=1), default=3,
                        show_default=True, help="Summary bullets per article.")(command)


def out_option(help_text: str, *, required: bool = True) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """``-o/--out DIR``: the folder a command writes into (reaches the command as ``out_dir``)."""
    return click.option("-o", "--out", "out_dir", required=required,
                        type=click.Path(file_okay=False, path_type=Path), help=help_text)


def backend_option(command: Callable[..., Any]) -> Callable[..., Any]:
    return click.option("--backend", type=click.Choice(BACKENDS), default="auto", show_default=True,
                        help="Translation backend.")(command)


def check_summary_method(ctx: click.Context, param: click.Parameter, value: Any) -> Any:
    """Refuse, before any input is read, a summariser that does not exist or that needs the reference summary
    of each article (``oracle``): only ``idnews eval summaries`` has references."""
    from idnews.errors import UnknownNameError
    from idnews.summarization import SUMMARIZERS

    for method in value if isinstance(value, tuple) else (value,):
        family, _, model = method.partition(":")
        if family in ("hf", "ct2") and not model:
            raise click.BadParameter(f"{method!r} needs a model after the colon, e.g. '{family}:path/to/model'")
        try:
            summarizer = SUMMARIZERS.get(family if family in ("hf", "ct2") else method)
        except UnknownNameError as exc:
            raise click.BadParameter(str(exc)) from None
        if summarizer.needs_reference:
            raise click.BadParameter(
                f"{method!r} needs the reference summary of each article; score it with `idnews eval summaries`"
            )
    return value

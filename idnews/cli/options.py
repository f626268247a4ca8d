"""Options shared by several ``idnews`` commands, declared once so every command spells them the same way."""
from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

BACKENDS = ("auto", "ct2", "hf")


class BulletCount(click.ParamType):
    """A positive whole number of bullets, or ``auto`` (``None``: each method chooses) where ``auto`` is allowed."""

    name = "n"

    def __init__(self, *, auto: bool = False) -> None:
        self.auto = auto

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> int | None:
        if isinstance(value, int) and not isinstance(value, bool) and value >= 1:
            return value
        text = str(value).strip().lower()
        if self.auto and text == "auto":
            return None
        if text.isdigit() and int(text) >= 1:
            return int(text)
        allowed = "a positive whole number or 'auto'" if self.auto else "a positive whole number"
        self.fail(f"{value!r} is not {allowed}", param, ctx)


def bullets_option(command: Callable[..., Any] | None = None, *, auto: bool = False) -> Any:
    """``-n/--n/--bullets N``: summary bullets per article (the value reaches the command as ``bullets``);
    ``auto=True`` also accepts ``auto`` (each method chooses how many)."""
    help_text = "Summary bullets per article" + (", or 'auto' to let each method choose." if auto else ".")
    decorate = click.option("-n", "--n", "--bullets", "bullets", type=BulletCount(auto=auto), default=3,
                            show_default=True, help=help_text)
    return decorate if command is None else decorate(command)


def out_option(help_text: str, *, required: bool = True) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """``-o/--out DIR``: the folder a command writes into (reaches the command as ``out_dir``)."""
    return click.option("-o", "--out", "out_dir", required=required,
                        type=click.Path(file_okay=False, path_type=Path), help=help_text)


def backend_option(command: Callable[..., Any]) -> Callable[..., Any]:
    return click.option("--backend", type=click.Choice(BACKENDS), default="auto", show_default=True,
                        help="Translation backend.")(command)


def calibrate_option(command: Callable[..., Any]) -> Callable[..., Any]:
    return click.option(
        "--calibrate", type=click.Choice(["off", "cached", "measure"]), default=None,
        help="Engine layout (CTranslate2): cached = the one `idnews models tune` measured on this machine, else "
             "the defaults; measure = measure now when none is cached (up to 15 s); off = the defaults. "
             "[default: cached]",
    )(command)


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

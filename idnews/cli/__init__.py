"""The ``idnews`` command line. Sub-commands live in their own modules and are imported on use."""
from __future__ import annotations

import importlib
import logging
import os
import sys

import click

from idnews import __version__
from idnews.errors import IdnewsError

# command name -> ("module:attribute" of a click command or group, one-line help)
COMMANDS: dict[str, tuple[str, str]] = {
    "clean": ("idnews.cli.article_cmds:clean", "Clean scraped pages into article JSON files."),
    "show": ("idnews.cli.article_cmds:show", "Print a parsed article readably."),
    "models": ("idnews.cli.models_cmds:models", "List, inspect, fetch, convert and tune translation models."),
    "translate": ("idnews.cli.batch_cmds:translate", "Translate files or folders into English."),
    "summarize": ("idnews.cli.batch_cmds:summarize", "Summarise files or folders into bullets."),
    "process": ("idnews.cli.batch_cmds:process", "Read, clean, summarise and translate in one pass."),
    "eval": ("idnews.cli.eval_cmds:eval_group", "Score summaries and translations; run eval suites."),
}


class LazyGroup(click.Group):
    """A click group whose sub-commands are imported only when invoked (keeps ``--help`` fast)."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(COMMANDS)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        target = COMMANDS.get(cmd_name)
        if target is None:
            return None
        module_name, _, attribute = target[0].partition(":")
        return getattr(importlib.import_module(module_name), attribute)

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        with formatter.section("Commands"):
            formatter.write_dl([(name, help_text) for name, (_, help_text) in sorted(COMMANDS.items())])


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="idnews")
@click.option("-v", "--verbose", count=True, help="More log output (-v info, -vv debug).")
def cli(verbose: int) -> None:
    """Read, clean, summarise, translate and evaluate Indonesian news."""
    level = logging.WARNING - 10 * min(verbose, 2)
    logging.basicConfig(level=level, format="%(levelname)s %(name)s: %(message)s")
    if verbose < 2:
        quiet_third_party()


def quiet_third_party() -> None:
    """Keep the libraries idnews uses from printing their own progress bars and advice, so a command's
    output is idnews's own lines; ``-vv`` leaves them on. Settings the user made in the environment win."""
    os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
    os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")
    os.environ.setdefault("TRANSFORMERS_NO_ADVISORY_WARNINGS", "1")
    os.environ.setdefault("HF_DATASETS_DISABLE_PROGRESS_BARS", "1")
    if "huggingface_hub" in sys.modules and os.environ["HF_HUB_DISABLE_PROGRESS_BARS"] == "1":
        from huggingface_hub.utils import disable_progress_bars

        disable_progress_bars()
    if "datasets" in sys.modules and os.environ["HF_DATASETS_DISABLE_PROGRESS_BARS"] == "1":
        from datasets.utils.logging import disable_progress_bar

        disable_progress_bar()
    if "transformers" in sys.modules and os.environ["TRANSFORMERS_VERBOSITY"] == "error":
        from transformers.utils import logging as transformers_logging

        transformers_logging.disable_progress_bar()
        transformers_logging.set_verbosity_error()


def main(argv: list[str] | None = None) -> None:
    """Entry point of the ``idnews`` console script; turns idnews errors into clean messages."""
    try:
        # Without standalone mode click returns ctx.exit() codes instead of exiting; keep them.
        result = cli.main(args=argv, prog_name="idnews", standalone_mode=False)
    except click.exceptions.Abort:
        click.echo("Aborted.", err=True)
        sys.exit(130)
    except click.ClickException as exc:
        exc.show()
        sys.exit(2 if isinstance(exc, click.UsageError) else exc.exit_code)
    except IdnewsError as exc:
        click.echo(f"idnews: error: {exc}", err=True)
        sys.exit(1)
    except OSError as exc:  # a folder that cannot be written, a full disk: the file and the reason, no traceback
        where = f"{os.fsdecode(exc.filename)}: " if exc.filename else ""
        click.echo(f"idnews: error: {where}{exc.strerror or exc}", err=True)
        sys.exit(1)
    except click.exceptions.Exit as exc:
        sys.exit(exc.exit_code)
    sys.exit(result if isinstance(result, int) else 0)

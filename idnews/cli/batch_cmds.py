"""``idnews translate``, ``idnews summarize`` and ``idnews process``: resumable batch runs over files and folders."""
from __future__ import annotations

import functools
import signal
import sys
from collections.abc import Callable
from contextlib import ExitStack
from pathlib import Path
from typing import IO, Any

import click

from idnews.batch.discover import UnsafeOutputError, check_output_folder, discover
from idnews.batch.outputs import FORMATS
from idnews.batch.pipeline import Models, Options
from idnews.batch.run import DEFAULT_BATCH_SENTENCES, DEFAULT_COMMIT_ROWS, ERRORS_FILE, RunSettings
from idnews.batch.runner import BatchRunner
from idnews.cli.options import backend_option, bullets_option, calibrate_option, check_summary_method, out_option
from idnews.errors import IdnewsError, ModelNotFoundError

MODEL_SETTINGS = ("model", "backend", "device", "compute_type", "beam_size", "max_length", "max_batch_tokens", "guard",
                  "calibrate")
NO_MODEL_HELP = (
    "provide one with --model PATH|NAME, or run `idnews models fetch opus-mt-id-en --out DIR` on a connected "
    "machine and copy DIR here"
)


def _common_options(default_format: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    options: list[Callable[[Callable[..., Any]], Callable[..., Any]]] = [
        click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path)),
        out_option("Output folder; the input tree is mirrored under it."),
        click.option("--format", "fmt", type=click.Choice(FORMATS), default=default_format, show_default=True,
                     help="txt: plain text; md: bilingual, sentence-aligned; json: the structured record."),
        click.option("--glob", "include", multiple=True, metavar="PATTERN",
                     help="Only files whose relative path or name matches (repeatable)."),
        click.option("--exclude", multiple=True, metavar="PATTERN", help="Skip matching files (repeatable)."),
        click.option("--force", is_flag=True, help="Redo files whose outputs are already up to date."),
        click.option("-q", "--quiet", is_flag=True, help="No progress bar and no summary."),
        click.option("--log-json", type=click.Path(dir_okay=False, allow_dash=True, path_type=Path),
                     help="Append one JSON line per file and a summary line to this file ('-' for stdout)."),
        click.option("--batch-sentences", type=click.IntRange(min=1), default=DEFAULT_BATCH_SENTENCES,
                     show_default=True, help="Sentences sent to the translator together, across files."),
        click.option("--commit-every", "commit_rows", type=click.IntRange(min=1), default=DEFAULT_COMMIT_ROWS,
                     show_default=True, metavar="ROWS",
                     help="JSON-lines inputs: save progress every ROWS rows, where a killed run resumes."),
    ]

    def decorate(command: Callable[..., Any]) -> Callable[..., Any]:
        for option in reversed(options):
            command = option(command)
        return command

    return decorate


def _model_options(command: Callable[..., Any]) -> Callable[..., Any]:
    """The Translator options, handed to the command together as ``translator_settings``."""
    options: list[Callable[[Callable[..., Any]], Callable[..., Any]]] = [
        click.option("--model", default=None, help="Translation model: a name, a hub id or a local folder."),
        backend_option,
        click.option("--device", default="auto", show_default=True, help="cpu, cuda or auto."),
        click.option("--compute-type", default=None, help="Backend compute type (e.g. int8, float32)."),
        click.option("--beam-size", type=click.IntRange(min=1), default=None, help="Beam size of decoding."),
        click.option("--max-length", type=click.IntRange(min=1), default=None,
                     help="Most target tokens generated per sentence."),
        click.option("--max-batch-tokens", type=click.IntRange(min=1), default=None,
                     help="Padded source tokens per model batch (sentences x longest)."),
        click.option("--guard/--no-guard", default=True, show_default=True,
                     help="Check each translated sentence and re-decode suspicious ones."),
        calibrate_option,
    ]

    @functools.wraps(command)
    def gather(*args: Any, **kwargs: Any) -> Any:
        settings = {name: kwargs.pop(name) for name in MODEL_SETTINGS}
        return command(*args, translator_settings=settings, **kwargs)

    for option in reversed(options):
        gather = option(gather)
    return gather


def _engine_options(command: Callable[..., Any]) -> Callable[..., Any]:
    """Where the run happens, handed to the command together as ``cluster``: ``None`` for this process, or the
    settings of a Ray run."""
    options = [
        click.option("--engine", type=click.Choice(["local", "ray"]), default="local", show_default=True,
                     help='local: this process; ray: a pool of Ray replicas (pip install "idnews[ray]").'),
        click.option("--address", default=None, metavar="auto|ray://HOST:10001",
                     help="Ray cluster to join (default: start Ray on this machine)."),
        click.option("--replicas", type=click.IntRange(min=1), default=None,
                     help="Ray replicas, each with its own loaded models. [default: 2]"),
        click.option("--cpus-per-replica", type=click.FloatRange(min=0, min_open=True), default=None,
                     help="CPUs of each replica, fractions allowed; also its translator's threads. [default: 1]"),
        click.option("--gpus-per-replica", type=click.FloatRange(min=0), default=None,
                     help="GPUs of each replica; > 0 translates on the GPU. [default: 0]"),
        click.option("--files-per-task", type=click.IntRange(min=1), default=None,
                     help="Input files given to a replica at a time. [default: 16]"),
    ]
    ray_only = ("address", "replicas", "cpus_per_replica", "gpus_per_replica", "files_per_task")

    @functools.wraps(command)
    def gather(*args: Any, **kwargs: Any) -> Any:
        engine_name = kwargs.pop("engine")
        given = {name: kwargs.pop(name) for name in ray_only}
        given = {name: value for name, value in given.items() if value is not None}
        if engine_name == "local":
            if given:
                first = "--" + next(iter(given)).replace("_", "-")
                raise click.UsageError(f"{first} needs --engine ray")
            return command(*args, cluster=None, **kwargs)
        from idnews.distributed.spec import ClusterSettings, require_ray

        require_ray()
        return command(*args, cluster=ClusterSettings(**given), **kwargs)

    for option in reversed(options):
        gather = option(gather)
    return gather


def _summary_options(command: Callable[..., Any]) -> Callable[..., Any]:
    options = [
        bullets_option,
        click.option("--method", default="auto", show_default=True, callback=check_summary_method,
                     help="Summariser: auto, lead, textrank, learned, hf:MODEL or ct2:MODEL."),
    ]
    for option in reversed(options):
        command = option(command)
    return command


def _load_translator(settings: dict[str, Any]) -> Any:
    from idnews.translation import Translator

    chosen = {k: v for k, v in settings.items() if k != "model" and v is not None}
    return Translator.from_options(settings["model"], **chosen).load()


def _run(
    options: Options, load_models: Callable[[], Models], params: dict[str, Any], *,
    translator_settings: dict[str, Any] | None = None, method: str | None = None,
) -> None:
    """Check the paths, load the models, run (here or, with ``params["cluster"]``, on Ray), report; exits with
    the run's status. A Ray run's replicas load the same models from ``translator_settings`` and ``method``."""
    paths: tuple[Path, ...] = params["paths"]
    out_dir: Path = params["out_dir"]
    try:
        check_output_folder(paths, out_dir)
        inputs = discover(paths, params["fmt"], include=params["include"], exclude=params["exclude"])
        log_path: Path | None = params["log_json"]
        if log_path is not None and str(log_path) != "-":
            check_log_file(log_path, out_dir, [item.path for item in inputs])
    except UnsafeOutputError as exc:
        raise click.UsageError(str(exc)) from None
    quiet: bool = params["quiet"]
    models = load_models()
    prepare_output_folder(out_dir)  # after the models: a run that cannot start leaves no folder behind
    with ExitStack() as stack:
        log: IO[str] | None = None
        if log_path is not None:
            log = sys.stdout if str(log_path) == "-" else stack.enter_context(open_log(log_path))
        settings = RunSettings(
            out_dir=out_dir, fmt=params["fmt"], force=params["force"], batch_sentences=params["batch_sentences"],
            progress=not quiet, log_json=log, commit_rows=params["commit_rows"],
        )
        cluster = params.get("cluster")
        if cluster is None:
            summary = BatchRunner(models, options, settings).run(inputs)
        else:
            from idnews.distributed.files import run_files
            from idnews.distributed.spec import ModelSpec

            spec = ModelSpec(translator=translator_settings if models.translator is not None else None,
                             summarizer=method if models.summarizer is not None else None)
            summary = run_files(inputs, models, spec, options, settings, cluster)
    if not quiet:
        click.echo(summary.line(), err=True)
        if summary.failed:
            click.echo(f"Failed inputs and reasons: {out_dir / ERRORS_FILE}", err=True)
        for link in summary.links_outside:
            click.echo(f"Followed a link out of the input folder: {link['path']} -> {link['target']}", err=True)
    if summary.interrupted:
        how = "Terminated" if summary.stop_signal == signal.SIGTERM else "Interrupted"
        click.echo(f"{how}: finished files are kept. Re-run the same command to resume.", err=True)
    sys.exit(summary.exit_code)  # SystemExit passes through click's non-standalone main unchanged


def check_log_file(log: Path, out_dir: Path, inputs: list[Path]) -> None:
    """Refuse a ``--log-json`` file that is an input, or that lies in the output folder where outputs go."""
    resolved = log.resolve()
    if any(resolved == path.resolve() for path in inputs):
        raise UnsafeOutputError(f"--log-json {log} is one of the inputs; the log would be appended to it")
    out = out_dir.resolve()
    if out in resolved.parents:
        raise UnsafeOutputError(f"--log-json {log} is inside --out {out_dir}, where outputs and {ERRORS_FILE} are "
                                "written; put the log elsewhere")


def prepare_output_folder(out_dir: Path) -> None:
    """Create ``out_dir`` (and its parents), turning the operating system's refusal into a clear error."""
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise IdnewsError(f"--out {out_dir}: cannot create the folder ({os_reason(exc)})") from None


def open_log(path: Path) -> IO[str]:
    try:
        return open(path, "a", encoding="utf-8", errors="backslashreplace")
    except OSError as exc:
        raise IdnewsError(f"--log-json {path}: cannot open it for writing ({os_reason(exc)})") from None


def os_reason(exc: OSError) -> str:
    """The operating system's reason, in words (``Permission denied``, ``Not a directory``, ...)."""
    return exc.strerror or type(exc).__name__


def _refuse_unused_options(names: list[str]) -> None:
    """Translation options given to a command that translates nothing are a usage error, not silently ignored."""
    ctx = click.get_current_context()
    given = [name for name in names
             if ctx.get_parameter_source(name) not in (None, click.core.ParameterSource.DEFAULT)]
    if given:
        flags = ", ".join("--" + name.replace("_", "-") for name in given)
        raise click.UsageError(f"{flags}: only used with --lang en (the bullets are not translated otherwise)")


def _summarizer(method: str) -> Any:
    from idnews.summarization import get_summarizer

    return get_summarizer(method)


@click.command()
@_common_options("txt")
@_model_options
@_engine_options
def translate(translator_settings: dict[str, Any], **params: Any) -> None:
    """Translate pages (.txt, .md, .html) and JSON-lines files under PATHS into English.

    Re-running the same command resumes: up-to-date outputs are skipped. Broken inputs are listed in
    OUT/errors.jsonl. Exit status: 0 all succeeded, 1 some inputs failed, 2 usage error.
    """
    def load() -> Models:
        return Models(translator=_load_translator(translator_settings))

    _run(Options(task="translate"), load, params, translator_settings=translator_settings)


@click.command()
@_common_options("txt")
@_summary_options
@click.option("--lang", type=click.Choice(["id", "en"]), default="id", show_default=True,
              help="Language of the bullets; en translates them.")
@_model_options
@_engine_options
def summarize(bullets: int, method: str, lang: str, translator_settings: dict[str, Any],
              **params: Any) -> None:
    """Summarise pages and JSON-lines files under PATHS into bullets (Indonesian, or English with --lang en)."""
    if lang == "id":
        _refuse_unused_options([*MODEL_SETTINGS, "batch_sentences"])

    def load() -> Models:
        translator = _load_translator(translator_settings) if lang == "en" else None
        return Models(translator=translator, summarizer=_summarizer(method))

    options = Options(task="summarize", bullets=bullets, summary_lang=lang)  # type: ignore[arg-type]
    _run(options, load, params, translator_settings=translator_settings, method=method)


@click.command()
@_common_options("md")
@_summary_options
@_model_options
@_engine_options
def process(bullets: int, method: str, translator_settings: dict[str, Any], **params: Any) -> None:
    """Read, clean, summarise and translate pages under PATHS in one pass.

    Without a translation model the pages are still cleaned and summarised, and translation is skipped.
    """
    def load() -> Models:
        try:
            translator = _load_translator(translator_settings)
        except ModelNotFoundError:
            if translator_settings["model"] is not None:
                raise
            translator = None
            click.echo(f"idnews: translation skipped: no translation model is available offline; {NO_MODEL_HELP}.",
                       err=True)
        return Models(translator=translator, summarizer=_summarizer(method))

    _run(Options(task="process", bullets=bullets), load, params, translator_settings=translator_settings,
         method=method)

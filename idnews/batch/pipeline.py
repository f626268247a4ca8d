"""The per-record work: read → clean → summarise → translate → record, as a function of one record and models.

:func:`process_record` is pure in the sense that matters for scale-out: it reads nothing but its record, keeps
no state between calls, and returns a JSON-ready dict, so it can run under ``datasets.map``, Ray Data or Spark.
The batch runner uses its two halves, :func:`plan_record` and :func:`finish_record`, to send the sentences of
many records through the translator together.
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal

from idnews import __version__
from idnews.article import Article, load_article
from idnews.batch.records import Record
from idnews.errors import IdnewsError, InputError
from idnews.signature import TypedSignature

if TYPE_CHECKING:
    from idnews.summarization import Summarizer
    from idnews.summarization.base import SummarizerSignature
    from idnews.translation import Segment, Translator, TranslatorSignature
    from idnews.translation.document import SourceDocument

Task = Literal["translate", "summarize", "process"]
TASKS: tuple[str, ...] = ("translate", "summarize", "process")


@dataclass(frozen=True)
class Options:
    """What to do with each record: the ``task``, the number of summary ``bullets``, and their language.

    ``summary_lang="en"`` translates the bullets (it needs a translator); ``process`` translates them whenever
    a translator is loaded.
    """

    task: Task = "process"
    bullets: int = 3
    summary_lang: Literal["id", "en"] = "id"

    def __post_init__(self) -> None:
        if self.task not in TASKS:
            raise IdnewsError(f"task must be one of {', '.join(TASKS)}, not {self.task!r}")
        if self.summary_lang not in ("id", "en"):
            raise IdnewsError(f"summary language must be 'id' or 'en', not {self.summary_lang!r}")
        if isinstance(self.bullets, bool) or not isinstance(self.bullets, int) or self.bullets < 1:
            raise IdnewsError(f"bullets must be a positive whole number, not {self.bullets!r}")

    @property
    def summarizes(self) -> bool:
        return self.task in ("summarize", "process")


@dataclass(frozen=True)
class RunSignature(TypedSignature):
    """What produces a batch run's outputs: idnews's version, the task and its options, the output format, and
    the typed signatures of the summariser and translator used (``None`` when a task does not use one). Its
    :meth:`digest` is half of every resume key (the input's hash is the other half)."""

    version: str
    task: str
    bullets: int | None = None
    summary_lang: str | None = None
    summarizer: SummarizerSignature | None = None
    translator: TranslatorSignature | None = None
    format: str | None = None

    def fields(self) -> dict[str, object]:
        return {
            "idnews": self.version,
            "task": self.task,
            "bullets": self.bullets,
            "lang": self.summary_lang,
            "summarizer": self.summarizer,
            "translator": self.translator if self.translator is not None else "none",
            "format": self.format,
        }


@dataclass(frozen=True)
class Models:
    """The loaded models a record is processed with; ``translator`` is ``None`` when none is available."""

    translator: Translator | None = None
    summarizer: Summarizer | None = None

    def check(self, options: Options) -> None:
        """Fail early, before any input is read, when ``options`` need a model that is not loaded."""
        if options.task == "translate" and self.translator is None:
            raise IdnewsError("translation needs a translator")
        if options.task == "summarize" and options.summary_lang == "en" and self.translator is None:
            raise IdnewsError("English summaries need a translator")
        if options.summarizes and self.summarizer is None:
            raise IdnewsError(f"the {options.task} task needs a summariser")

    def translates(self, options: Options) -> bool:
        return self.translator is not None and options.task != "summarize"

    def translates_bullets(self, options: Options) -> bool:
        if self.translator is None or not options.summarizes:
            return False
        return options.task == "process" or options.summary_lang == "en"

    def signature(self, options: Options, *, fmt: str | None = None) -> RunSignature:
        """What produces the records (no timestamps, no paths): see :class:`RunSignature`."""
        summarizes = options.summarizes and self.summarizer is not None
        translates = self.translates(options) or self.translates_bullets(options)
        return RunSignature(
            version=__version__,
            task=options.task,
            bullets=options.bullets if summarizes else None,
            summary_lang=options.summary_lang if options.task == "summarize" else None,
            summarizer=self.summarizer.signature() if summarizes else None,  # type: ignore[union-attr]
            translator=self.translator.signature if translates else None,  # type: ignore[union-attr]
            format=fmt,
        )


@dataclass
class Plan:
    """A record read, cleaned and summarised, with the sentences still to translate (in order)."""

    record: Record
    article: Article | None = None
    document: SourceDocument | None = None
    bullets: list[str] | None = None
    sentences: list[str] = field(default_factory=list)
    problem: str | None = None
    english: bool = False


def read_article(record: Record) -> Article:
    """The cleaned article of a record (raises :class:`InputError` for unreadable input)."""
    if record.problem is not None:
        raise InputError(record.name, record.problem)
    if record.text is not None:
        if not record.text.strip():
            raise InputError(record.name, "the text is empty")
        return Article.from_text(record.text)
    if record.path is None:
        raise InputError(record.name, "the record has neither text nor a path")
    try:
        return load_article(record.path)
    except PermissionError:
        raise InputError(record.name, "permission denied") from None
    except IsADirectoryError:
        raise InputError(record.name, "is a folder, not a file") from None


def plan_record(record: Record, models: Models, options: Options) -> Plan:
    """Read, clean and summarise one record, and list the sentences to translate.

    Broken input does not raise: the plan carries a one-line ``problem`` instead.
    """
    try:
        article = read_article(record)
        bullets = models.summarizer.summarize(article, n=options.bullets) if options.summarizes else None  # type: ignore[union-attr]
    except InputError as exc:
        return Plan(record, problem=exc.problem)
    except (IdnewsError, OSError, UnicodeError) as exc:
        return Plan(record, problem=str(exc) or type(exc).__name__)
    if bullets == []:  # an "ok" record with an empty summary would hide that nothing was usable
        return Plan(record, problem="no sentence could be used for a summary (the text has no usable sentence)")
    plan = Plan(record, article=article, bullets=bullets)
    if models.translates(options):
        from idnews.translation.document import split_article

        plan.document = split_article(article)
        plan.english = models.translator.passes_through(article)  # type: ignore[union-attr]
        if not plan.english:
            plan.sentences.extend(plan.document.sentences())
            if not plan.sentences:
                return Plan(record, problem="no sentence to translate")
    if bullets and models.translates_bullets(options):
        plan.sentences.extend(bullets)
    return plan


def translate_sentences(models: Models, sentences: Sequence[str]) -> list[Segment]:
    """One :class:`~idnews.Segment` per sentence, translated together in token-budget batches."""
    if not sentences:
        return []
    if models.translator is None:
        raise IdnewsError("no translator is loaded")
    segments = models.translator.translate_sentences(list(sentences))
    if len(segments) != len(sentences):
        raise IdnewsError(f"the translator returned {len(segments)} segments for {len(sentences)} sentences")
    return segments


def finish_record(plan: Plan, segments: Sequence[Segment], signature: RunSignature, options: Options) -> dict[str, Any]:
    """The output record of a plan, given the translated ``segments`` of ``plan.sentences`` (same order)."""
    record = plan.record
    if plan.problem is not None or plan.article is None:
        failed: dict[str, Any] = {"source": record.name, "error": plan.problem or "not read"}
        if record.fields:
            failed["fields"] = dict(record.fields)
        return failed
    article = plan.article.to_dict()
    article.pop("source_path", None)
    translation = None
    body_count = 0
    if plan.document is not None:
        from idnews.translation import ENGLISH_NOTE, Segment

        units = plan.document.sentences()
        if plan.english:
            translation = plan.document.assemble([Segment(u, u) for u in units], [ENGLISH_NOTE]).to_dict()
        else:
            body_count = len(units)
            translation = plan.document.assemble(list(segments[:body_count])).to_dict()
    summary: dict[str, Any] | None = None
    bullet_warnings = 0
    if plan.bullets is not None:
        summary = {"id": list(plan.bullets), "en": None}
        if len(segments) > body_count:
            english = segments[body_count:]
            summary["en"] = [s.target for s in english]
            summary["en_warnings"] = [list(s.warnings) for s in english]
            bullet_warnings = sum(1 for s in english if s.warnings)
    result: dict[str, Any] = {
        "source": record.name,
        "task": options.task,
        "article": article,
        "summary": summary,
        "translation": translation,
        "warnings": (translation["warning_count"] if translation else 0) + bullet_warnings,
        "signature": str(signature),
    }
    if record.fields:
        result["fields"] = dict(record.fields)
    return result


def process_record(record: Record, models: Models, options: Options) -> dict[str, Any]:
    """Read → clean → summarise → translate one record; returns the JSON-ready output record.

    A broken record gives ``{"source": ..., "error": "<one-line reason>"}`` instead of raising.
    """
    plan = plan_record(record, models, options)
    segments = translate_sentences(models, plan.sentences) if plan.problem is None else []
    return finish_record(plan, segments, models.signature(options), options)

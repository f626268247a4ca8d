"""The :class:`Translator`: documents in, sentence-aligned English out, never truncated."""
from __future__ import annotations

import inspect
import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, fields
from functools import lru_cache
from typing import TYPE_CHECKING, Any, overload

from idnews.decode import unicode_problem
from idnews.errors import ConfigError, InputError
from idnews.signature import ModelIdentity, TypedSignature, settings_text
from idnews.translation.backends import BACKENDS, Decoding
from idnews.translation.calibration import Calibration, Tuning, tuning_of
from idnews.translation.config import EngineConfig
from idnews.translation.decoder import AUTO_LENGTH_LABEL, translate_units
from idnews.translation.document import Segment, SourceDocument, TranslatedDocument, split_article
from idnews.translation.engine import Engine, load_engine
from idnews.translation.guard import GuardSettings

if TYPE_CHECKING:
    from idnews.article import Article

ENGLISH_NOTE = "already English: passed through unchanged"


@dataclass(frozen=True)
class TranslatorSignature(TypedSignature):
    """Everything that decides a translator's output: the model by content, engine, precision, decoding,
    guard and English pass-through. Thread counts and batch sizes are left out as run metadata (in int8 a
    sentence's padded length can, rarely, flip a near-tie; float32 repeats every byte)."""

    model: ModelIdentity
    backend: str
    device: str
    compute_type: str
    decoding: Decoding
    guard: GuardSettings | None
    detect_english: bool

    def fields(self) -> dict[str, object]:
        d = self.decoding
        return {
            "model": self.model,
            "backend": self.backend,
            "device": self.device,
            "compute": self.compute_type,
            "beam": d.beam_size,
            "max_len": d.max_length or AUTO_LENGTH_LABEL,
            "min_len": d.min_length or None,
            "no_repeat": d.no_repeat_ngram_size or None,
            "rep_penalty": d.repetition_penalty if d.repetition_penalty != 1.0 else None,
            "len_penalty": d.length_penalty if d.length_penalty != 1.0 else None,
            "max_input": d.max_input_tokens or "auto",
            "guard": settings_text(self.guard) if self.guard is not None else "off",
            "english": "pass" if self.detect_english else "translate",
        }


@dataclass
class _Prepared:
    source: SourceDocument
    english: bool = False
    notes: list[str] = field(default_factory=list)


class Translator:
    """Indonesian→English translation of sentences, texts and whole articles.

    The model is resolved and loaded on first use and then reused; constructing a translator reads no file and
    changes nothing outside it. Every setting is a constructor argument; none can be changed afterwards. Bad
    settings raise :class:`~idnews.errors.ConfigError`.

    Args:
        model: registry name (default ``opus-mt-id-en``), hub id, or local folder (transformers
            checkpoint or CTranslate2 conversion).
        backend: ``"ct2"``, ``"hf"`` or ``"auto"`` (CTranslate2 when the model is or can be converted
            locally — the conversion is cached — otherwise transformers).
        engine: device, precision, threads and batch sizes (:class:`EngineConfig`; default: the device's
            default precision, the CPU's physical cores shared by two parallel batches, 4096 tokens a batch).
            Only the device and precision can change the words; the rest is run metadata.
        decoding: beam width, output length limits, penalties and the input length at which a sentence is
            cut into pieces (:class:`Decoding`; default beam 4, lengths automatic).
        guard: thresholds and retry policy of the faithfulness guard (:class:`GuardSettings`), or ``None`` to
            translate without checks.
        detect_english: pass text that is already English through unchanged (with a note). Default on.
        calibrate: ct2 only. ``"cached"`` (default): the layout ``idnews models tune`` (or :meth:`tune`) measured
            for this machine, model and request, when there is one — a file read — else the defaults;
            ``"measure"`` (or ``True``): measure on first load when nothing is cached (up to 15 s) and cache it;
            ``"off"`` (or ``False``): the defaults. Settings given in ``engine`` are never varied
            (:mod:`idnews.translation.calibration`).
        allow_download: let resolution download from the hub (never under ``HF_HUB_OFFLINE=1``).

    :meth:`from_options` builds one from flat keywords (``beam_size=1, guard=False, intra_threads=2``), as the
    command line and suite files give them.
    """

    def __init__(
        self,
        model: str | os.PathLike[str] | None = None,
        *,
        backend: str = "auto",
        engine: EngineConfig = EngineConfig(),
        decoding: Decoding = Decoding(),
        guard: GuardSettings | None = GuardSettings(),
        detect_english: bool = True,
        calibrate: Tuning | bool = "cached",
        allow_download: bool = False,
    ) -> None:
        if backend != "auto" and backend not in BACKENDS:
            BACKENDS.get(backend)  # raises UnknownNameError listing the known backends
        if not isinstance(engine, EngineConfig):
            raise ConfigError("engine", f"must be an EngineConfig, not {type(engine).__name__}")
        if not isinstance(decoding, Decoding):
            raise ConfigError("decoding", f"must be a Decoding, not {type(decoding).__name__}")
        if guard is not None and not isinstance(guard, GuardSettings):
            raise ConfigError("guard", f"must be GuardSettings or None, not {guard!r}")
        self.model = model
        self.backend_name = backend
        self.engine = engine
        self.decoding = decoding
        self.guard = guard
        self.detect_english = detect_english
        self.calibrate: Tuning = tuning_of(calibrate)
        self.allow_download = allow_download
        self._loaded: Engine | None = None

    @classmethod
    def from_options(cls, model: str | os.PathLike[str] | None = None, **options: Any) -> Translator:
        """A translator from flat options: the :class:`EngineConfig`, :class:`Decoding` and
        :class:`GuardSettings` fields by name, ``guard=True/False``, and the constructor's own keywords. Unknown
        names are a :class:`ConfigError`."""
        groups = {"engine": EngineConfig, "decoding": Decoding}
        group_names = {key: {f.name for f in fields(kind)} for key, kind in groups.items()}
        guard_names = {f.name for f in fields(GuardSettings)}
        own = set(inspect.signature(cls.__init__).parameters) - {"self", "model"}
        flat = set().union(*group_names.values()) | guard_names
        unknown = sorted(set(options) - flat - own)
        if unknown:
            raise ConfigError(unknown[0], f"unknown translator option; known: {', '.join(sorted(flat | own))}")
        built: dict[str, Any] = {}
        for key, kind in groups.items():
            given = {k: options.pop(k) for k in list(options) if k in group_names[key]}
            built[key] = options.pop(key, None) or kind(**given)
        guard_on = options.pop("guard", True)
        guard_fields = {k: options.pop(k) for k in list(options) if k in guard_names}
        if isinstance(guard_on, GuardSettings) or guard_on is None:
            guard = guard_on
        else:
            guard = GuardSettings(**guard_fields) if guard_on else None
        return cls(model, guard=guard, **built, **options)

    # ------------------------------------------------------------------ loading

    def _engine(self) -> Engine:
        if self._loaded is None:
            self._loaded = load_engine(
                self.model, backend=self.backend_name, config=self.engine, beam_size=self.decoding.beam_size,
                tuning=self.calibrate, allow_download=self.allow_download,
            )
        return self._loaded

    def load(self) -> Translator:
        """Load the model (and the English detector, when used) now instead of on first use; returns ``self``."""
        self._engine()
        if self.detect_english:
            from idnews.translation.langid import warm_up

            warm_up()
        return self

    @property
    def load_seconds(self) -> float:
        """Seconds the model took to resolve, convert if needed, and load."""
        return self._engine().load_seconds

    def tune(self) -> Calibration:
        """Measure the engine layout now (whatever ``calibrate`` says or is cached), cache it for later loads,
        and translate with it from here on; settings given in ``engine`` are still never varied. Returns what
        was measured."""
        return self._engine().tune()

    @property
    def calibration(self) -> Calibration:
        """The engine configuration in use (threads, batch budget, precision) and where it came from
        (``measured``, ``cached``, ``defaults``, ``user``), with what was measured (loads the model). Run
        metadata, not part of :attr:`signature`: only the precision can change the words."""
        return self._engine().calibration

    @property
    def signature(self) -> TranslatorSignature:
        """Everything that decides this translator's output, the model by content (loads the model)."""
        engine = self._engine()
        return TranslatorSignature(
            model=engine.identity,
            backend=engine.backend.name,
            device=engine.backend.device,
            compute_type=engine.backend.compute_type,
            decoding=self.decoding,
            guard=self.guard,
            detect_english=self.detect_english,
        )

    # ------------------------------------------------------------------ public API

    @overload
    def translate(self, text: str) -> str: ...

    @overload
    def translate(self, text: list[str]) -> list[str]: ...

    def translate(self, text: str | list[str]) -> str | list[str]:
        """Translate one text (``str`` → ``str``) or many (list → list, same length and order).

        Each text is translated as given (``Article.from_text(text, clean=False)``: no line is dropped), with
        its paragraphs, headings and the exact whitespace between them kept; blank strings stay as they are.
        """
        if isinstance(text, str):
            return self._translate_texts([text])[0]
        texts = list(text)
        for index, item in enumerate(texts):
            if not isinstance(item, str):
                raise InputError(None, f"item {index} is a {type(item).__name__}, not a str")
        return self._translate_texts(texts)

    def translate_document(self, document: str | Article) -> TranslatedDocument:
        """Translate an :class:`~idnews.article.Article`, or a page given as text (read with
        :meth:`Article.from_text`, so it has that article's paragraphs and headings), into a
        :class:`TranslatedDocument`."""
        return next(self.translate_documents([document]))

    def translate_documents(
        self, documents: Iterable[str | Article], *, chunk_sentences: int = 512
    ) -> Iterator[TranslatedDocument]:
        """Translate many documents, batching their sentences together; yields results in input order."""
        pending: list[_Prepared] = []
        count = 0
        for document in documents:
            prepared = self._prepare(document)
            pending.append(prepared)
            count += 0 if prepared.english else len(prepared.source.sentences())
            if count >= chunk_sentences:
                yield from self._finish(pending)
                pending, count = [], 0
        if pending:
            yield from self._finish(pending)

    def translate_sentences(self, sentences: list[str]) -> list[Segment]:
        """Translate sentences (one segment each, same order); identical sentences are decoded once."""
        return self._segments(sentences, [False] * len(sentences))

    # ------------------------------------------------------------------ internals

    def _segments(self, sentences: list[str], judged: list[bool]) -> list[Segment]:
        """Like :meth:`translate_sentences`; ``judged[i]`` says sentence i was already found not English."""
        segments: list[Segment | None] = [None] * len(sentences)
        todo: dict[str, list[int]] = {}
        for index, sentence in enumerate(sentences):
            problem = unicode_problem(sentence)
            if problem is not None:  # the tokenizer would fail on it with a bare TypeError
                raise InputError(None, problem)
            key = " ".join(sentence.split())
            if not key:
                segments[index] = Segment(sentence, "")
            elif self.detect_english and not judged[index] and _is_english(key):
                segments[index] = Segment(sentence, sentence, notes=[ENGLISH_NOTE])
            else:
                todo.setdefault(key, []).append(index)
        if todo:
            units = list(todo)
            for unit, (target, warnings) in zip(units, self._translate_units(units)):
                for index in todo[unit]:
                    segments[index] = Segment(sentences[index], target, list(warnings))
        return [s for s in segments if s is not None]

    def _translate_texts(self, texts: list[str]) -> list[str]:
        from idnews.article import Article

        written = [i for i, text in enumerate(texts) if text.strip()]
        articles = [Article.from_text(texts[i], clean=False) for i in written]
        results = list(texts)
        for index, document in zip(written, self.translate_documents(articles)):
            if ENGLISH_NOTE not in document.notes:
                results[index] = document.text
        return results

    def _prepare(self, document: str | Article) -> _Prepared:
        from idnews.article import Article

        if isinstance(document, str):
            document = Article.from_text(document)
        elif not isinstance(document, Article):
            raise InputError(None, f"cannot translate a {type(document).__name__}; pass a str or an Article")
        source = split_article(document)
        if self.passes_through(document):
            return _Prepared(source, english=True, notes=[ENGLISH_NOTE])
        return _Prepared(source)

    def passes_through(self, document: str | Article) -> bool:
        """Whether ``document`` (title, bullets and body of an article) is already English and so is
        returned unchanged; always ``False`` when ``detect_english`` is off."""
        from idnews.article import Article

        if not self.detect_english:
            return False
        if isinstance(document, Article):
            whole = "\n".join(filter(None, [document.title or "", *document.bullets, *document.paragraphs]))
        else:
            whole = document
        return bool(whole.strip()) and _is_english(whole)

    def _finish(self, pending: list[_Prepared]) -> Iterator[TranslatedDocument]:
        sentences: list[str] = []
        judged: list[bool] = []
        for prepared in pending:
            if not prepared.english:
                units = prepared.source.sentences()
                sentences.extend(units)
                judged.extend([len(units) == 1] * len(units))  # a one-sentence document was judged whole
        translated = iter(self._segments(sentences, judged))
        for prepared in pending:
            units = prepared.source.sentences()
            if prepared.english:
                segments = [Segment(u, u) for u in units]
            else:
                segments = [next(translated) for _ in units]
            document = prepared.source.assemble(segments, prepared.notes)
            passed = sum(1 for s in segments if ENGLISH_NOTE in s.notes)
            if passed:
                document.notes.append(f"{passed} segment(s) {ENGLISH_NOTE}")
            yield document

    def _translate_units(self, units: list[str]) -> list[tuple[str, list[str]]]:
        return translate_units(self._engine(), units, self.decoding, self.guard)


def _is_english(text: str) -> bool:
    from idnews.translation.langid import is_english

    return is_english(text)


@lru_cache(maxsize=2)
def _shared_translator(model: Any, backend: str, options: tuple[tuple[str, Any], ...]) -> Translator:
    return Translator.from_options(model, backend=backend, **dict(options))


@overload
def translate(
    text: str, *, model: str | os.PathLike[str] | None = None, backend: str = "auto", **options: Any
) -> str: ...


@overload
def translate(
    text: list[str], *, model: str | os.PathLike[str] | None = None, backend: str = "auto", **options: Any
) -> list[str]: ...


def translate(
    text: str | list[str], *, model: str | os.PathLike[str] | None = None, backend: str = "auto", **options: Any
) -> str | list[str]:
    """Translate Indonesian text into English: ``str`` → ``str``, list → list (same length and order).

    ``options`` are :meth:`Translator.from_options` keywords (``beam_size=1``, ``guard=False``, …). The loaded
    translator is reused by later calls with the same model, backend and options.
    """
    try:
        translator = _shared_translator(None if model is None else str(model), backend, tuple(sorted(options.items())))
    except TypeError:  # an unhashable option value: no reuse
        translator = Translator.from_options(model, backend=backend, **options)
    return translator.translate(text)

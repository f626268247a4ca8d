"""The :class:`Translator`: documents in, sentence-aligned English out, never truncated."""
from __future__ import annotations

import importlib.util
import inspect
import logging
import os
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field, fields, replace
from functools import lru_cache
from typing import TYPE_CHECKING, Any, overload

from idnews.chunking import split_long
from idnews.decode import unicode_problem
from idnews.errors import ConfigError, InputError, require_at_least
from idnews.signature import ModelIdentity, TypedSignature, settings_text
from idnews.translation.backends import BACKENDS, Backend, Decoding
from idnews.translation.batching import plan_batches
from idnews.translation.calibration import SAMPLE as CALIBRATION_SAMPLE
from idnews.translation.calibration import Calibration, Layout, Request, calibrate, default_layout
from idnews.translation.document import Segment, SourceDocument, TranslatedDocument, split_article
from idnews.translation.guard import GuardSettings, check

if TYPE_CHECKING:
    from idnews.article import Article
    from idnews.translation.models import ResolvedModel
    from idnews.translation.tokenization import Codec

logger = logging.getLogger(__name__)

ENGLISH_NOTE = "already English: passed through unchanged"
#: ``max_length=None`` decodes at most ``AUTO_LENGTH_FACTOR × source + AUTO_LENGTH_MARGIN`` tokens, the source's
#: token count rounded up to a power of two, at least ``AUTO_LENGTH_SMALLEST``. Few distinct limits let beam
#: search (where only sentences with one limit share a batch) fill few batches; each sentence is decoded with
#: its own limit whatever else is in the call.
AUTO_LENGTH_FACTOR = 2
AUTO_LENGTH_MARGIN = 10
AUTO_LENGTH_SMALLEST = 16
#: How the automatic limit shows in a signature (``max_len``): the rule decides the words of a sentence that
#: runs to its limit, so a change of rule is a change of signature.
AUTO_LENGTH_LABEL = f"auto({AUTO_LENGTH_FACTOR}*pow2+{AUTO_LENGTH_MARGIN})"
#: ``max_input_tokens=None`` cuts sentences longer than the model's positions // ``INPUT_SHARE_OF_POSITIONS``
#: (so that the translation fits too), and never below ``MIN_INPUT_TOKENS``.
INPUT_SHARE_OF_POSITIONS = 2
MIN_INPUT_TOKENS = 8
#: Positions taken by the start and end tokens.
SPECIAL_POSITIONS = 2
_NO_GUARD = object()
# compute type -> weight type of the cached conversion (None keeps float32)
_QUANTIZATION = {
    "int8": "int8", "int8_float32": "int8", "int8_float16": "int8_float16", "int8_bfloat16": "int8_bfloat16",
    "float16": "float16", "bfloat16": "bfloat16", "float32": None,
}


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
class _Engine:
    """What :meth:`Translator._engine` loads once: the resolved model, its backend and codec."""

    resolved: ResolvedModel
    identity: ModelIdentity
    backend: Backend
    codec: Codec
    max_positions: int
    load_seconds: float
    calibration: Calibration
    measure: Callable[[bool], Calibration]
    build: Callable[[Layout], Backend]


@dataclass
class _Prepared:
    source: SourceDocument
    english: bool = False
    notes: list[str] = field(default_factory=list)


class Translator:
    """Indonesian→English translation of sentences, texts and whole articles.

    The model is resolved and loaded on first use and then reused. Every setting is a constructor
    argument; none can be changed afterwards. Bad settings raise :class:`~idnews.errors.ConfigError`.

    Args:
        model: registry name (default ``opus-mt-id-en``), hub id, or local folder (transformers
            checkpoint or CTranslate2 conversion).
        backend: ``"ct2"``, ``"hf"`` or ``"auto"`` (CTranslate2 when the model is or can be converted
            locally — the conversion is cached — otherwise transformers).
        device: ``"cpu"``, ``"cuda"`` or ``"auto"``.
        compute_type: ct2: ``int8`` (CPU default), ``float16`` (GPU default), ``int8_float16``,
            ``float32``…, or ``"auto"``: the fastest precision the machine supports, measured by calibration
            (opt-in, because precision changes the words; the one chosen is in :attr:`signature`);
            hf: ``float32`` (CPU default), ``float16`` (GPU default), ``bfloat16``.
        decoding: beam width, output length limits, penalties and the input length at which a sentence is
            cut into pieces (:class:`Decoding`; default beam 4, lengths automatic).
        guard: thresholds and retry policy of the faithfulness guard (:class:`GuardSettings`), or ``None`` to
            translate without checks.
        detect_english: pass text that is already English through unchanged (with a note). Default on.
        max_batch_tokens: padded source tokens per batch (``sentences × longest``). Default: calibrated.
        max_batch_size: sentences per batch at most. Default 64.
        intra_threads / inter_threads: CPU threads per batch / batches in parallel. Default: calibrated.
        calibrate: with the ct2 backend, choose the settings left unset (threads, batch budget, and the
            precision when ``compute_type="auto"``) by a short measurement on this machine, cached per machine,
            model content and idnews version (:mod:`idnews.translation.calibration`). Off, or when it fails:
            all physical cores on one batch at a time and 4096 tokens a batch. Settings given are never changed;
            thread layout and batch budget are run metadata, not in :attr:`signature` (see
            :attr:`calibration`; in int8 the padded length they give a sentence can, rarely, flip a near-tie).
        allow_download: let resolution download from the hub (never under ``HF_HUB_OFFLINE=1``).

    :meth:`from_options` builds one from flat keywords (``beam_size=1, guard=False``), as the command line and
    suite files give them.
    """

    def __init__(
        self,
        model: str | os.PathLike[str] | None = None,
        *,
        backend: str = "auto",
        device: str = "auto",
        compute_type: str | None = None,
        decoding: Decoding = Decoding(),
        guard: GuardSettings | None = GuardSettings(),
        detect_english: bool = True,
        max_batch_tokens: int | None = None,
        max_batch_size: int | None = 64,
        intra_threads: int | None = None,
        inter_threads: int | None = None,
        calibrate: bool = True,
        allow_download: bool = False,
    ) -> None:
        if backend != "auto" and backend not in BACKENDS:
            BACKENDS.get(backend)  # raises UnknownNameError listing the known backends
        if not isinstance(decoding, Decoding):
            raise ConfigError("decoding", f"must be a Decoding, not {type(decoding).__name__}")
        if guard is not None and not isinstance(guard, GuardSettings):
            raise ConfigError("guard", f"must be GuardSettings or None, not {guard!r}")
        require_at_least("max_batch_tokens", max_batch_tokens, 1, optional=True)
        require_at_least("max_batch_size", max_batch_size, 1, optional=True)
        require_at_least("intra_threads", intra_threads, 1, optional=True)
        require_at_least("inter_threads", inter_threads, 1, optional=True)
        self.model = model
        self.backend_name = backend
        self.device = device
        self.compute_type = compute_type
        self.decoding = decoding
        self.guard = guard
        self.detect_english = detect_english
        self.max_batch_tokens = max_batch_tokens
        self.max_batch_size = max_batch_size
        self.intra_threads = intra_threads
        self.inter_threads = inter_threads
        self.calibrate = calibrate
        self.allow_download = allow_download
        self._loaded: _Engine | None = None

    @classmethod
    def from_options(cls, model: str | os.PathLike[str] | None = None, **options: Any) -> Translator:
        """A translator from flat options: the :class:`Decoding` and :class:`GuardSettings` fields by name,
        ``guard=True/False``, and the constructor's own keywords. Unknown names are a :class:`ConfigError`."""
        decoding_names = {f.name for f in fields(Decoding)}
        guard_names = {f.name for f in fields(GuardSettings)}
        own = set(inspect.signature(cls.__init__).parameters) - {"self", "model", "decoding", "guard"}
        unknown = sorted(set(options) - decoding_names - guard_names - own - {"guard", "decoding"})
        if unknown:
            known = sorted(decoding_names | guard_names | own | {"guard"})
            raise ConfigError(unknown[0], f"unknown translator option; known: {', '.join(known)}")
        decoding = options.pop("decoding", None) or Decoding(
            **{k: options.pop(k) for k in list(options) if k in decoding_names}
        )
        guard_on = options.pop("guard", True)
        guard_fields = {k: options.pop(k) for k in list(options) if k in guard_names}
        if isinstance(guard_on, GuardSettings) or guard_on is None:
            guard = guard_on
        else:
            guard = GuardSettings(**guard_fields) if guard_on else None
        return cls(model, decoding=decoding, guard=guard, **options)

    # ------------------------------------------------------------------ loading

    def _engine(self) -> _Engine:
        if self._loaded is None:
            self._loaded = self._load()
        return self._loaded

    def _load(self) -> _Engine:
        from idnews.translation.models import converted, resolve
        from idnews.translation.tokenization import load_codec

        started = time.perf_counter()
        resolved = resolve(self.model, allow_download=self.allow_download)
        identity = ModelIdentity.of(resolved.name, resolved.path)
        name = self._choose_backend(resolved)
        path = resolved.path
        if name == "ct2" and resolved.format != "ct2":
            ct2_class = BACKENDS.get("ct2")
            weights = self.compute_type or ct2_class.default_compute_type(ct2_class.pick_device(self.device))
            # "auto" keeps float32 weights, from which the engine can run every precision
            quantization = None if weights == "auto" else _QUANTIZATION.get(weights, "int8")
            try:
                path = converted(resolved, quantization, content=identity.sha256)
            except (ValueError, NotImplementedError, RuntimeError, OSError) as exc:
                if self.backend_name != "auto":
                    raise
                logger.warning("cannot convert %s to CTranslate2 (%s); using transformers", resolved.name, exc)
                name = "hf"
        if name == "hf" and resolved.format == "ct2":
            raise InputError(
                resolved.path, "is a CTranslate2 conversion; use backend='ct2' or a transformers checkpoint"
            )
        backend_class = BACKENDS.get(name)
        device = backend_class.pick_device(self.device)
        if name != "ct2" and self.compute_type == "auto":
            raise ConfigError("compute_type", "'auto' needs the ct2 backend")
        default_compute = backend_class.default_compute_type(device)
        compute_type = self.compute_type or default_compute
        info = resolved.info()
        codec = load_codec(path, info)
        request = Request(
            device=device, compute_type=compute_type, beam_size=self.decoding.beam_size,
            intra_threads=self.intra_threads, inter_threads=self.inter_threads, max_batch_tokens=self.max_batch_tokens,
        )

        def build(layout: Layout) -> Backend:
            return backend_class(
                path, codec=codec, device=device, compute_type=layout.compute_type or compute_type,
                intra_threads=layout.intra_threads or None, inter_threads=layout.inter_threads,
            )

        def measure(force: bool) -> Calibration:
            if name == "ct2" and (self.calibrate or force):
                found = calibrate(
                    request, model_sha256=identity.sha256, build=build, force=force,
                    sample=codec.encode(list(CALIBRATION_SAMPLE)), target_prefix=codec.target_prefix,
                    supported=backend_class.supported_compute_types(device), default_compute_type=default_compute,
                )
            else:
                found = Calibration(default_layout(request), "user" if request.fixed() else "defaults")
            if compute_type == "auto" and found.layout.compute_type is None:
                found = replace(found, layout=replace(found.layout, compute_type=default_compute))
            if name != "ct2":  # transformers: torch's own thread count unless the user set one
                found = replace(found, layout=replace(found.layout, intra_threads=self.intra_threads or 0))
            return found

        calibration = measure(False)
        backend = build(calibration.layout)
        seconds = time.perf_counter() - started
        logger.info("loaded %s with %s (%s, %s; %s, %s) in %.2f s", resolved.name, name, device,
                    backend.compute_type, calibration.layout.text(), calibration.source, seconds)
        return _Engine(resolved, identity, backend, codec, int(info.get("max_positions") or 512), seconds,
                       calibration, measure, build)

    def _choose_backend(self, resolved: ResolvedModel) -> str:
        if self.backend_name != "auto":
            return self.backend_name
        if resolved.format == "ct2":
            return "ct2"
        return "ct2" if importlib.util.find_spec("ctranslate2") is not None else "hf"

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
        """Measure the layout again now (even with calibration off or cached), cache it, and translate with it
        from here on; settings given to the constructor are still never varied. Returns what was measured."""
        engine = self._engine()
        calibration = engine.measure(True)
        if calibration.layout != engine.calibration.layout:
            engine.backend = engine.build(calibration.layout)
        engine.calibration = calibration
        return calibration

    @property
    def calibration(self) -> Calibration:
        """The engine layout in use (threads, batch budget, precision when ``auto``), where it came from
        (``measured``, ``cached``, ``defaults``, ``user``) and what calibration measured (loads the model).
        Run metadata, not part of :attr:`signature`: only the precision can change the words."""
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
        engine = self._engine()
        codec = engine.codec
        limit = self.decoding.max_input_tokens or max(MIN_INPUT_TOKENS, engine.max_positions // INPUT_SHARE_OF_POSITIONS)
        limit = min(limit, engine.max_positions - SPECIAL_POSITIONS - len(codec.target_prefix))
        pieces: list[str] = []
        owners: list[int] = []
        warnings: list[list[str]] = [[] for _ in units]
        encoded, sizes = codec.encode_counted(units)
        for index, (unit, size) in enumerate(zip(units, sizes)):
            parts = [unit]
            if size > limit:
                parts = split_long(unit, codec.count, limit)
                warnings[index].append(f"long-sentence: {size} tokens translated in {len(parts)} pieces")
            pieces.extend(parts)
            owners.extend([index] * len(parts))

        # nothing was cut: the tokens are already known
        targets, truncated = self._decode(pieces, self.decoding, encoded if len(pieces) == len(units) else None)
        piece_warnings = [["truncated: decoding hit the length limit"] if cut else [] for cut in truncated]
        if self.guard is not None:
            self._apply_guard(pieces, targets, piece_warnings, self.guard)

        joined: list[list[str]] = [[] for _ in units]
        for owner, target, found in zip(owners, targets, piece_warnings):
            joined[owner].append(target)
            warnings[owner].extend(w for w in found if w not in warnings[owner])
        return [(" ".join(t for t in parts if t), warnings[i]) for i, parts in enumerate(joined)]

    def _apply_guard(
        self, pieces: list[str], targets: list[str], piece_warnings: list[list[str]], guard: GuardSettings
    ) -> None:
        for index, (piece, target) in enumerate(zip(pieces, targets)):
            piece_warnings[index].extend(check(piece, target, guard))
        flagged = [i for i, found in enumerate(piece_warnings) if found]
        if not flagged:
            return
        safer = replace(
            self.decoding,
            beam_size=max(guard.retry_beam_size, self.decoding.beam_size),
            no_repeat_ngram_size=guard.retry_no_repeat_ngram_size,
            repetition_penalty=guard.retry_repetition_penalty,
        )
        retried, truncated = self._decode([pieces[i] for i in flagged], safer)
        for index, target, cut in zip(flagged, retried, truncated):
            found = (["truncated: decoding hit the length limit"] if cut else []) + check(pieces[index], target, guard)
            if len(found) < len(piece_warnings[index]):
                targets[index], piece_warnings[index] = target, found

    def _decode(
        self, pieces: list[str], decoding: Decoding, tokens: list[list[str]] | None = None
    ) -> tuple[list[str], list[bool]]:
        """Decode pieces (``tokens``: their encoding, when known) in length-sorted token-budget batches;
        returns texts and whether each was cut."""
        engine = self._engine()
        codec, backend = engine.codec, engine.backend
        if tokens is None:
            tokens = codec.encode(pieces)
        lengths = [len(t) for t in tokens]
        outputs: list[list[str]] = [[] for _ in pieces]
        limits = [0] * len(pieces)
        ceiling = engine.max_positions - SPECIAL_POSITIONS - len(codec.target_prefix)
        layout = engine.calibration.layout

        def steps_at_most(length: int) -> int:
            return min(decoding.max_length or auto_length_limit(length), ceiling)

        # Batches balanced for the engine's parallel workers, handed over most costly first (the order never
        # changes a word; see plan_batches for what sharing a batch can change). Greedy outputs are prefixes
        # of longer ones, so sentences with different limits share a batch and are cut back to their own.
        greedy = decoding.beam_size == 1
        batches = plan_batches(
            lengths, max_tokens=layout.max_batch_tokens, max_size=self.max_batch_size, workers=layout.inter_threads,
            steps=steps_at_most, beam_size=decoding.beam_size, mixed_limits=greedy,
        )
        steps = []
        for batch in batches:
            max_length = steps_at_most(max(lengths[i] for i in batch))
            steps.append(replace(decoding, max_length=max_length, min_length=min(decoding.min_length, max_length)))
        produced = backend.translate_batches([[tokens[i] for i in b] for b in batches], codec.target_prefix, steps)
        for batch, results in zip(batches, produced):
            for index, output in zip(batch, results):
                limits[index] = steps_at_most(lengths[index])
                outputs[index] = output[: limits[index]]
        truncated = [
            not decoding.forces_length and bool(out) and out[-1] != codec.eos_token and len(out) >= limit
            for out, limit in zip(outputs, limits)
        ]
        return codec.decode(outputs), truncated


def auto_length_limit(source_tokens: int) -> int:
    """Target tokens a sentence of ``source_tokens`` may take when ``max_length`` is ``None`` (before the
    model's own cap): 42 up to 16 source tokens, 74 up to 32, 138 up to 64, 266 up to 128."""
    rounded = AUTO_LENGTH_SMALLEST
    while rounded < source_tokens:
        rounded *= 2
    return AUTO_LENGTH_FACTOR * rounded + AUTO_LENGTH_MARGIN


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

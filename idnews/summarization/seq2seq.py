"""Abstractive summarisation with a seq2seq model a user has (mT5 XL-Sum, IndoBART, ...).

``hf:<model>`` runs a transformers checkpoint (``AutoModelForSeq2SeqLM.generate``); ``ct2:<folder>`` runs a
CTranslate2 conversion of one (``Translator.translate_batch``; the folder must hold the tokenizer files too).
Models are loaded from local files only. Long articles are never cut: sentences are packed into chunks
that fit the model's input, every chunk is summarised, and when there are several chunks their joined
summaries are summarised once more; bullets are then taken from that final summary first, then from the
chunk summaries in article order.
"""
from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from idnews.chunking import pack, split_long
from idnews.errors import IdnewsError, ModelNotFoundError
from idnews.signature import ModelIdentity
from idnews.summarization.base import SUMMARIZERS, Summarizer
from idnews.summarization.document import Document, overlap
from idnews.text import split_sentences, words

SPECIAL_TOKEN_ALLOWANCE = 4
DEFAULT_MAX_INPUT_TOKENS = 512


class Seq2SeqSummarizer(Summarizer):
    """Base of the abstractive methods: chunking, generation in batches, bullet selection.

    It fills the :class:`Summarizer` hook :meth:`bullets`; validation and :meth:`summarize` stay in the base
    class. Subclasses fill :meth:`generate` (texts in, one summary text out per text) and may replace
    :meth:`_load_tokenizer`. ``order`` is ``"importance"`` (default) or ``"document"`` (see :meth:`pick`).
    """

    def __init__(
        self,
        model: str,
        *,
        max_input_tokens: int | None = None,
        max_new_tokens: int = 96,
        num_beams: int = 4,
        batch_size: int = 8,
        prefix: str = "",
        order: str = "importance",
        redundancy: float = 0.7,
    ) -> None:
        super().__init__(order=order, redundancy=redundancy)
        if max_new_tokens < 1 or num_beams < 1 or batch_size < 1:
            raise IdnewsError("max_new_tokens, num_beams and batch_size must be positive")
        self.model_name = model
        self.max_new_tokens = max_new_tokens
        self.num_beams = num_beams
        self.batch_size = batch_size
        self.prefix = prefix
        self.tokenizer = self._load_tokenizer(model)
        limit = max_input_tokens or self._model_input_limit() or DEFAULT_MAX_INPUT_TOKENS
        self.max_input_tokens = int(limit)
        self.budget = self.max_input_tokens - SPECIAL_TOKEN_ALLOWANCE - self.count_tokens(prefix)
        if self.budget < 8:
            raise IdnewsError(f"max_input_tokens={self.max_input_tokens} leaves no room for article text")

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.model_name!r}, max_input_tokens={self.max_input_tokens})"

    def signature_options(self) -> dict[str, object]:
        return {
            **super().signature_options(),
            "max_input_tokens": self.max_input_tokens,
            "max_new_tokens": self.max_new_tokens,
            "beams": self.num_beams,
            "prefix": self.prefix or None,
        }

    def model_identity(self) -> ModelIdentity:
        path = Path(self.model_name).expanduser()
        if not path.exists():  # a hub id: its snapshot in the local Hugging Face cache
            from huggingface_hub import snapshot_download

            path = Path(snapshot_download(self.model_name, local_files_only=True))
        return ModelIdentity.of(path.name if path.name != self.model_name else self.model_name, path)

    def _load_tokenizer(self, model: str) -> Any:
        from transformers import AutoTokenizer

        try:
            return AutoTokenizer.from_pretrained(model, local_files_only=True)
        except (OSError, ValueError) as exc:
            raise ModelNotFoundError(
                f"no tokenizer for summarisation model {model!r} in local files ({exc}); "
                "pass a folder holding the model and its tokenizer files"
            ) from exc

    def _model_input_limit(self) -> int | None:
        limit = getattr(self.tokenizer, "model_max_length", None)
        return limit if isinstance(limit, int) and 0 < limit <= 100_000 else None

    def count_tokens(self, text: str) -> int:
        return len(self.tokenizer(text, add_special_tokens=False)["input_ids"]) if text else 0

    def generate(self, texts: list[str]) -> list[str]:
        """One summary per input text (each within :attr:`max_input_tokens`)."""
        raise NotImplementedError

    def count_tokens_each(self, texts: list[str]) -> list[int]:
        """Token counts of ``texts`` (no special tokens), in one tokenizer call."""
        return [len(ids) for ids in self.tokenizer(texts, add_special_tokens=False)["input_ids"]] if texts else []

    def chunks(self, sentences: Sequence[str]) -> list[str]:
        """Consecutive sentences packed into texts of at most :attr:`budget` tokens; an over-long sentence
        is split (at clauses, then between words) into several chunks rather than cut."""
        pieces: list[str] = []
        sizes: list[int] = []
        for sentence, size in zip(sentences, self.count_tokens_each(list(sentences))):
            if size <= self.budget:
                pieces.append(sentence)
                sizes.append(size)
            else:
                parts = split_long(sentence, self.count_tokens_each, self.budget)
                pieces.extend(parts)
                sizes.extend(self.count_tokens_each(parts))
        return pack(pieces, sizes, self.budget)

    def bullets(self, document: Document, n: int, reference: Sequence[str] | None = None) -> list[str]:
        """Summaries of the article's chunks (and of their joined summaries), split into sentences; see
        :meth:`pick` for the choice and order of the bullets."""
        usable = [document.sentences[i].text for i in document.candidates] or document.texts
        chunk_summaries = self._generate_batched(self.chunks(usable))
        final: list[str] = []
        if len(chunk_summaries) > 1:
            joined = " ".join(chunk_summaries)
            if self.count_tokens(joined) <= self.budget:
                final = self._generate_batched([joined])
        candidates = [s for text in final for s in split_sentences(text)]
        per_chunk = [split_sentences(text) for text in chunk_summaries]
        for rank in range(max((len(s) for s in per_chunk), default=0)):
            candidates.extend(sentences[rank] for sentences in per_chunk if rank < len(sentences))
        return self.pick(candidates, n, document)

    def _generate_batched(self, texts: list[str]) -> list[str]:
        outputs: list[str] = []
        for start in range(0, len(texts), self.batch_size):
            outputs.extend(self.generate([self.prefix + t for t in texts[start : start + self.batch_size]]))
        return outputs

    def pick(self, candidates: Sequence[str], n: int, document: Document) -> list[str]:
        """The first ``n`` non-redundant generated sentences. With ``order="document"`` they are then put in
        the article order of the sentence each overlaps most (earliest on ties); with ``"importance"`` they
        stay as generated: the whole-article summary first, then the chunk summaries."""
        word_sets = [set(words(sentence)) for sentence in candidates]
        kept = self.distinct(word_sets, n)
        if self.order == "document":
            kept.sort(key=lambda k: (self.anchor(word_sets[k], document), k))
        return [candidates[k].strip() for k in kept]

    @staticmethod
    def anchor(word_set: set[str], document: Document) -> int:
        """Position of the article sentence sharing the largest share of ``word_set`` (the first one on ties)."""
        best, best_overlap = 0, -1.0
        for position, sentence in enumerate(document.sentences):
            shared = overlap(word_set, set(sentence.words))
            if shared > best_overlap:
                best, best_overlap = position, shared
        return best


@SUMMARIZERS.register("hf")
class HFSeq2SeqSummarizer(Seq2SeqSummarizer):
    """``hf:<model>``: a transformers seq2seq checkpoint (local folder or cached hub id), run on CPU or ``device``."""

    name = "hf"

    def __init__(self, model: str, *, device: str = "cpu", **options: Any) -> None:
        super().__init__(model, **options)
        from transformers import AutoModelForSeq2SeqLM

        try:
            self.model = AutoModelForSeq2SeqLM.from_pretrained(model, local_files_only=True).to(device).eval()
        except (OSError, ValueError) as exc:
            raise ModelNotFoundError(f"no seq2seq model {model!r} in local files ({exc})") from exc
        self.device = device

    def generate(self, texts: list[str]) -> list[str]:
        import torch

        batch = self.tokenizer(texts, return_tensors="pt", padding=True, truncation=False).to(self.device)
        if batch["input_ids"].shape[1] > self.max_input_tokens:
            raise IdnewsError(f"internal chunking produced {batch['input_ids'].shape[1]} tokens "
                              f"(limit {self.max_input_tokens})")
        with torch.inference_mode():
            output = self.model.generate(**batch, max_new_tokens=self.max_new_tokens, num_beams=self.num_beams)
        return [t.strip() for t in self.tokenizer.batch_decode(output, skip_special_tokens=True)]


@SUMMARIZERS.register("ct2")
class CT2Seq2SeqSummarizer(Seq2SeqSummarizer):
    """``ct2:<folder>``: a CTranslate2 conversion of a seq2seq summariser, tokenizer files in the same folder."""

    name = "ct2"

    def __init__(self, model: str, *, device: str = "cpu", compute_type: str = "default", **options: Any) -> None:
        if not (Path(model) / "model.bin").is_file():
            raise ModelNotFoundError(f"{model}: not a CTranslate2 model folder (no model.bin)")
        super().__init__(model, **options)
        import ctranslate2

        self.model = ctranslate2.Translator(model, device=device, compute_type=compute_type)

    def generate(self, texts: list[str]) -> list[str]:
        tokens = [self.tokenizer.convert_ids_to_tokens(self.tokenizer(t)["input_ids"]) for t in texts]
        results = self.model.translate_batch(
            tokens, beam_size=self.num_beams, max_decoding_length=self.max_new_tokens
        )
        return [
            self.tokenizer.decode(self.tokenizer.convert_tokens_to_ids(r.hypotheses[0]), skip_special_tokens=True).strip()
            for r in results
        ]

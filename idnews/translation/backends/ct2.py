"""The CTranslate2 backend: int8 on CPU, float16 on GPU, token-budget batches, no silent truncation."""
from __future__ import annotations

from typing import Any

from idnews.translation.backends import BACKENDS, Backend, Decoding, check_device


@BACKENDS.register("ct2")
class CT2Backend(Backend):
    name = "ct2"

    @staticmethod
    def pick_device(device: str) -> str:
        import ctranslate2

        if device != "auto":
            return check_device(device, ctranslate2.get_cuda_device_count() > 0 if device.startswith("cuda") else True)
        return "cuda" if ctranslate2.get_cuda_device_count() > 0 else "cpu"

    @staticmethod
    def default_compute_type(device: str) -> str:
        return "float16" if device == "cuda" else "int8"

    @staticmethod
    def supported_compute_types(device: str) -> set[str]:
        import ctranslate2

        return set(ctranslate2.get_supported_compute_types(device))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        import ctranslate2

        self.translator = ctranslate2.Translator(
            str(self.path),
            device=self.device,
            compute_type=self.compute_type,
            intra_threads=self.config.intra_threads or 0,
            inter_threads=self.config.inter_threads or 1,
        )
        # Converted Marian models drop <pad> from the vocabulary, so it can never be generated — the
        # same ban transformers applies through the model's bad_words_ids.

    def translate_batch(
        self, source: list[list[str]], target_prefix: list[str], decoding: Decoding
    ) -> list[list[str]]:
        if not source:
            return []
        return self._collect(self._submit(source, target_prefix, decoding, asynchronous=False), target_prefix)

    def translate_batches(
        self, batches: list[list[list[str]]], target_prefix: list[str], decodings: list[Decoding]
    ) -> list[list[list[str]]]:
        """All batches queued at once, so that ``inter_threads`` workers translate them in parallel."""
        if (self.config.inter_threads or 1) <= 1 or len(batches) <= 1:
            return super().translate_batches(batches, target_prefix, decodings)
        pending = [self._submit(b, target_prefix, d, asynchronous=True) if b else [] for b, d in zip(batches, decodings)]
        return [self._collect([f.result() for f in futures], target_prefix) for futures in pending]

    def _submit(self, source: list[list[str]], target_prefix: list[str], decoding: Decoding, *, asynchronous: bool) -> Any:
        return self.translator.translate_batch(
            source,
            asynchronous=asynchronous,
            target_prefix=[list(target_prefix) for _ in source] if target_prefix else None,
            beam_size=decoding.beam_size,
            max_decoding_length=decoding.batch_limit + len(target_prefix),
            min_decoding_length=decoding.min_length + len(target_prefix) if decoding.min_length else 1,
            max_input_length=0,  # inputs are split to fit beforehand; never truncate silently
            no_repeat_ngram_size=decoding.no_repeat_ngram_size,
            repetition_penalty=decoding.repetition_penalty,
            length_penalty=decoding.length_penalty,
            return_end_token=True,
        )

    @staticmethod
    def _collect(results: Any, target_prefix: list[str]) -> list[list[str]]:
        cut = len(target_prefix)
        return [result.hypotheses[0][cut:] for result in results]


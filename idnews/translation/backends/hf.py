"""The transformers backend: ``AutoModelForSeq2SeqLM.generate`` under ``torch.inference_mode``."""
from __future__ import annotations

from typing import Any

from idnews.errors import InputError
from idnews.translation.backends import BACKENDS, Backend, Decoding, check_device

_DTYPES = {"float32": "float32", "float16": "float16", "bfloat16": "bfloat16", "bf16": "bfloat16", "fp16": "float16"}


@BACKENDS.register("hf")
class HFBackend(Backend):
    name = "hf"

    @staticmethod
    def pick_device(device: str) -> str:
        import torch

        if device != "auto":
            return check_device(device, torch.cuda.is_available() if device.startswith("cuda") else True)
        return "cuda" if torch.cuda.is_available() else "cpu"

    @staticmethod
    def default_compute_type(device: str) -> str:
        return "float16" if device.startswith("cuda") else "float32"

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        import torch
        from transformers import AutoModelForSeq2SeqLM

        if self.compute_type not in _DTYPES:
            known = ", ".join(sorted(_DTYPES))
            raise InputError(None, f"compute_type {self.compute_type!r} is not one of {known} for the hf backend")
        if self.config.intra_threads:  # asked for: torch's thread pool is the process's
            torch.set_num_threads(self.config.intra_threads)
        dtype = getattr(torch, _DTYPES[self.compute_type])
        self.model = AutoModelForSeq2SeqLM.from_pretrained(str(self.path), dtype=dtype).to(self.device).eval()
        config = self.model.config
        self.pad_id = config.pad_token_id if config.pad_token_id is not None else 0
        self.eos_id = config.eos_token_id
        self.start_id = config.decoder_start_token_id if config.decoder_start_token_id is not None else self.pad_id
        generation = getattr(self.model, "generation_config", None)
        self.bad_words_ids = getattr(generation, "bad_words_ids", None)
        # generate() fills unset options from the model's own generation config (num_beams=6, forced EOS at
        # the length limit…); a neutral one makes the per-call settings the only ones in force.
        from transformers import GenerationConfig

        self.model.generation_config = GenerationConfig(
            decoder_start_token_id=self.start_id, eos_token_id=self.eos_id, pad_token_id=self.pad_id
        )

    def translate_batch(
        self, source: list[list[str]], target_prefix: list[str], decoding: Decoding
    ) -> list[list[str]]:
        if not source:
            return []
        import torch
        from transformers import GenerationConfig

        codec = self.codec
        ids = codec.to_ids(source)
        width = max(len(seq) for seq in ids)
        input_ids = torch.full((len(ids), width), self.pad_id, dtype=torch.long)
        attention = torch.zeros((len(ids), width), dtype=torch.long)
        for row, seq in enumerate(ids):
            input_ids[row, : len(seq)] = torch.tensor(seq)
            attention[row, : len(seq)] = 1
        prefix = [self.start_id, *codec.to_ids([target_prefix])[0]] if target_prefix else [self.start_id]
        decoder_input_ids = torch.tensor([prefix] * len(ids), dtype=torch.long)
        config = GenerationConfig(
            num_beams=decoding.beam_size,
            do_sample=False,
            max_length=len(prefix) + decoding.batch_limit,
            min_length=len(prefix) + decoding.min_length,
            no_repeat_ngram_size=decoding.no_repeat_ngram_size,
            repetition_penalty=decoding.repetition_penalty,
            length_penalty=decoding.length_penalty,
            early_stopping=True if decoding.beam_size > 1 else False,
            bad_words_ids=self.bad_words_ids,
            decoder_start_token_id=self.start_id,
            eos_token_id=self.eos_id,
            pad_token_id=self.pad_id,
        )
        with torch.inference_mode():
            output = self.model.generate(
                input_ids=input_ids.to(self.device),
                attention_mask=attention.to(self.device),
                decoder_input_ids=decoder_input_ids.to(self.device),
                generation_config=config,
            )
        results: list[list[int]] = []
        for seq in output[:, len(prefix):].tolist():
            if self.eos_id in seq:
                seq = seq[: seq.index(self.eos_id) + 1]
            results.append([token for token in seq if token != self.pad_id])
        return codec.to_tokens(results)

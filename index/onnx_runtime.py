"""ONNX export and ONNX Runtime sessions for the project's transformer encoders (e5-small, the reader).

Two halves, so that the query path never imports torch:

* export time (imports torch, onnx): :func:`export_encoder_onnx` writes a torch module to an
  ``.onnx`` file deterministically (fixed opset, no constant folding surprises, initialiser order of
  the module), :func:`quantize_int8` writes its dynamically quantised int8 twin, :func:`split_word_embeddings`
  takes an encoder's word-embedding table out of the graph into a ``.npy`` file;
* both: :func:`ensure_export` builds an export folder once, in a temporary sibling moved into place
  (the e5 export, index/e5_onnx.py, and the reader's, rag/reader_onnx.py);
* run time (imports onnxruntime and numpy only): :func:`ort_session` opens a session with measured
  thread settings, :class:`TokenTable` maps the word-embedding table read-only (only the rows of the
  tokens actually seen are paged in: ~0.5 MB per question instead of 384 MB for e5's 250k-token
  vocabulary), :func:`length_batches` cuts inputs into length-sorted, dynamically padded batches.

A model exported with its word embeddings split takes ``inputs_embeds`` (float32 [batch, tokens,
hidden]) and ``attention_mask`` (int64 [batch, tokens]) instead of token ids; the graph computes
everything else (position and type embeddings included).
"""
from __future__ import annotations

import hashlib
import mmap
import os
import pathlib
import shutil
import tempfile
from typing import Callable, Iterator, Mapping, Sequence

import numpy as np

OPSET = 17


# --------------------------------------------------------------------------- export time (torch)

def export_encoder_onnx(module, sample_inputs: Mapping[str, object], out_path: str | os.PathLike, *,
                        output_names: Sequence[str], dynamic_axes: Mapping[str, Mapping[int, str]] | None = None,
                        opset: int = OPSET) -> pathlib.Path:
    """Export ``module(**sample_inputs)`` (eval mode, no grad) to ``out_path`` as one self-contained file.

    ``sample_inputs`` maps input names to tensors, in the order of ``module.forward``'s parameters.
    Every axis of every input and output is dynamic by default (named ``d0, d1...`` per tensor) unless
    ``dynamic_axes`` says otherwise, so one file serves any batch size and sequence length.
    The legacy TorchScript exporter is used: same weights + same torch version = same bytes.
    """
    import torch

    out_path = pathlib.Path(out_path)
    names = list(sample_inputs)
    if dynamic_axes is None:
        dynamic_axes = {n: {i: f"{n}_d{i}" for i in range(sample_inputs[n].dim())} for n in names}
        dynamic_axes.update({n: {0: "batch"} for n in output_names})
    module = module.eval()
    torch.manual_seed(0)
    with torch.no_grad():
        torch.onnx.export(module, tuple(sample_inputs[n] for n in names), str(out_path),
                          input_names=names, output_names=list(output_names),
                          dynamic_axes={k: dict(v) for k, v in dynamic_axes.items()},
                          opset_version=opset, do_constant_folding=True, dynamo=False)
    return out_path


def quantize_int8(src: str | os.PathLike, dst: str | os.PathLike, *, keep_fp32=None) -> pathlib.Path:
    """Dynamic int8 quantisation of the MatMul weights, per output channel (activations quantised per
    batch at run time). ``keep_fp32(node_name) -> bool`` leaves the MatMuls it names in fp32.

    Measured on e5-small (40 Wikinews articles, cosine to the fp32 graph): per-tensor int8 min 0.928,
    per-channel 0.9956, per-channel with the FFN down-projections in fp32 0.9988 (1.9x faster than fp32)."""
    import onnx
    from onnxruntime.quantization import QuantType, quantize_dynamic

    graph = onnx.load(str(src), load_external_data=False).graph
    weights = {t.name for t in graph.initializer}
    exclude = [n.name for n in graph.node if n.op_type == "MatMul"
               and ((keep_fp32 and keep_fp32(n.name)) or not any(i in weights for i in n.input))]
    quantize_dynamic(str(src), str(dst), weight_type=QuantType.QInt8, op_types_to_quantize=["MatMul"],
                     per_channel=True, nodes_to_exclude=exclude)
    return pathlib.Path(dst)


def split_word_embeddings(embedding_module, out_path: str | os.PathLike) -> pathlib.Path:
    """Save an ``nn.Embedding``'s table as a float32 ``.npy`` (memory-mapped at run time by TokenTable)."""
    table = embedding_module.weight.detach().to("cpu").float().numpy()
    np.save(str(out_path), np.ascontiguousarray(table, dtype=np.float32), allow_pickle=False)
    return pathlib.Path(out_path)


def sha256(path: str | os.PathLike) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def ensure_export(target: pathlib.Path, *, complete: Callable[[pathlib.Path], bool],
                  build: Callable[[pathlib.Path], object], log=None, message: str = "") -> pathlib.Path:
    """``target`` when ``complete(target)``; else ``build(tmp)`` into a temporary sibling folder, given
    the umask's modes and moved into place with ``os.replace`` (an interrupted export never leaves a
    half-written folder; a stale or damaged ``target`` is moved aside first; temporaries of exports
    killed over an hour ago are removed). Two processes exporting at once: the first move wins."""
    from index.e5_convert import _apply_umask_modes, _clean_stale_temps

    if complete(target):
        return target
    prefix = f".{target.name}.tmp-"
    _clean_stale_temps(target.parent, prefix)
    if log and message:
        log(message)
    tmp = pathlib.Path(tempfile.mkdtemp(prefix=prefix, dir=target.parent))
    try:
        build(tmp)
        _apply_umask_modes(tmp)
        if target.exists():
            old = pathlib.Path(tempfile.mkdtemp(prefix=prefix, dir=target.parent))
            os.replace(target, old / "old")
            shutil.rmtree(old, ignore_errors=True)
        try:
            os.replace(tmp, target)
        except OSError:
            if not complete(target):
                raise
    finally:
        if tmp.exists():
            shutil.rmtree(tmp, ignore_errors=True)
    return target


# --------------------------------------------------------------------------- run time (no torch)

def default_threads(purpose: str) -> int:
    """Intra-op threads: 1 for single questions (measured on 2 busy cores: a second thread waits for
    a core at every op), all cores (at most 8) for batches of passages."""
    return 1 if purpose == "query" else max(1, min(os.cpu_count() or 1, 8))


def query_threads(setting: int) -> int:
    """Threads for one question's batches: ``setting`` when positive, else the machine's cores (at
    most 8). Measured on 2 quiet cores (dev gold, FR + EN, warm): one thread p50/p95 71/290 ms, two
    55/178 ms; on cores busy with other work a second thread waits at every op (set 1 there)."""
    return int(setting) if setting and setting > 0 else default_threads("passages")


def ort_session(path: str | os.PathLike, *, threads: int = 1):
    """An ONNX Runtime CPU session: full graph optimisation, ``threads`` intra-op threads, one
    inter-op thread, no spinning (spinning threads steal the core from the other work on a shared
    machine), memory pattern reuse on."""
    import onnxruntime as ort

    so = ort.SessionOptions()
    so.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
    so.intra_op_num_threads = max(1, int(threads))
    so.inter_op_num_threads = 1
    so.execution_mode = ort.ExecutionMode.ORT_SEQUENTIAL
    so.add_session_config_entry("session.intra_op.allow_spinning", "0")
    so.log_severity_level = 3
    return ort.InferenceSession(str(path), sess_options=so, providers=["CPUExecutionProvider"])


class TokenTable:
    """A word-embedding table kept on disk and mapped read-only: ``table[ids]`` reads only those rows.

    After each lookup the mapped pages are handed back (``madvise(MADV_DONTNEED)``; they stay in the
    OS page cache, shared): otherwise every distinct token a serving process ever met would stay in
    its resident set (+136 MB of file pages over 15 dev gold questions, measured), growing toward the
    whole 384 MB table. Re-reading a row is a minor page fault (~2 ms a question)."""

    def __init__(self, path: str | os.PathLike) -> None:
        self.table = np.load(str(path), mmap_mode="r")
        self._map = getattr(self.table, "_mmap", None)

    @property
    def dim(self) -> int:
        return int(self.table.shape[1])

    def embed(self, ids: np.ndarray) -> np.ndarray:
        """ids int64 [batch, tokens] -> float32 [batch, tokens, dim]."""
        out = np.array(self.table[ids], dtype=np.float32, copy=True, order="C")
        self.release()
        return out

    def release(self) -> None:
        """Drop the table's pages from this process's resident set (no-op where madvise is missing)."""
        advise = getattr(self._map, "madvise", None)
        if advise is not None and hasattr(mmap, "MADV_DONTNEED"):
            try:
                advise(mmap.MADV_DONTNEED)
            except (OSError, ValueError):
                pass


def load_tokenizer(path: str | os.PathLike, max_tokens: int):
    """A ``tokenizers`` tokenizer (no transformers import) truncating to ``max_tokens``, no padding
    (batches are padded to their own longest member by :func:`pad_batch`)."""
    from tokenizers import Tokenizer

    tok = Tokenizer.from_file(str(path))
    tok.enable_truncation(max_length=max_tokens)
    tok.no_padding()
    return tok


def pad_batch(id_lists: Sequence[Sequence[int]], pad_id: int) -> tuple[np.ndarray, np.ndarray]:
    """Right-pad to the longest list of the batch: (ids int64 [b, t], attention_mask int64 [b, t])."""
    width = max((len(x) for x in id_lists), default=0)
    ids = np.full((len(id_lists), width), pad_id, dtype=np.int64)
    mask = np.zeros((len(id_lists), width), dtype=np.int64)
    for i, row in enumerate(id_lists):
        ids[i, :len(row)] = row
        mask[i, :len(row)] = 1
    return ids, mask


def length_batches(lengths: Sequence[int], max_tokens: int = 4096, max_batch: int = 64) -> Iterator[list[int]]:
    """Indices grouped into batches of similar length (sorted), each at most ``max_batch`` items and
    about ``max_tokens`` padded tokens: short texts go many to a batch, long ones few."""
    order = sorted(range(len(lengths)), key=lambda i: lengths[i])
    batch: list[int] = []
    for i in order:
        width = max(lengths[i], 1)  # sorted: the newcomer is the longest
        if batch and (len(batch) + 1 > max_batch or (len(batch) + 1) * width > max_tokens):
            yield batch
            batch = []
        batch.append(i)
    if batch:
        yield batch

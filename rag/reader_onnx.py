"""The reader on ONNX Runtime: exported once from the merged torch reader, then run without torch.

``ensure_reader_onnx(files)`` returns ``<model cache>/reader-<sha of reader.safetensors>-onnx/``
holding ``reader.onnx`` (fp32; input: word embeddings + attention mask; outputs: start and end
logits) and ``reader-int8.onnx`` (MatMul weights dynamically quantised, per channel, the
feed-forward down-projections kept in fp32 as for the embedder). The word-embedding table is the
embedder's memory-mapped one (index/e5_onnx.py), so the reader adds no copy of it. Built like the
e5 folders (``index.onnx_runtime.ensure_export``), rebuilt when the reader file changes.
"""
from __future__ import annotations

import json
import pathlib

import numpy as np

from index import onnx_runtime as rt

EXPORT_VERSION = 1
FILES = ("reader.onnx", "reader-int8.onnx")
MARKER = "onnx_export.json"


def _target(files, e5_onnx: pathlib.Path) -> pathlib.Path:
    digest = rt.sha256(files.folder / "reader.safetensors")[:16]
    return e5_onnx.parent / f"reader-{digest}-onnx"


def _complete(folder: pathlib.Path) -> bool:
    try:
        marker = json.loads((folder / MARKER).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return marker.get("export_version") == EXPORT_VERSION and all((folder / f).is_file() for f in FILES)


def _export(files, out_dir: pathlib.Path) -> None:
    import torch

    from index.e5_convert import ensure_e5_small
    from rag.reader_model import load_reader

    e5 = pathlib.Path(ensure_e5_small(log=None))
    reader = load_reader(e5, files.folder / "reader.safetensors", files.config)

    class FromEmbeds(torch.nn.Module):
        def __init__(self, r):
            super().__init__()
            self.r = r

        def forward(self, inputs_embeds, attention_mask):
            emb = self.r.encoder.embeddings(inputs_embeds=inputs_embeds)
            h = self.r.run_layers(emb, attention_mask, 0, len(self.r.layers))
            s, e = self.r.head(h, attention_mask)
            return s, e

    words = reader.encoder.get_input_embeddings()
    ids = torch.tensor([[0, 2335, 12, 5, 2, 2, 87, 2], [0, 6, 2, 2, 9, 2, 1, 1]], dtype=torch.long)
    mask = (ids != 1).long()
    with torch.no_grad():
        sample = {"inputs_embeds": words(ids), "attention_mask": mask}
    axes = {"inputs_embeds": {0: "batch", 1: "tokens"}, "attention_mask": {0: "batch", 1: "tokens"},
            "start_logits": {0: "batch", 1: "tokens"}, "end_logits": {0: "batch", 1: "tokens"}}
    rt.export_encoder_onnx(FromEmbeds(reader), sample, out_dir / "reader.onnx",
                           output_names=["start_logits", "end_logits"], dynamic_axes=axes)
    rt.quantize_int8(out_dir / "reader.onnx", out_dir / "reader-int8.onnx",
                     keep_fp32=lambda name: "/output/dense/" in name and "/attention/" not in name)
    marker = {"export_version": EXPORT_VERSION, "reader_sha256": rt.sha256(files.folder / "reader.safetensors"),
              "torch": torch.__version__, "sha256": {f: rt.sha256(out_dir / f) for f in FILES}}
    (out_dir / MARKER).write_text(json.dumps(marker, indent=1, sort_keys=True) + "\n", encoding="utf-8")


def ensure_reader_onnx(files, e5_onnx: pathlib.Path, log=None) -> pathlib.Path:
    return rt.ensure_export(_target(files, e5_onnx), complete=_complete, build=lambda tmp: _export(files, tmp),
                            log=log, message="Exporting the reader to ONNX (first use, about a minute)…")


class OnnxReaderRuntime:
    """word ids -> (start, end) logits, through the mapped word table and an ORT session."""

    def __init__(self, files, *, int8: bool = True, threads: int = 1) -> None:
        from index.e5_onnx import ensure_e5_onnx

        e5_onnx = ensure_e5_onnx(log=None)
        folder = ensure_reader_onnx(files, e5_onnx)
        self.table = rt.TokenTable(e5_onnx / "word_embeddings.npy")
        self.session = rt.ort_session(folder / ("reader-int8.onnx" if int8 else "reader.onnx"), threads=threads)
        self.runtime = "onnx-int8" if int8 else "onnx-fp32"

    def __call__(self, ids: np.ndarray, mask: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        s, e = self.session.run(None, {"inputs_embeds": self.table.embed(ids), "attention_mask": mask})
        return s, e

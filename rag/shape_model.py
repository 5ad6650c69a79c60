"""The trained shape model: a second opinion for questions the hand rules of ``rag/shapes.py`` read
as a single fact.

A softmax layer (``models/shapes/shape-head.npz``, trained by ``train/shape_train.py``; model card in
``models/shapes/README.md``) over two views of the question: its e5-small query embedding (what it
is about and how it asks) and hashed word n-grams of its normalised form (how it is put: first
words, plural heads, "names of", "c'est qui les"…). The rules decide; where they read a fact, the
model's shape wins only when it is sure (``threshold`` in ``config.json``, chosen on PIAF's
calibration split so that facts are hardly ever taken for shapes). Pure numpy at query time.
"""
from __future__ import annotations

import json
import re
import zlib
from functools import lru_cache
from pathlib import Path
from typing import Callable, Sequence

import numpy as np

MODEL_DIR = Path(__file__).resolve().parents[1] / "models" / "shapes"
BUCKETS = 4096
# the embedders whose vectors the model was trained on (e5-small in any runtime: cosine >= 0.98)
EMBEDDERS = ("e5-small", "e5-small-onnx-int8", "e5-small-onnx-int8-all", "e5-small-fp32", "e5-small-int8")


def grams(question: str) -> np.ndarray:
    """Hashed binary word n-grams of ``question`` (``BUCKETS`` wide, pure): words and word pairs of
    its normalised form without opener, its first one, two and three words, its last word, and the
    last letter of each of its first three longer words (plurals)."""
    from rag.typed import normalised, strip_opener

    t = re.findall(r"[a-z0-9]+'?|[?:,]", normalised(strip_opener(question) or question))
    feats = set(t) | {f"{a} {b}" for a, b in zip(t, t[1:])}
    feats |= {"^" + " ".join(t[:1]), "^" + " ".join(t[:2]), "^" + " ".join(t[:3]), "$" + " ".join(t[-1:])}
    feats |= {"#s:" + w[-1] for w in t[:3] if len(w) > 3}
    v = np.zeros(BUCKETS, np.float32)
    for f in feats:
        v[zlib.crc32(f.encode("utf-8")) % BUCKETS] = 1.0
    return v


def features(question: str, vector: np.ndarray) -> np.ndarray:
    """The model's input: the question's e5-small query embedding, then :func:`grams` (pure)."""
    return np.concatenate([np.asarray(vector, np.float32).ravel(), grams(question)])


def softmax(z: np.ndarray) -> np.ndarray:
    """Probabilities of the logits ``z`` along their last axis (pure)."""
    z = z - z.max(-1, keepdims=True)
    p = np.exp(z)
    return p / p.sum(-1, keepdims=True)


def overrule(rule: str, probs: np.ndarray, shapes: Sequence[str], threshold: float) -> str:
    """``rule`` unless it is a fact and ``probs`` give another shape ``threshold`` or more (pure)."""
    if rule != "fact":
        return rule
    best = int(probs.argmax())
    return shapes[best] if shapes[best] != "fact" and probs[best] >= threshold else rule


class ShapeModel:
    def __init__(self, w: np.ndarray, b: np.ndarray, shapes: list[str], threshold: float):
        self.w, self.b, self.shapes, self.threshold = w.astype(np.float32), b.astype(np.float32), shapes, threshold

    def probabilities(self, x: np.ndarray) -> np.ndarray:
        return softmax(x @ self.w + self.b)

    def second_opinion(self, rule: str, question: str, vector: np.ndarray) -> str:
        """``rule`` unless it is a fact and the model gives another shape ``threshold`` or more."""
        if rule != "fact":
            return rule
        return overrule(rule, self.probabilities(features(question, vector)), self.shapes, self.threshold)

    def read(self, question: str, vector_of: Callable[[str], np.ndarray]) -> str:
        """The question's shape as the engine reads it: the rules' (rag/shapes.py), and where they read
        a fact, the second opinion; ``vector_of`` (its e5-small embedding) is called for facts only."""
        from rag.shapes import classify

        rule = classify(question)
        return rule if rule != "fact" else self.second_opinion(rule, question, vector_of(question))


@lru_cache(maxsize=2)
def load(folder: str = str(MODEL_DIR)) -> ShapeModel | None:
    """The shipped model, or None when its files are absent (the rules then decide alone)."""
    d = Path(folder)
    if not (d / "shape-head.npz").exists() or not (d / "config.json").exists():
        return None
    try:
        cfg = json.loads((d / "config.json").read_text(encoding="utf-8"))
        with np.load(d / "shape-head.npz") as z:
            model = ShapeModel(z["w"], z["b"], list(cfg["shapes"]), float(cfg["threshold"]))
        if model.w.shape != (384 + BUCKETS, len(model.shapes)):
            raise ValueError(f"weights of shape {model.w.shape}")
    except Exception as exc:  # noqa: BLE001 - any damage to the files: one line saying how to mend it
        from depeche.errors import damaged_model

        raise damaged_model("shape model", d, exc, "models/shapes", "train-shapes", "DEPECHE_SHAPE_MODEL") from None
    return model

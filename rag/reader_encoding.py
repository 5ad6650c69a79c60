"""Question + passage windows -> model inputs, and model logits -> best spans (pure numpy).

Shared by the reader at query time (rag/reader.py) and by its training (train/reader_data.py), so
that the model sees at run time exactly the inputs it was trained on:

    <s> question </s></s> passage </s>      (XLM-R pair format, at most MAX_LEN tokens)

A passage longer than the room left is cut into overlapping windows (STRIDE tokens shared).
Spans are scored SQuAD 2.0-style: start logit + end logit of the span, against the "no answer"
score read at the <s> position (index 0). Span offsets are character offsets into the passage.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

import numpy as np

MAX_LEN = 256  # tokens of question + passage (chunks are ~200 approximate tokens)
MAX_QUESTION = 48  # question tokens kept (the longest PIAF questions stay whole)
STRIDE = 64  # tokens shared by two windows of one over-long passage
MAX_ANSWER = 30  # tokens in an answer span (PIAF: 99.5 % of answers are shorter)


@dataclass(frozen=True)
class Window:
    """One model input: token ids plus, for each passage token, its character span in the passage."""

    passage: int  # index of the passage in the batch given to encode()
    ids: tuple[int, ...]
    first: int  # index of the first passage token in ids
    offsets: tuple[tuple[int, int], ...]  # char (start, end) of the passage tokens ids[first:first+len]


def _tokenizer_ids(tok, text: str) -> tuple[list[int], list[tuple[int, int]]]:
    enc = tok.encode(text, add_special_tokens=False)
    return list(enc.ids), [tuple(o) for o in enc.offsets]


def encode(tok, question: str, passages: Sequence[str], *, max_len: int = MAX_LEN,
           stride: int = STRIDE) -> list[Window]:
    """Windows for ``question`` against each passage. ``tok`` is a ``tokenizers.Tokenizer`` of
    XLM-R (the e5 folder's tokenizer.json); special ids are read from it."""
    bos, eos = tok.token_to_id("<s>"), tok.token_to_id("</s>")
    q_ids, _ = _tokenizer_ids(tok, question)
    q_ids = q_ids[:MAX_QUESTION]
    head = [bos, *q_ids, eos, eos]
    room = max_len - len(head) - 1
    out: list[Window] = []
    for pi, text in enumerate(passages):
        p_ids, p_offs = _tokenizer_ids(tok, text)
        start = 0
        while True:
            piece = p_ids[start:start + room]
            out.append(Window(pi, tuple(head + piece + [eos]), len(head),
                              tuple(p_offs[start:start + len(piece)])))
            if start + room >= len(p_ids):
                break
            start += room - stride
    return out


def batch_arrays(windows: Sequence[Window], pad_id: int = 1) -> tuple[np.ndarray, np.ndarray]:
    """input_ids and attention_mask, padded to the longest window of the batch (dynamic padding)."""
    n = max((len(w.ids) for w in windows), default=0)
    ids = np.full((len(windows), n), pad_id, dtype=np.int64)
    mask = np.zeros((len(windows), n), dtype=np.int64)
    for i, w in enumerate(windows):
        ids[i, :len(w.ids)] = w.ids
        mask[i, :len(w.ids)] = 1
    return ids, mask


@dataclass(frozen=True)
class SpanGuess:
    passage: int
    start: int  # char offsets into the passage
    end: int
    score: float  # start + end logit minus the window's no-answer score (> 0: the reader prefers it)
    logit: float  # start + end logit alone


def span_grid(s: np.ndarray, e: np.ndarray, max_answer: int = MAX_ANSWER) -> np.ndarray:
    """grid[i, j] = s[i] + e[j] for i <= j < i + max_answer, else -inf: every span's logit (pure)."""
    grid = s[:, None] + e[None, :]
    i_idx, j_idx = np.indices(grid.shape)
    return np.where((j_idx >= i_idx) & (j_idx < i_idx + max_answer), grid, -np.inf)


def best_spans(window: Window, start_logits: np.ndarray, end_logits: np.ndarray, *, top: int = 3,
               max_answer: int = MAX_ANSWER) -> list[SpanGuess]:
    """The ``top`` best non-overlapping spans of one window (pure: logits are this window's row)."""
    n = len(window.offsets)
    if n == 0:
        return []
    null = float(start_logits[0] + end_logits[0])
    s = np.asarray(start_logits[window.first:window.first + n], dtype=np.float32)
    e = np.asarray(end_logits[window.first:window.first + n], dtype=np.float32)
    grid = span_grid(s, e, max_answer)
    flat = np.argsort(grid, axis=None)[::-1]
    out: list[SpanGuess] = []
    taken: list[tuple[int, int]] = []
    for f in flat[: max(50, top * 20)]:
        i, j = divmod(int(f), n)
        if not np.isfinite(grid[i, j]):
            break
        cs, ce = window.offsets[i][0], window.offsets[j][1]
        if ce <= cs or any(cs < b and a < ce for a, b in taken):
            continue
        taken.append((cs, ce))
        logit = float(grid[i, j])
        out.append(SpanGuess(window.passage, cs, ce, logit - null, logit))
        if len(out) >= top:
            break
    return out


def token_targets(window: Window, ans_start: int, ans_end: int) -> tuple[int, int]:
    """Training targets: token indices (in ids) of the answer's first and last tokens, or (0, 0)
    (the <s> position: "no answer in this window") when the span is not wholly inside it."""
    if ans_end <= ans_start or not window.offsets:
        return 0, 0
    if ans_start < window.offsets[0][0] or ans_end > window.offsets[-1][1]:
        return 0, 0
    st = en = None
    for k, (a, b) in enumerate(window.offsets):
        if st is None and b > ans_start:
            st = k
        if a < ans_end:
            en = k
    if st is None or en is None or en < st:
        return 0, 0
    return window.first + st, window.first + en

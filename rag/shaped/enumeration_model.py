"""The trained chooser of a list's enumeration, for list questions the engine would otherwise refuse.

Asked "Quels pays d'Afrique de l'Ouest ont été principalement touchés ?" or "which departments are
they located in?", the reader (a single-fact reader) often finds no span it trusts, and the list
builder finds no names of the kind asked: the engine refused, though a sentence of the top article
states the list itself ("Les stations, situées à Grand-Anse, Sud et Nippes, …"). This chooser weighs
every enumeration of the sentences the evidence ranker scored and of those holding the reader's best
spans (:func:`candidates`, read by rag/shaped/enumeration.conjuncts) by a logistic score of a few
signals (:func:`features`): the reader's best span inside it and its rank; the sentence's evidence
score and rank; its article's rank; how many items, whether that is the number the question asks
for; whether the items are names when names are asked for; items the question itself names (the
question's own list is not the answer); the question's words and the noun it asks for ("pays",
"villes") in the sentence. The engine answers with the best enumeration's items when its
probability reaches the model's threshold, and refuses otherwise, as before.

Weights and threshold: ``models/lists/enumeration-chooser.json``, trained by
``train/enumeration_train.py`` on the fit list questions (model card beside it). Pure numpy.
"""
from __future__ import annotations

import math
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Sequence

import numpy as np

from rag.shaped import enumeration

MODEL_DIR = Path(__file__).resolve().parents[2] / "models" / "lists"
NAMES = ("bias", "reader", "reader_in", "reader_rank", "score", "score_rank", "scored", "lead", "article_rank",
         "log_items", "count_match", "count_other", "named", "names_asked_named", "names_asked_unnamed", "in_question",
         "words", "asked_noun", "colon", "item_words", "figures")
READ_FLOOR = -15.0  # reader scores are clipped here (a span the reader barely considers)
_COUNTS = {"deux": 2, "trois": 3, "quatre": 4, "cinq": 5, "six": 6, "sept": 7, "huit": 8, "two": 2, "three": 3,
           "four": 4, "five": 5, "seven": 7, "eight": 8}
_COUNT = re.compile(r"\b(deux|trois|quatre|cinq|six|sept|huit|two|three|four|five|seven|eight|[2-8])\b", re.I)
# the noun a list question asks for: "quels pays", "quelles lignes de tram", "which departments", "what two conditions"
_ASKED = re.compile(r"\b(?:quel(?:le)?s|lesquel(?:le)?s|which|what)\s+(?:(?:deux|trois|quatre|cinq|two|three|four|five|"
                    r"autres|other|[2-8])\s+)?([\w'’-]+)", re.I)
_COORD = re.compile(enumeration._COORD)  # a coordinator, as the enumeration reader reads it
_WORD = re.compile(r"[\w'’.-]+")
_LEAD_IN = re.compile(r"[\w'’»)-]+\s*:")
MAX_TRIED = 5  # words after a coordinator tried as the span of an enumeration's last item


@dataclass(frozen=True)
class Candidate:
    """An enumeration of one sentence: its items as article offsets, the sentence (a rag Sent) and
    whether a colon introduced it."""

    sent: object
    items: tuple[tuple[int, int], ...]
    colon: bool = False


def enumerations(text: str) -> list[tuple[tuple[tuple[int, int], ...], bool]]:
    """Every enumeration of ``text`` (items as offsets in it, and whether a colon introduced it),
    each once (pure): the one ending at each coordinator, read from the span of one to five words
    after it, and those a colon introduces."""
    from rag.shaped.enumeration import conjuncts, listed_after

    out: dict[tuple, bool] = {}
    for m in _COORD.finditer(text):
        ws = list(_WORD.finditer(text, m.end(), min(len(text), m.end() + 80)))
        for n in range(1, min(MAX_TRIED, len(ws)) + 1):
            items = conjuncts(text, ws[0].start(), ws[n - 1].end())
            if len(items) >= 2:
                out.setdefault(tuple(items), False)
    for m in _LEAD_IN.finditer(text):
        end = m.start() + len(m.group(0).rstrip(": "))
        items = listed_after(text, m.start(), end)
        if len(items) >= 2:
            out[tuple(items)] = True
    return list(out.items())


# a capitalised word opening a sentence or a clause, not a name; an article is part of the name it
# opens ("La Courneuve", "Le Havre"), not of a common noun ("Les stations")
_OPENER = re.compile(r"^(?:en|dans|selon|après|avant|pour|par|depuis|hier|the|in|on|at|after)$", re.I)
_ARTICLE = re.compile(r"^(?:les?|la|l['’])$", re.I)
_RUN = re.compile(r"(?:\b(?:al|el|ad|ben|bin|ibn|abu|del|della|di|da|dos|van|von|der|den|mac|mc)[-\s'’])*"
                  r"[A-ZÀ-ÝŒ][\w'’.-]*(?:(?:\s+|\s+(?:de|del|da|di|dos|du|van|von|der|den|bin|ben|al|el)[\s-]+|-)"
                  r"[A-ZÀ-ÝŒ][\w'’.-]*)*")
# "le Russe Igor Polyanskiy", "du Sud-Africain Richard Murray": a capitalised word after an article,
# then a name, is a nationality (a first name follows no article)
_NATIONALITY = re.compile(r"[A-ZÀ-Ý][\w-]+\s+(?=[A-ZÀ-Ý])")
_ARTICLE_BEFORE = re.compile(r"(?:\b(?:le|la|les|du|des|au|aux|the)\s+|\bl['’])$", re.I)


def name_in(text: str, a: int, b: int) -> tuple[int, int] | None:
    """The name an item holds, as offsets in ``text`` (pure): its last run of capitalised words,
    without a nationality before it ("39 secondes devant Richard Murray" -> "Richard Murray",
    "Maxime Nicolle forment un" -> "Maxime Nicolle", "le Russe Igor Polyanskiy" -> "Igor
    Polyanskiy"); a capitalised opener ("Les stations", "En Loire-Atlantique") is no name."""
    best = None
    for m in _RUN.finditer(text, a, b):
        if m.start() > a and text[m.start() - 1].isalnum():
            continue
        lo, hi = m.start(), m.end()
        while (w := re.match(r"[\w'’]+\s*", text[lo:hi])) and _OPENER.match(w.group(0).strip()):
            lo += w.end()  # "En Loire-Atlantique": the opener is no part of the name
        if lo < hi and not _ARTICLE.match(text[lo:hi]):
            best = (lo, hi)
    if best is None:
        return None
    lo, hi = best
    while hi > lo and text[hi - 1] in ".,":
        hi -= 1
    if _ARTICLE_BEFORE.search(text, max(0, lo - 5), lo) and (n := _NATIONALITY.match(text, lo, hi)) is not None:
        lo = n.end()
    return lo, hi


def cleaned(text: str, items: Sequence[tuple[int, int]], question: str, names_asked: bool) -> tuple[tuple[int, int], ...]:
    """``items`` (offsets in ``text``) as a list answer shows them (pure): an item the question itself
    names is left out (the question's own list is not the answer); when names are asked for, each
    item is the name it holds ("situées à Grand-Anse" -> "Grand-Anse"), and an item without one is
    left out ("Les stations")."""
    from index.french import fold

    q = fold(question)
    out = []
    for a, b in items:
        if names_asked:
            got = name_in(text, a, b)
            if got is None:
                continue
            a, b = got
        if fold(text[a:b]).strip() in q:
            continue
        out.append((a, b))
    return tuple(out)


def candidates(sents: Sequence, question: str = "", names_asked: bool = False) -> list[Candidate]:
    """The enumerations of ``sents`` (rag Sents), with article offsets, :func:`cleaned` for
    ``question``; those left with fewer than two items are dropped (pure)."""
    out, seen = [], set()
    for s in sents:
        for items, colon in enumerations(s.text):
            items = cleaned(s.text, items, question, names_asked)
            if len(items) < 2:
                continue
            key = (s.article_id, tuple((s.start + a, s.start + b) for a, b in items))
            if key in seen:
                continue
            seen.add(key)
            out.append(Candidate(s, key[1], colon))
    return out


def asked_count(question: str) -> int | None:
    m = _COUNT.search(question)
    if not m:
        return None
    w = m.group(1).lower()
    return int(w) if w.isdigit() else _COUNTS.get(w)


def features(question: str, english: bool, cands: Sequence[Candidate], spans: Sequence[tuple[str, int, int, float]],
             names_asked: bool, lead: str | None, article_rank: dict[str, int]) -> np.ndarray:
    """One row of :data:`NAMES` signals per candidate. ``spans``: the reader's spans (article id,
    start, end, score), best first; ``lead``: the top article; ``article_rank``: article id -> rank
    in the retrieval pool."""
    from index.french import fold, tokenize
    from rag.glossary import with_french
    from rag.shaped.item_names import _named

    n = len(cands)
    out = np.zeros((n, len(NAMES)), np.float32)
    if not n:
        return out
    top = max((c.sent.score for c in cands), default=0.0) or 1.0
    order = sorted({(c.sent.article_id, c.sent.start): c.sent.score for c in cands}.items(), key=lambda kv: -kv[1])
    sent_rank = {k: r for r, (k, _) in enumerate(order)}
    qtext = with_french(question, english)
    qwords = set(tokenize(qtext))
    qfold = fold(question)
    asked = _ASKED.search(question)
    asked_stem = set(tokenize(with_french(asked.group(1), english))) if asked else set()
    count = asked_count(question)
    for i, c in enumerate(cands):
        s = c.sent
        text = s.text
        names = [text[a - s.start:b - s.start] for a, b in c.items]
        lo, hi = c.items[0][0], c.items[-1][1]
        inside = [(r, sc) for r, (aid, a, b, sc) in enumerate(spans) if aid == s.article_id and a < hi and lo < b]
        near = [(r, sc) for r, (aid, a, b, sc) in enumerate(spans) if aid == s.article_id and s.start <= a < s.end]
        best = max((sc for _, sc in inside), default=None)
        best_near = max((sc for _, sc in near), default=READ_FLOOR)
        first = min((r for r, _ in inside), default=None)
        named = sum(bool(_named(x)) for x in names) / len(names)
        item_stems = [set(tokenize(x)) for x in names]
        in_q = sum(bool(st) and st <= qwords or fold(x) in qfold for st, x in zip(item_stems, names)) / len(names)
        rest = set(tokenize(text[:lo - s.start] + " " + text[hi - s.start:]))
        row = {
            "bias": 1.0,
            "reader": (max(READ_FLOOR, best if best is not None else best_near) - READ_FLOOR) / 10.0,
            "reader_in": float(best is not None),
            "reader_rank": 1.0 / (1 + first) if first is not None else 0.0,
            "score": s.score / top,
            "score_rank": 1.0 / (1 + sent_rank[(s.article_id, s.start)]),
            "scored": float(s.score > 0),
            "lead": float(s.article_id == lead),
            "article_rank": 1.0 / (1 + article_rank.get(s.article_id, 9)),
            "log_items": math.log(len(names)),
            "count_match": float(count is not None and count == len(names)),
            "count_other": float(count is not None and count != len(names)),
            "named": named,
            "names_asked_named": named if names_asked else 0.0,
            "names_asked_unnamed": (1 - named) if names_asked else 0.0,
            "in_question": in_q,
            "words": len(qwords & rest) / (len(qwords) or 1),
            "asked_noun": float(bool(asked_stem & (rest | set().union(*item_stems)))),
            "colon": float(c.colon),
            "item_words": math.log(sum(len(x.split()) for x in names) / len(names)),
            "figures": sum(any(ch.isdigit() for ch in x) for x in names) / len(names),
        }
        out[i] = [row[k] for k in NAMES]
    return out


class EnumerationChooser:
    def __init__(self, w: np.ndarray, meta: dict):
        self.w, self.meta = np.asarray(w, np.float32), meta
        self.threshold = float(meta.get("threshold", 0.5))

    def probabilities(self, x: np.ndarray) -> np.ndarray:
        return 1.0 / (1.0 + np.exp(-(x @ self.w)))

    def best(self, question: str, english: bool, cands: Sequence[Candidate], spans, names_asked: bool,
             lead: str | None, article_rank: dict[str, int]) -> tuple[Candidate, float] | None:
        """The most probable enumeration and its probability, when it reaches the threshold; None otherwise."""
        if not cands:
            return None
        p = self.probabilities(features(question, english, cands, spans, names_asked, lead, article_rank))
        i = int(np.argmax(p))
        return (cands[i], float(p[i])) if p[i] >= self.threshold else None


@lru_cache(maxsize=2)
def load(folder: str = str(MODEL_DIR)) -> EnumerationChooser | None:
    """The shipped chooser, or None when its file is absent (list questions are then refused as before)."""
    from rag.shaped.linear import read_weights

    got = read_weights(Path(folder) / "enumeration-chooser.json", len(NAMES), "enumeration chooser", "models/lists",
                       "train-lists", "DEPECHE_LIST_MODEL")
    return EnumerationChooser(*got) if got else None


def for_engine(engine) -> EnumerationChooser | None:
    """The shipped chooser unless the engine's settings switch it off (``list_model``)."""
    on = getattr(getattr(engine, "settings", None), "list_model", True)
    return load() if on else None

"""The trained chooser of a yes/no answer's deciding sentences.

A yes/no answer shows the sentences that decide it ("Trump a-t-il assisté au défilé ?" -> the
sentence saying who attended, and the one naming Trump). The hand ordering (rag/shaped/said.deciding:
names, predicate, topic words, then the evidence score) often showed sentences that only name the
subject. This chooser is a listwise softmax over a few signals of each candidate sentence
(:func:`features`: the evidence score and its rank; the share of the question's names, words, verb
and topic words the sentence holds; a negation bearing on those words; a word that denies by itself;
its length and article). It orders the candidates only: the verdict (oui / non / not said in these
terms) stays the hand rule's, which says oui or non only when one sentence names the subject with the
predicate (a trained verdict did no better than the rule on the fit questions: train/yesno_train.py
--verdict).

Weights: ``models/yesno/yesno-chooser.json``, trained by ``train/yesno_train.py`` on the fit yes/no
gold questions (model card beside it). Pure numpy.
"""
from __future__ import annotations

import math
import re
from functools import lru_cache
from pathlib import Path
from typing import Sequence

import numpy as np

MODEL_DIR = Path(__file__).resolve().parents[2] / "models" / "yesno"
NAMES = ("score", "score_rank", "score_first", "names", "words", "verb",
         "own_verb", "topic", "negated", "any_negation", "denies", "log_length", "lead", "ranked")
_NEGATION = re.compile(r"\b(?:ne|n['’]|pas|jamais|plus|aucun\w*|rien|ni|sans|not|never|no|none|n't)\b",
                       re.IGNORECASE)
# words that deny or undo by themselves ("disqualifiés", "a rejeté", "annulé", "démenti")
_DENIES = re.compile(r"\b(?:absen\w*|refus\w*|boycott\w*|disqualifi\w*|rejet\w*|rejeté\w*|annul\w*|démen\w*|"
                     r"démenti\w*|niait|nié\w*|nie|échou\w*|écarté\w*|exclu\w*|interdi\w*|suspend\w*|abandonn\w*|"
                     r"renonc\w*|faux|fausse\w*|infond\w*|aucun\w*)\b|n['’]t\b", re.IGNORECASE)


def question_parts(question: str, english: bool) -> dict:
    """The question's folded names, content stems, predicate group, own verb and topic stems."""
    from index.french import tokenize
    from rag.answer_types import question_words
    from rag.glossary import with_french
    from rag.shaped.predicate import _QWORDS, predicate
    from rag.shaped.said import question_verb

    verb, topic = predicate(question, english)
    names = set(question_words(question).names)
    name_stems = set(tokenize(" ".join(names)))
    words = set(tokenize(with_french(question, english))) - _QWORDS
    return {"names": names, "words": words, "verb": verb, "own": question_verb(question, english),
            "topic": topic - name_stems}


def features(parts: dict, texts: Sequence[str], scores: Sequence[float], articles: Sequence[str],
             ranked: Sequence[bool]) -> np.ndarray:
    """One row of :data:`NAMES` signals per candidate sentence. ``ranked``: the sentence was scored
    by the evidence ranker (not only added as another sentence of the top article)."""
    from index.french import fold, tokenize
    from rag.shaped.predicate import _held
    from rag.shaped.said import negated

    n = len(texts)
    out = np.zeros((n, len(NAMES)), np.float32)
    if not n:
        return out
    top = max(scores) or 1.0
    by_score = {i: r for r, i in enumerate(sorted(range(n), key=lambda i: -scores[i]))}
    lead = articles[max(range(n), key=lambda i: scores[i])]
    names, words, verb, own, topic = parts["names"], parts["words"], parts["verb"], parts["own"], parts["topic"]
    for i, t in enumerate(texts):
        folded = {fold(w) for w in re.findall(r"[\w'-]+", t)}
        stems = set(tokenize(t))  # once for all the question's words
        held = _held(words, stems)
        row = {
            "score": scores[i] / top,
            "score_rank": 1.0 / (1 + by_score[i]),
            "score_first": float(by_score[i] == 0),
            "names": len(names & folded) / len(names) if names else 0.0,
            "words": len(held) / (len(words) or 1),
            "verb": float(bool(_held(verb, stems))),
            "own_verb": float(bool(_held(own, stems))),
            "topic": min(1.0, len(_held(topic, stems)) / (len(topic) or 1)),
            "negated": float(bool(held) and negated(t, held)),
            "any_negation": float(bool(_NEGATION.search(t))),
            "denies": float(bool(_DENIES.search(t))),
            "log_length": math.log(1 + len(t)) / 6.0,
            "lead": float(articles[i] == lead),
            "ranked": float(ranked[i]),
        }
        out[i] = [row[k] for k in NAMES]
    return out


class YesNoChooser:
    def __init__(self, w: np.ndarray, meta: dict):
        self.w, self.meta = np.asarray(w, np.float32), meta

    def order(self, question: str, english: bool, sents: Sequence, ranked: Sequence[bool],
              parts: dict | None = None) -> list[int]:
        """Indices of ``sents`` (rag Sent), the most deciding first (``parts``: :func:`question_parts`,
        when already read)."""
        parts = parts or question_parts(question, english)
        x = features(parts, [s.text for s in sents], [s.score for s in sents], [s.article_id for s in sents], ranked)
        z = x @ self.w
        return sorted(range(len(sents)), key=lambda i: -z[i])


@lru_cache(maxsize=2)
def load(folder: str = str(MODEL_DIR)) -> YesNoChooser | None:
    """The shipped chooser, or None when its file is absent (the hand ordering then shows)."""
    from rag.shaped.linear import read_weights

    got = read_weights(Path(folder) / "yesno-chooser.json", len(NAMES), "yes/no chooser", "models/yesno",
                       "train-yesno", "DEPECHE_YESNO_MODEL")
    return YesNoChooser(*got) if got else None


def for_engine(engine) -> YesNoChooser | None:
    """The shipped chooser unless the engine's settings switch it off (``yesno_model``); None: the rule."""
    on = getattr(getattr(engine, "settings", None), "yesno_model", True)
    return load() if on else None

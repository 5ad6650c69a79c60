"""A question typed in lower case and without accents, given back its names' capitals and its words'
accents from the passages retrieved for it ("quels dirigeants ont assiste au defile de xi jinping"
-> "quels dirigeants ont assisté au défilé de Xi Jinping"). The answer builders find names by their
capitals and match words with their accents; the retrieval, which folds both, finds the passages
anyway. Pure.

A word is changed only when the user wrote it bare (lower case, no accent) and the passages write it
one way nearly always (its accents only when the user typed no accent anywhere in the question): a name capitalised inside sentences, a word with its accents. Short words
whose accent changes their meaning ("ou"/"où", "a"/"à", "la"/"là") are left as typed. A word the
passages never write, one letter off a name they write at least twice ("Neymr", "Girondis"), is that
name mistyped. A question typed in capitals is read in lower case first, then given its names' capitals
back the same way.
"""
from __future__ import annotations

import re
from collections import Counter, defaultdict
from typing import Iterable

from index.french import fold
from rag.names import TYPO_MIN, one_edit

_WORD = re.compile(r"[^\W\d_][\w'’-]*")
SHARE = 0.9  # of a word's occurrences in the passages that must agree on its form
MIN_SEEN = 2  # occurrences needed before a form is trusted
MIN_ACCENTED = 3  # letters a word needs for its accents to be given back
SHOUTED_MIN = 12  # letters of a question typed all in capitals ("POURQUOI POUTINE A REMERCIÉ KIM ?") read as lower case
_SENTENCE_START = re.compile(r"[.!?»:\n–-]\s*[«\"]?\s*$")  # what may come just before a sentence's first word


def forms(texts: Iterable[str]) -> tuple[dict[str, Counter], Counter]:
    """folded word -> Counter of its written forms inside sentences of ``texts`` ("Pékin": 3), and
    how often each folded word starts a sentence (where its capital says nothing)."""
    inside: dict[str, Counter] = defaultdict(Counter)
    starts: Counter = Counter()
    for text in texts:
        for m in _WORD.finditer(text):
            w = m.group(0)
            if m.start() == 0 or _SENTENCE_START.search(text, max(0, m.start() - 3), m.start()):
                starts[fold(w)] += 1
            else:
                inside[fold(w)][w] += 1
    return inside, starts


def restore_forms(question: str, texts: Iterable[str], english: bool = False) -> str:
    """``question`` with each bare word written as the passages write it, and each name one letter
    off a name they write ("Neymr", "Girondis") written as they write it (see the module doc). An
    English question over French passages only gets its names' capitals back ("xi jinping"): its
    words are no French words misspelt ("region", "August")."""
    letters = [ch for ch in question if ch.isalpha()]
    if len(letters) >= SHOUTED_MIN and sum(ch.isupper() for ch in letters) >= SHARE * len(letters):
        question = question.lower()  # typed in capitals: they say nothing of names, the passages do
    inside, starts = forms(texts)
    # a lower-case word is taken for a mistyped name only when the user typed no capital at all
    bare = not any(ch.isupper() for ch in question[1:])
    # accents are given back only to a question typed without any: "Qui a critiqué la rencontre ?" means
    # the noun, though the passages on the meeting write "a rencontré" far more often
    unaccented = fold(question) == question.lower()

    def fix(m: re.Match) -> str:
        w = m.group(0)
        f = fold(w)
        if not english and len(f) >= TYPO_MIN and f not in inside and f not in starts and (bare or w[:1].isupper()):
            return _name_near(f, inside, starts) or w
        if w != f:  # the user wrote a capital or an accent: as typed
            return w
        seen = inside.get(w)
        if not seen:
            return w
        form, n = seen.most_common(1)[0]
        total = sum(seen.values())
        if form == w or n < SHARE * total or total + starts[w] < MIN_SEEN:
            return w
        if english:
            return form if form.lower() == w and form[:1].isupper() else w
        if form[:1].isupper() or unaccented and len(w) >= MIN_ACCENTED:  # a name: its accents too ("Pékin")
            return form
        return w

    if not english or bare:
        return _WORD.sub(fix, question)
    # an English question typed with capitals of its own gets back the capitals of a name of several
    # words ("xi jinping") but not of one word the passages only write in names ("the new 750 GeV
    # particle" is no "New", as in "New York", that the articles must then name)
    words = list(_WORD.finditer(question))
    fixed = [fix(m) for m in words]
    changed = [f != m.group(0) for f, m in zip(fixed, words)]
    out, at = [], 0
    for i, m in enumerate(words):
        joined = any(0 <= j < len(words) and changed[j] and question[min(m.end(), words[j].end()):
                                                                     max(m.start(), words[j].start())].isspace()
                     for j in (i - 1, i + 1))
        out += [question[at:m.start()], fixed[i] if changed[i] and joined else m.group(0)]
        at = m.end()
    return "".join(out) + question[at:]


def _name_near(word: str, inside: dict[str, Counter], starts: Counter) -> str | None:
    """The name of the passages (capitalised inside sentences, seen twice or more) one letter off the
    folded ``word``, when there is exactly one such name; else None."""
    near = [(sum(c.values()) + starts[k], c.most_common(1)[0][0]) for k, c in inside.items()
            if abs(len(k) - len(word)) <= 1 and one_edit(word, k) and k.rstrip("sx") != word.rstrip("sx")]
    names = [(n, form) for n, form in near if form[:1].isupper() and n >= MIN_SEEN]
    return names[0][1] if len(names) == 1 else None

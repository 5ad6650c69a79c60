"""A list the article announces: "… concentrés dans quatre pays : le Brésil, l'Indonésie, Madagascar
et la RDC" answers "Dans quels pays vivent les deux tiers des primates ?".

The noun the question asks for ("quels pays", "which countries") just before a colon announces the
list after it, whatever the kind of its items (countries, age groups, songs): every conjunct is an
item (rag/shaped/enumeration.listed_after). Pure functions.
"""
from __future__ import annotations

import re
from typing import Sequence

from index.french import fold, tokenize
from rag.shaped.corpus import Sent
from rag.shaped.enumeration import listed_after

_NOUN_FR = re.compile(r"\b(?:quel(?:le)?s|lesquel(?:le)?s)\s+(?:autres\s+)?([a-z-]{3,})")
_NOUN_EN = re.compile(r"\b(?:which|what)\s+(?:other\s+)?([a-z-]{3,})")
_COLON = re.compile(r"\s*:\s*")
BEFORE_WORDS = 4  # the noun is among the last words before the colon ("quatre pays uniquement :")


def asked_nouns(question: str, english: bool = False) -> set[str]:
    """Stems of the noun a list question asks for ("quels pays" -> {"pay"}; "which countries" ->
    the French words for it too), or an empty set (pure)."""
    q = fold(question.lower())
    m = (_NOUN_EN if english else _NOUN_FR).search(q)
    if not m:
        return set()
    noun = m.group(1)
    if english:
        from rag.glossary import to_french

        noun = f"{noun} {to_french(noun)}"
    return set(tokenize(noun))


def announced(question: str, sentences: Sequence[Sent], english: bool = False) -> tuple[Sent, list[tuple[int, int]]] | None:
    """The best-scored sentence announcing a list of what the question asks for, and its items'
    offsets in it, or None. The sentence must also hold another of the question's words (the
    announced list is about the question's topic, not any list of that kind)."""
    nouns = asked_nouns(question, english)
    if not nouns:
        return None
    q = question
    if english:
        from rag.glossary import to_french

        q = f"{question} {to_french(question)}"
    topic = set(tokenize(q)) - nouns
    for s in sorted(sentences, key=lambda x: -x.score):
        if not topic & set(tokenize(s.text)):
            continue
        for m in _COLON.finditer(s.text):
            if not nouns & set(tokenize(s.text[:m.start()])[-BEFORE_WORDS:]):
                continue
            items = listed_after(s.text, m.start(), m.start())
            if len(items) >= 2:
                return s, items
    return None

"""Lists a sentence states itself. One the article announces: "… concentrés dans quatre pays : le
Brésil, l'Indonésie, Madagascar et la RDC" answers "Dans quels pays vivent les deux tiers des
primates ?". And, for a list of things rather than names, an enumeration of noun phrases ("44 Russes,
huit Ukrainiens, deux Indiens et un Ouzbek") in one of the sentences that answer best.

The noun the question asks for ("quels pays", "which countries") just before a colon announces the
list after it, whatever the kind of its items (countries, age groups, songs): every conjunct is an
item (rag/shaped/enumeration.listed_after). Pure functions.
"""
from __future__ import annotations

import re
from typing import Sequence

from index.french import fold, tokenize
from rag.shaped.corpus import Corpus, Sent, cite, is_debris
from rag.shaped.enumeration import listed_after
from rag.shaped.list_drafts import item_lines
from rag.shaped.text import MAX_PARTS, Cites

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
    from rag.glossary import with_french

    topic = set(tokenize(with_french(question, english))) - nouns
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


_COORD_WORDS = {"et", "ou", "and", "or"}
_CLAUSE_POS = {"VERB", "AUX", "SCONJ", "PRON"}
ITEM_TOKENS = 6  # a conjunct longer than this is a clause, not an item
ENUMERATION_LOOKS, ENUMERATION_SHARE = 4, 0.6  # sentences (and their share of the best score) read for an enumeration
ENUMERATED_MIN = 3  # items a plain enumeration must have to stand as the answer


def _conjunct_after(doc, i: int) -> tuple[int, int]:
    """Token range [i, j) of the conjunct starting at token i, up to a verb, a clause mark or a
    comma (pure)."""
    j = i
    while j < len(doc) and doc[j].pos_ not in _CLAUSE_POS and doc[j].text not in {",", ";", ":", ".", "(", ")", "«", "»"} \
            and not (doc[j].pos_ == "CCONJ" and doc[j].lower_ in _COORD_WORDS):
        j += 1
    return i, j


def noun_enumeration(doc) -> list[tuple[int, int]]:
    """Character offsets of the items of the longest enumeration of noun phrases in a parsed
    sentence ("on retrouve 44 Russes, huit Ukrainiens, deux Indiens et un Ouzbek" -> the four
    groups), or []: conjuncts joined by commas and a last "et"/"ou", none holding a verb (the first
    one is cut after its verb), all starting alike (a prepositional phrase before the list, "A ce
    jour,", is no item) (pure)."""
    best: list[tuple[int, int]] = []
    for c in (t.i for t in doc if t.pos_ == "CCONJ" and t.lower_ in _COORD_WORDS):
        a, b = _conjunct_after(doc, c + 1)
        if not 0 < b - a <= ITEM_TOKENS:
            continue
        spans = [(a, b)]
        prep = doc[a].pos_ == "ADP"
        k = c  # the separator before the conjunct being built
        while True:
            end = k
            start = end - 1
            while start >= 0 and doc[start].text not in {",", ";", ":", "(", "«", "»"} and \
                    not (doc[start].pos_ == "CCONJ" and doc[start].lower_ in _COORD_WORDS):
                start -= 1
            start += 1
            if start >= end:
                break
            verbs = [t.i for t in doc[start:end] if t.pos_ in _CLAUSE_POS]
            cut = verbs[-1] + 1 if verbs else start
            if cut >= end or end - cut > ITEM_TOKENS or (doc[cut].pos_ == "ADP") != prep:
                break
            spans.insert(0, (cut, end))
            if verbs or start == 0 or doc[start - 1].text != "," and doc[start - 1].pos_ != "CCONJ":
                break
            k = start - 1
        if len(spans) > len(best):
            best = spans
    out = []
    for a, b in best:
        while a < b and doc[a].pos_ == "DET":  # "un Ouzbek" -> "Ouzbek", as the reader's items are shown
            a += 1
        if a < b:
            out.append((doc[a].idx, doc[b - 1].idx + len(doc[b - 1].text)))
    return out if len(out) >= ENUMERATED_MIN else []


def stated_list(corpus: Corpus, question: str, pool: Sequence[Sent], ranked: Sequence[Sent], english: bool = False):
    """The list a sentence states itself, as list lines all cited by it: announced by the asked noun
    before a colon (kept over the reader's enumeration: the 4th value is True), else, for a list of
    things rather than names, the enumeration of noun phrases of one of the best-scored sentences
    ``ranked``. (text, cites, first item, stated) or None."""
    from rag.shaped.item_names import named_item
    from rag.shaped.lists import asks_for_names

    names = asks_for_names(question, english)
    found = announced(question, pool, english)
    if found is not None:
        s, items = found
        if names:
            items = [(a, b) for a, b in items if named_item(s.text[a:b])]
        got = _items_of(corpus, s, items)
        if got:
            return (*got, True)
    if names or not ranked:
        return None
    from rag.spans import parse

    top = ranked[0].score
    near = [s for s in ranked[:ENUMERATION_LOOKS] if s.score >= ENUMERATION_SHARE * top and not is_debris(s.text)]
    from rag.shaped.enumeration import conjuncts

    for s, doc in zip(near, parse([s.text for s in near])):
        items = noun_enumeration(doc)
        if items:
            # the enumeration as the sentence writes it, when it holds as many items or more: it starts
            # after "comme" / "notamment" and drops dates ("comme Indlala en 2007, Ivan en 2008…")
            whole = conjuncts(s.text, items[0][0], items[-1][1])
            return _items_of(corpus, s, whole if len(whole) >= len(items) else items)
    return None


def _items_of(corpus: Corpus, s: Sent, items: Sequence[tuple[int, int]]):
    """List lines of ``items`` (offsets in ``s.text``), all cited by ``s``: (text, cites, first item)."""
    c = cite(corpus, s.article_id, s.start, s.end, s.score)
    if c is None or len(items) < 2:
        return None
    cites = Cites()
    n = cites.add(c)
    a0, b0 = items[0]
    return "\n".join(item_lines(c.quote, items[:MAX_PARTS], n)), cites, s.text[a0:b0]

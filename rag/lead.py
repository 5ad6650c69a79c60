"""The reader's short answer put in front of a shaped answer (pure).

A why, how or yes/no question still has a short answer a trained reader can find ("Pourquoi
István Nyers est-il appelé Étienne ?" -> "en raison de ses origines françaises"). When the reader
finds one the shaped answer does not already state, it comes first with its own citation; the
shaped answer's markers are renumbered after it, and a sentence cited by both keeps one number.
"""
from __future__ import annotations

import dataclasses
import re

from depeche.types import Citation
from rag.answerers import Draft
from rag.citations import normalise

# Shapes whose answer can start with the reader's short answer. Not lists: their items come first
# already, each checked against the question's predicate (the reader would also name who is only
# mentioned near the topic, e.g. Trump for the parade's attendees).
LEADS = ("cause", "manner", "yesno")
_MARK = re.compile(r"\[(\d+)\]")


def _remark(text: str, mapping: dict[int, int]) -> str:
    """``text`` with its markers [n] renumbered by ``mapping`` (others kept)."""
    return _MARK.sub(lambda m: f"[{mapping.get(int(m.group(1)), int(m.group(1)))}]", text)


def lead_with(fact: Draft, shaped: Draft) -> Draft:
    """``shaped`` with ``fact`` (the reader's draft) in front, unless ``fact`` abstained or its short
    answer is already in the shaped text; ``short_answer`` is the reader's either way."""
    if fact.abstained or not fact.citations or not fact.short_answer:
        return shaped
    if normalise(fact.short_answer) in normalise(_MARK.sub("", shaped.text)):
        return dataclasses.replace(shaped, short_answer=shaped.short_answer or fact.short_answer)
    lead = [dataclasses.replace(c, n=i) for i, c in enumerate(fact.citations, 1)]
    fact_text = _remark(fact.text, {c.n: i for i, c in enumerate(fact.citations, 1)})

    def key(c: Citation) -> tuple:
        return c.article_id, c.start, c.end

    known = {key(c): c.n for c in lead}
    mapping: dict[int, int] = {}
    extra: list[Citation] = []
    for c in shaped.citations:
        if key(c) in known:
            mapping[c.n] = known[key(c)]
        else:
            n = len(lead) + len(extra) + 1
            mapping[c.n] = n
            known[key(c)] = n
            extra.append(dataclasses.replace(c, n=n))
    body = _remark(shaped.text, mapping)
    return dataclasses.replace(
        shaped, text=fact_text.strip() + "\n\n" + body.strip(), citations=tuple(lead + extra),
        short_answer=fact.short_answer, timings_ms={**shaped.timings_ms, **{f"reader_{k}": v for k, v in
                                                                          (fact.timings_ms or {}).items()}})

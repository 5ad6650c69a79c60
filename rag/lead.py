"""The reader's short answer put in front of a shaped answer (pure).

A why, how or yes/no question still has a short answer a trained reader can find ("Pourquoi
István Nyers est-il appelé Étienne ?" -> "en raison de ses origines françaises"). When the reader
finds one the shaped answer does not already state, it comes first with its own citation; the
shaped answer's markers are renumbered after it, and a sentence cited by both keeps one number.
"""
from __future__ import annotations

import dataclasses
import re
from typing import Sequence

from depeche.types import Citation
from rag.answerers import Draft
from rag.citations import normalise

# Shapes whose answer can start with the reader's short answer. Not lists: their items come first
# already, each checked against the question's predicate (the reader would also name who is only
# mentioned near the topic, e.g. Trump for the parade's attendees).
LEADS = ("cause", "manner", "yesno")
_MARK = re.compile(r"\[(\d+)\]")


def remark(text: str, mapping: dict[int, int]) -> str:
    """``text`` with its markers [n] renumbered by ``mapping`` (others kept)."""
    return _MARK.sub(lambda m: f"[{mapping.get(int(m.group(1)), int(m.group(1)))}]", text)


def cite_after(first: Sequence[Citation], more: Sequence[Citation]) -> tuple[list[Citation], dict[int, int]]:
    """``first`` as numbered, then those of ``more`` citing another sentence, numbered after them;
    and the mapping of ``more``'s numbers into the joined list (a sentence cited by both keeps one
    number). Pure."""
    def key(c: Citation) -> tuple:
        return c.article_id, c.start, c.end

    joined = list(first)
    known = {key(c): c.n for c in first}
    mapping: dict[int, int] = {}
    for c in more:
        if key(c) not in known:
            known[key(c)] = len(joined) + 1
            joined.append(dataclasses.replace(c, n=known[key(c)]))
        mapping[c.n] = known[key(c)]
    return joined, mapping


ONE_LEAD = True
CAUSAL_LEAD = True


def gives_reason(fact: Draft, manner: bool) -> bool:
    """The reader's best answer lies in a clause of cause or purpose (or manner) of its sentence, or
    its sentence names a cause outright: else the reader has found a fact near the event, not why
    it happened (pure). An answer not verbatim in its sentence (a resolved date) needs a connective
    anywhere in it."""
    from rag.shaped.reasons import CAUSE_AHEAD, CAUSE_BEHIND, CAUSE_RE, MANNER_RE

    c = fact.citations[0]
    at = c.quote.find(fact.short_answer or "")
    if CAUSE_AHEAD.search(c.quote) or CAUSE_BEHIND.search(c.quote):
        return True
    pattern = MANNER_RE if manner else CAUSE_RE
    # a connective that opens the answer's clause: at most a few words before it
    return any(at < 0 or (m.start() <= at + len(fact.short_answer or "") and at - m.start() <= 60)
               for p in ((pattern, CAUSE_RE) if manner else (pattern,)) for m in p.finditer(c.quote))


def first_answer(fact: Draft) -> Draft:
    """The reader's draft cut to its best answer and that answer's sentence (pure): in front of a
    shaped answer the reader's weaker answers are noise ("hésiter", "pour la région")."""
    from rag.shaped.text import quoted

    c = dataclasses.replace(fact.citations[0], n=1)
    short = fact.short_answer or ""
    text = f"{short} — {quoted(c.quote, max(0, c.quote.find(short)), len(short))} [1]"
    return dataclasses.replace(fact, text=text, citations=(c,), answers=fact.answers[:1])


def about(answer: str, question: str) -> bool:
    """The reader's answer shares a word with the question (pure): a yes/no has no span for an answer,
    and a span naming something else ("le Paris Saint-Germain" for "L'OL a-t-il battu Wolfsburg ?",
    "Wikinews" for "La Fondation Wikimedia a-t-elle réagi…") is noise in front of the evidence; one
    on what is asked ("collision inévitable" for "La collision … a-t-elle déjà eu lieu ?") is not."""
    from index.french import tokenize

    return bool(set(tokenize(answer)) & set(tokenize(question)))


def lead_with(fact: Draft, shaped: Draft, question: str | None = None) -> Draft:
    """``shaped`` with ``fact`` (the reader's draft) in front, unless ``fact`` abstained or its short
    answer is already in the shaped text (or, for a yes/no, says nothing of ``question``: then not
    its short answer either); ``short_answer`` is the reader's otherwise."""
    from rag.shaped.text import runs_over_sentences

    if fact.abstained or not fact.citations or not fact.short_answer or runs_over_sentences(fact.short_answer):
        return shaped
    if shaped.shape == "yesno" and question is not None and not about(fact.short_answer, question):
        return shaped
    if normalise(fact.short_answer) in normalise(_MARK.sub("", shaped.text)):
        return dataclasses.replace(shaped, short_answer=shaped.short_answer or fact.short_answer)
    if ONE_LEAD and len(fact.citations) > 1:
        fact = first_answer(fact)
    if CAUSAL_LEAD and shaped.shape in ("cause", "manner") and not gives_reason(fact, shaped.shape == "manner"):
        return shaped
    lead = [dataclasses.replace(c, n=i) for i, c in enumerate(fact.citations, 1)]
    fact_text = remark(fact.text, {c.n: i for i, c in enumerate(fact.citations, 1)})
    cites, mapping = cite_after(lead, shaped.citations)
    body = remark(shaped.text, mapping)
    return dataclasses.replace(
        shaped, text=fact_text.strip() + "\n\n" + body.strip(), citations=tuple(cites),
        short_answer=fact.short_answer, timings_ms={**shaped.timings_ms, **{f"reader_{k}": v for k, v in
                                                                          (fact.timings_ms or {}).items()}})

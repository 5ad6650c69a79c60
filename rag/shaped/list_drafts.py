"""List drafts read off one sentence: the reader's answer widened to the enumeration holding it
(rag/shaped/enumeration.items_of), the reader's answers shown as items when there is none, and the
list builder's items merged after an enumeration's. Pure functions over rag.answerers.Draft.
"""
from __future__ import annotations

import dataclasses
import re
from typing import Sequence

from rag.answerers import Draft
from rag.shaped.enumeration import MAX_WORDS, items_of
from rag.shaped.item_names import _named, _names_in, named_item
from rag.shaped.text import BULLET, MAX_PARTS, bullet_item, last_sentence, quoted


def _answers(fact: Draft) -> list[tuple[str, object]]:
    """(short answer, its citation) of each of the reader's answers, best first (pure)."""
    if fact.answers and len(fact.answers) == len(fact.citations):
        return [(a, c) for a, c in zip(fact.answers, fact.citations) if a]
    return [(fact.short_answer, fact.citations[0])] if fact.short_answer and fact.citations else []


def item_lines(quote: str, items: Sequence[tuple[int, int]], n: int) -> list[str]:
    """"• item" lines of ``items`` (offsets in ``quote``), all cited by marker ``n``; the first shows
    its place in the quotation (pure)."""
    (a0, b0), rest = items[0], items[1:]
    return [f"{BULLET}{quote[a0:b0]} — {quoted(quote, a0, b0 - a0, 160)} [{n}]",
            *(f"{BULLET}{quote[a:b]} [{n}]" for a, b in rest)]


def enumerated(fact: Draft, names: bool = False) -> Draft | None:
    """A list draft from the reader's ``fact`` draft when one of its answers (the best first) is one
    item of an enumeration in its cited sentence; None otherwise (pure). With ``names`` (the
    question asks for names), only capitalised items count: "leur meilleure buteuse, les bleues…"
    is no list of teams."""
    if fact.abstained or not fact.citations:
        return None
    for answer, c in _answers(fact):
        at = c.quote.find(answer)
        if at < 0:
            continue
        items = items_of(c.quote, at, at + len(answer))
        if names:
            items = [(a, b) for a, b in items if named_item(c.quote[a:b])]
        if len(items) < 2:
            continue
        cite = dataclasses.replace(c, n=1)
        a0, b0 = items[0]
        return Draft("\n".join(item_lines(c.quote, items, 1)), (cite,), False, c.quote[a0:b0], fact.related, fact.timings_ms,
                     fact.reranked, shape="list")
    return None


# a name's capital, after its article if any ("le PSG", "L'Isle"; not "L'organisme Racines")
_CAPITAL_AFTER_ARTICLE = re.compile(r"^(?:(?:[Ll]es|[Ll]e|[Ll]a)\s+|[Ll]['’]\s*)?(?![Ll]['’])(?!(?:Les|Le|La)\s)[A-ZÀ-ÝŒ0-9]")
# a question asking for one thing ("Quelle équipe détenait…", "which team…")
_ONE_ASKED = re.compile(r"\b(?:quel|quelle|lequel|laquelle)\b|\bwhich\s+(?!of\b)[a-z]+(?<!s)\s", re.IGNORECASE)


def _joined_by_its_language(quote: str, first: tuple[int, int], second: tuple[int, int]) -> bool:
    """The two items are joined by a word of the sentence's language: "et" in French ("le Milan
    Cricket and Football Club" is one English name in a French sentence) (pure)."""
    from rag.question import is_english

    joint = quote[first[1]:second[0]].lower().split()
    return bool(joint) and joint[0] in (("and", "or") if is_english(quote) else ("et", "ou"))


def several(fact: Draft | None, names: bool = False, question: str = "") -> Draft | None:
    """A fact question whose answer is several names, shown as the list it is (pure): when the
    question asks for names and the reader's best span itself holds three names or more of an
    enumeration ("Qui a marqué les buts ?" -> "Artak Grigorian, Varazdat Haroyan et Georg Ghazarian"),
    or two that both start like a name ("Qui a fondé la foire ?" -> "Albert Gassier et René Légier";
    not "L'organisme Racines et Confluences", one organisation) unless the ``question`` asks for one
    ("Quelle équipe…" -> "Liverpool et la Juventus" stays the reader's answer), the enumeration's
    items, each cited, with the reader's whole span kept as the short answer. None otherwise (one
    item, no enumeration)."""
    if not names or fact is None or fact.abstained or not fact.citations or not fact.short_answer:
        return None
    c = fact.citations[0]
    at = c.quote.find(fact.short_answer)
    if at < 0:
        return None
    end = at + len(fact.short_answer)
    inside = [(a, b) for a, b in items_of(c.quote, at, end) if at <= a and b <= end]
    # names only: the reader's span "une forte inclinaison des gradins et un large toit" or "le Milan
    # Cricket and Football Club" is one answer, not a list
    if len(inside) < 2 or not all(named_item(c.quote[a:b]) for a, b in inside):
        return None
    if len(inside) == 2 and (_ONE_ASKED.search(question) or not _joined_by_its_language(c.quote, *inside)
                             or not all(_CAPITAL_AFTER_ARTICLE.match(c.quote[a:b]) for a, b in inside)):
        return None
    listed = enumerated(dataclasses.replace(fact, answers=()), names)
    return dataclasses.replace(listed, short_answer=fact.short_answer) if listed else None


def as_list(fact: Draft | None, names: bool = False) -> Draft | None:
    """The reader's answers to a list question, one item each with its cited sentence, when neither
    an enumeration nor the list builder gives the items: the question asked for a list, and the
    answer is shown as one, even of one item (pure). None when the reader abstained, or when
    ``names`` are asked for and the reader found none."""
    if fact is None or fact.abstained or not fact.citations:
        return None
    # of a span running over two sentences, an item of things is what the last one says (names are read
    # out of it below): "… en processus de supernova. La première, KSN 2011a"
    pairs = [(a, c) if names else (last_sentence(a), c) for a, c in _answers(fact) if not names or _named(a)]
    if names:  # "Yulia Surikova remporte ce championnat du monde. La troisième place revient à Romana Slavinec":
        # the names in it
        pairs = [(n, c) for a, c in pairs for n in (_names_in(a) if len(a.split()) > MAX_WORDS else [a])]
    if not pairs:
        return None
    lines, seen, used = [], set(), set()
    for answer, c in pairs[:MAX_PARTS]:
        key = " ".join(answer.lower().split())
        if key in seen:
            continue
        seen.add(key)
        used.add(c.n)
        at = max(0, c.quote.find(answer))
        lines.append(f"{BULLET}{answer} — {quoted(c.quote, at, len(answer), 160)} [{c.n}]")
    return dataclasses.replace(fact, text="\n".join(lines), shape="list",
                               citations=tuple(c for c in fact.citations if c.n in used))


APPEND_LISTED = True  # the list builder's other items follow (same figures on both fit sets; keeps its recall)
# … only those cited by the enumeration's own sentence: a name the list builder found in another
# sentence is near the topic more often than it is one more item (fit and dev sets, see merged()).
SAME_SENTENCE = True


def merged(enum: Draft | None, listed: Draft | None) -> Draft | None:
    """The enumeration's items, then (``APPEND_LISTED``) the list builder's items it lacks, cited by
    the enumeration's sentence (``SAME_SENTENCE``), their markers renumbered after its citation (pure).
    Either may be None."""
    if enum is None or listed is None or listed.abstained:
        return enum or listed
    if not APPEND_LISTED:
        return enum
    from index.french import fold
    from rag.lead import cite_after, remark

    def name(line: str) -> str:
        return fold(bullet_item(line))

    def inside(line: str) -> bool:  # every marker of the line cites the enumeration's sentence
        own = {c.n: c for c in listed.citations}
        marks = [own.get(int(m)) for m in re.findall(r"\[(\d+)\]", line)]
        return bool(marks) and all(c is not None and any(c.article_id == e.article_id and c.start < e.end
                                                         and e.start < c.end for e in enum.citations)
                                   for c in marks)

    lines = enum.text.split("\n")
    names = [name(line) for line in lines]
    cites, mapping = cite_after(enum.citations, listed.citations)
    for line in listed.text.split("\n"):
        n = name(line)
        if n and not any(n in x or x in n for x in names) and len(lines) < MAX_PARTS and \
                (not SAME_SENTENCE or inside(line)):
            lines.append(remark(line, mapping))
            names.append(n)
    text = "\n".join(lines)
    used = sorted({int(m) for m in re.findall(r"\[(\d+)\]", text)})
    renum = {old: new for new, old in enumerate(used, 1)}
    cites = [dataclasses.replace(c, n=renum[c.n]) for c in cites if c.n in renum]
    return dataclasses.replace(enum, text=remark(text, renum), citations=tuple(sorted(cites, key=lambda c: c.n)))

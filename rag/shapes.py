"""The shape of the answer a question asks for, French and English (pure functions, no model).

- ``fact``: one fact (qui, quand, combien…): today's short-answer path;
- ``list``: several items ("Quels dirigeants ont assisté au défilé ?", "Which countries…",
  "Who attended…");
- ``summary``: "Résume…", "Que sait-on de…", "What happened at…";
- ``cause``: "Pourquoi…", "Pour quelle raison…", "Why…";
- ``manner``: "Comment … a-t-il réagi ?", "How did…";
- ``said``: "Qu'a déclaré…", "What did … say?": quotations with their speaker;
- ``timeline``: "Chronologie de…", "Que s'est-il passé depuis…", "What happened since…";
- ``yesno``: "Trump a-t-il assisté au défilé ?", "Did Trump attend…?".

The shape decides which builder answers (rag/engine.py); ``fact`` keeps the configured answerer. The
words that mark each shape are in rag/shape_patterns.py.
"""
from __future__ import annotations

import re
from functools import lru_cache
from typing import Iterator

from rag.nominal_question import _FINITE_FR, _NOMINAL_LIST, _NOT_ITEMS, _NOT_PLURAL, _PODIUM, _WH_EN, _nominal_list
from rag.shape_patterns import (_BETWEEN, _CAUSE, _EN_PLURAL_Q, _LIST, _MANNER, _NAME_Q, _SAID, _SUMMARY,
                                 _TIMELINE)
from rag.typed import OPENER, WHETHER, courtesy_span, normalised, strip_opener  # noqa: F401 (strip_opener: public here too)
from rag.yesno_question import (_INSERTED_RELATIVE, _LEADING, _YESNO_EN, _YESNO_FR, _asks_fr, _has_qword_fr,
                                _without_relatives)

FACT, LIST, SUMMARY, CAUSE, MANNER, SAID, TIMELINE, YESNO = (
    "fact", "list", "summary", "cause", "manner", "said", "timeline", "yesno")
SHAPES = (FACT, LIST, SUMMARY, CAUSE, MANNER, SAID, TIMELINE, YESNO)


def _is_list(q: str) -> bool:
    if _LIST.search(q):
        # "Quelles sont les raisons…" is a cause; "quels" + a time or quantity asks for one fact
        if re.search(r"\bquel(?:le)?s (?:jours?|dates?|annees?|heures?)\b", q):
            return False
        return True
    m = _EN_PLURAL_Q.search(q)
    if m:
        last = (m.group(1) or m.group(2)).split()[-1]
        return last not in _NOT_PLURAL and not last.endswith("ss")
    return False


# "Le match Lyon-Nice a bien été reporté ?": a statement to confirm
_CONFIRM = re.compile(r"\b(?:a|ont|est|sont|etait|etaient|avait|avaient|sera|seront|va|vont)(?:-t-(?:il|elle|ils|elles))?"
                      r" (?:bien|vraiment|deja|finalement|toujours) ")


_TOPIC_COLON = re.compile(r"^[^:?]{3,}?\s*:\s+(?=\S)")


def _after_topic(question: str) -> str | None:
    """The question after a leading topic and a colon ("Sonde Juno : les grandes étapes… ?" -> "les
    grandes étapes… ?"), when there is one and it is more than a word or two; else None (pure)."""
    m = _TOPIC_COLON.match(question.strip())
    if not m:
        return None
    tail = question.strip()[m.end():]
    return tail if len(tail.split()) >= 3 else None


_RELATIVE_START = re.compile(r"(?:qui|dont|lequel|laquelle|lesquels|lesquelles|who|whom|which|that|where|when|"
                             r"whose|et|and|ou|or|mais|but|selon|according)\b", re.IGNORECASE)


TOPIC_COMMAS = 8  # commas a topic put first may hold: past them, a string of commas is no spoken topic


def _after_comma(question: str) -> Iterator[str]:
    """The questions after each comma of ``question`` whose part before holds no question word (a topic
    put first, as spoken: "Le maire qui avait refusé…, qu'a-t-il écrit ?", "the mayor of calais, is he
    running again"), when they are more than a word or two and do not open with a relative or a
    conjunction; "En quelle année, Yamina a été ministre ?" has none. Lazily, first comma first, the
    first ``TOPIC_COMMAS`` only (pure)."""
    for k, m in enumerate(re.finditer(r",\s*", question)):
        head, tail = normalised(question[:m.start()]), question[m.end():].strip()
        if k == TOPIC_COMMAS or _has_qword_fr(_without_relatives(head)) or _WH_EN.search(head) \
                or OPENER.match(head) or re.search(r"\bce qu", head):
            return
        if len(tail.split()) >= 3 and not _RELATIVE_START.match(tail):
            yield tail


def _last_sentence(question: str) -> str | None:
    """The last sentence of a question written in several ("What's the backstory of X? Take me
    through…"), when there are several and it is more than a word or two; else None (pure)."""
    parts = [p for p in re.split(r"(?<=[?!.])\s+(?=\S)", question.strip()) if p.strip()]
    return parts[-1] if len(parts) > 1 and len(parts[-1].split()) >= 3 else None


@lru_cache(maxsize=4096)  # pure; a question is read again through its parts (after a colon, a comma, a sentence)
def classify(question: str, topic_commas: bool = True) -> str:
    """The shape of the answer ``question`` asks for (one of :data:`SHAPES`); ``topic_commas`` False:
    without reading what follows a comma as the question (:func:`_after_comma` reads each of them
    itself, so the part after a comma is not read through its own commas again)."""
    q = normalised(question)
    a, b = courtesy_span(q)
    q = q[a:b].strip(" ,") or q
    if not q:
        return FACT
    shape = _shape(q)
    if shape in (FACT, YESNO):  # "Could you…", "Je me demande…": the question after the opener decides
        m = OPENER.match(q)
        inner = q[m.end():] if m else q
        if inner != q and inner:
            if WHETHER.match(inner) or "confirm" in m.group(0) and re.match(r"(?:que|qu'|that)\b", inner):
                return YESNO
            shape, q = _shape(inner), inner
    if shape == FACT and (tail := _last_sentence(question)) is not None and (inner := classify(tail)) != FACT:
        return inner  # "C'est pas le premier incident, si ? Retrace-moi ceux d'avant": the request comes last
    if shape == MANNER and (tail := _last_sentence(question)) is not None \
            and (inner := classify(tail)) in (TIMELINE, SUMMARY, SAID):
        return inner  # "Comment on en est arrivé là ? Retrace les étapes.": the request decides
    if shape == YESNO and (tail := _last_sentence(question)) is not None \
            and (inner := classify(tail)) not in (FACT, YESNO):
        return inner  # "Did the mayor comment on the flooding? What did he say?": the question asked last
    if shape in (FACT, LIST) and (tail := _after_topic(question)) is not None:
        # "Mort de René Préval en mars 2017 : qu'ont écrit Temer et Moïse…": the question after the topic decides
        inner = classify(tail)
        if inner != FACT:
            return inner
    # "Le communiqué de l'Élysée, qu'est-ce qu'il disait ?": the question after the topic decides
    if shape == FACT and topic_commas:
        for tail in _after_comma(question):
            if (inner := classify(tail, False)) != FACT:
                return inner
    if shape == FACT and (_nominal_list(q, question.lower()) or _PODIUM.search(q)):
        return LIST
    asked = re.sub(r"\s*\([^()]*\)\s*$", "", question.rstrip())  # "… ? (annonce du 18 décembre)"
    if shape == FACT and asked.endswith("?") and not _has_qword_fr(_without_relatives(q)) and not _WH_EN.search(q):
        typed = _without_relatives(asked.lower())
        if _CONFIRM.search(q) or not re.match(r"(?:and |the |a |q)", q) and (_FINITE_FR.search(typed) or
                                                                           re.match(r"c'(?:est|était) ", typed)) \
                and not re.search(r"\bqu'", _without_relatives(q)):
            return YESNO
        if _NOMINAL_LIST.match(q) and not _NOT_ITEMS & set(q.split()[:4]) and not re.search(r"\b(?:il|elle|ils|elles)\b", q):
            return LIST
    if shape in (CAUSE, MANNER) and re.match(r"(?:et )?est-ce qu", q) and not re.search(r"\b(?:pourquoi|raisons?|motifs?|why)\b", q):
        return YESNO  # "Est-ce que la découverte explique d'où viennent ces galaxies ?": whether, not whence
    if shape == FACT and re.match(r"(?:any chance|est-il vrai que|is it true that|c'est (?:vrai|exact) que)\b", q):
        return YESNO
    if shape == FACT and re.match(r"(?:il )?y (?:a|avait) (?:eu )?(?:des|du|de la|un|une|quelqu)\b", q) and not _has_qword_fr(q):
        return YESNO  # "y a eu des bagarres entre supporters…": whether there were
    if shape == FACT and (m := _LEADING.match(question)) and not _has_qword_fr(normalised(m.group(0))) \
            and not _WH_EN.search(normalised(m.group(0))) and classify(question[m.end():]) == YESNO:
        return YESNO
    return shape


def _shape(q: str) -> str:
    """The shape of a normalised question (:func:`rag.typed.normalised`), openers included."""
    if _TIMELINE.search(q) or _BETWEEN.search(q) and re.search(r"\b(?:19|20)\d\d\b", q):
        return TIMELINE
    if _SUMMARY.search(q):
        return SUMMARY
    if _CAUSE.search(q):
        return CAUSE
    if _SAID.search(q):
        return SAID
    # "Did Washington comment on…": the English verb, not French "comment"
    if _MANNER.search(re.sub(r"\bcomment\b", "remark", q) if _YESNO_EN.match(q) else q) and not _NAME_Q.search(q):
        return MANNER
    if _is_list(q):
        return LIST
    if re.match(r"(?:et\s+)?(?:est-ce\b|y a-t-il|y avait-il)", q) or re.search(r"\b(?:ou pas|ou non|or not)$", q) or \
            re.search(r"\b(?:ou pas|ou non|or not)\b", q) and not _has_qword_fr(re.sub(r"\bou (?:pas|non)\b", "", q)) \
            and not _WH_EN.search(q):
        return YESNO
    if _YESNO_EN.match(q) or (_YESNO_FR.match(q) and not _asks_fr(q)):
        return YESNO
    bare = _INSERTED_RELATIVE.sub("", q)  # "le rover, qui a fêté…, fonctionne-t-il"
    if bare != q and _YESNO_FR.match(bare) and not _asks_fr(bare):
        return YESNO
    return FACT


if __name__ == "__main__":  # pragma: no cover
    import sys

    print(classify(" ".join(sys.argv[1:])))

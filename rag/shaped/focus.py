"""Yes/no questions that put one name in focus ("Est-ce bien Donald Trump qui a ordonné la frappe ?",
"C'est le préfet qui a interdit la manifestation ?", "Was it the minister who ordered…?"): the
question is the who/what question it hides ("Qui a ordonné la frappe ?"), and the corpus says "oui"
when the trained reader's answer to that question names the one in focus. A reader's answer naming
someone else does not make a "non" (several may have done it): the answer then stays "not said in
these terms" with its deciding sentences. Pure, but for :func:`confirmed_by_reader`.
"""
from __future__ import annotations

import re

from index.french import _FOLDED_STOP, fold

_LEAD = r"^(?P<lead>[^?]{3,100}?,\s*)?"  # "D'après le bilan publié en février, est-ce l'Espagne qui…"
_FR = re.compile(_LEAD + r"\s*(?:(?:et|alors|donc)\s+)?(?:est-ce\s+(?:bien\s+|vraiment\s+)?(?:que\s+|qu['’])?)?"
                 r"c['’]est\s+(?:bien\s+|vraiment\s+)?(?P<x>[^?,]{2,60}?)\s+qu(?:i\s+|['’])(?P<rest>[^?]{4,})\??\s*$"
                 r"|^(?P<lead2>[^?]{3,100}?,\s*)?\s*(?:(?:et|alors|donc)\s+)?est-ce\s+(?:bien\s+|vraiment\s+)?(?!que\b|qu['’])(?P<x2>[^?,]{2,60}?)\s+qui\s+"
                 r"(?P<rest2>[^?]{4,})\??\s*$", re.IGNORECASE)
_EN = re.compile(_LEAD + r"\s*(?:and\s+)?(?:is|was)\s+it\s+(?:really\s+|actually\s+|indeed\s+)?(?P<x>[^?,]{2,60}?)\s+"
                 r"(?:who|that|which)\s+(?P<rest>[^?]{4,})\??\s*$", re.IGNORECASE)
_NOT_FOCUS = re.compile(r"^(?:vrai|true|possible|certain|sûr|sur|confirmé|confirmed|normal|quoi|qui|what|who)\b",
                        re.IGNORECASE)


def focus_question(question: str, english: bool) -> tuple[str, str] | None:
    """(the one in focus, the who/what question the yes/no question hides), or None when the question
    puts no one in focus ("Est-ce vrai que…", "Is it true that…" are plain yes/no questions)."""
    from rag.typed import strip_opener

    m = (_EN if english else _FR).match(strip_opener(question))
    if not m:
        return None
    g = {k: v for k, v in m.groupdict().items() if v}
    x, rest, lead = g.get("x", g.get("x2", "")).strip(), g.get("rest", g.get("rest2", "")).strip(), \
        g.get("lead", g.get("lead2", ""))
    if not x or _NOT_FOCUS.match(x) or not content_words(x):
        return None
    # who for a name, a role or a body ("le préfet", "the minister"); what for a thing ("un accident")
    who = x[:1].isupper() or re.match(r"(?:le|la|les|the)\s|l['’]", x, re.IGNORECASE) is not None
    word = ("who" if who else "what") if english else ("qui" if who else "qu'est-ce qui")
    if not lead:
        word = word[:1].upper() + word[1:]
    return x, f"{lead}{word} {rest}" + ("?" if english else " ?")


def content_words(text: str) -> set[str]:
    """The folded words of ``text`` that name something (not articles, prepositions, "bien")."""
    return {w for w in (fold(t) for t in re.findall(r"[\w-]+", text))
            if len(w) > 2 and w not in _FOLDED_STOP and w not in {"bien", "vraiment", "the", "really"}}


_HEAD_END = re.compile(r",|\s(?:qui|que|qu['’]|dont|où|who|which|that|whose)\s|\s[-–(]", re.IGNORECASE)


def names_the_focus(focus: str, answer: str) -> bool:
    """The reader's answer names the one in focus: every word naming it is in the answer's head, before
    a comma or a relative clause ("Trump" in "le président américain Donald Trump"; "Le Pen" is not in
    the head of "Florian Philippot, qui est le numéro deux de Marine Le Pen"; "l'Espagne" is not
    "l'Allemagne")."""
    m = _HEAD_END.search(answer)
    want, got = content_words(focus), content_words(answer[:m.start()] if m else answer)
    return bool(want) and want <= got


def confirmed_by_reader(corpus, question: str, english: bool, k: int):
    """The reader's answer (rag Draft) to the who/what question hidden in a focus yes/no question,
    asked of the ``k`` passages found for that question (not for the yes/no question, whose passages
    are those naming the one in focus, right or wrong), when it names the one in focus; else None."""
    focus = focus_question(question, english)
    engine = getattr(corpus, "engine", None)
    if focus is None or engine is None or not getattr(engine.answerer, "typed_question", False):
        return None
    from rag.question import Question

    x, wh = focus
    hits = corpus.search(wh, k, english)
    fact = engine.answerer(Question.of(wh, wh), hits) if hits else None
    if fact is None or fact.abstained or not fact.citations or not names_the_focus(x, fact.short_answer or ""):
        return None
    return fact


"""Whether a question asks yes or no, and what does not count against it (pure): the French inversion
("Trump a-t-il assisté au défilé ?"), "est-ce que", English auxiliaries, and what may stand around
them without asking for a fact: a relative clause in the subject ("La journaliste qui a pu voter…
a-t-elle été poursuivie ?"), a conjunction ("quand il est devenu président"), a leading phrase of
time or place ("En mars 2017, Theresa May estimait-elle…"). Used by rag/shapes.py on normalised
questions (rag/typed.normalised).
"""
from __future__ import annotations

import re

_QWORDS_FR = r"(?:qui|que|qu'|quoi|quand|ou|d'ou|quel|quelle|quels|quelles|combien|comment|pourquoi|lequel|laquelle)"
_YESNO_FR = re.compile(
    r"^\s*(?:et\s+)?(?:est-ce qu[e']|est-ce que|y a-t-il|y avait-il)"
    r"|^\s*(?:et\s+)?[\w' .&+-]+?\s+(?:[\w'-]+-t-(?:il|elle|on|ils|elles)|[\w'-]+-(?:il|elle|ils|elles|on))\s+[\w']"
    r"|^\s*(?:et\s+)?[\w']+-(?:t-)?(?:il|elle|ils|elles)\s+[\w']")
_YESNO_EN = re.compile(r"^\s*(?:and\s+)?(?:did|does|do|is|are|was|were|has|have|had|can|could|will|would|should)"
                       r"(?:n't|nt)?\s|^\s*(?:and\s+)?(?:isn't|aren't|wasn't|weren't|won't|can't|don't)\s")


def _has_qword_fr(q: str) -> bool:
    return bool(re.search(rf"(?:^|[\s,])(?:{_QWORDS_FR})(?=[\s,']|$)", q))


_PREPS = {"a", "de", "d'", "pour", "par", "avec", "chez", "sur", "contre", "en", "vers", "sans", "selon", "dans", "et",
          "ou", "c'est", "est-ce", "sait", "savoir", "dis", "dites"}
_RELATIVE_AFTER = re.compile(r"(?<=[\w)]) (?:qui|que|qu'|dont)(?=[ \w])")
# "quand il est devenu président": a conjunction, not "when?"
_CONJUNCTION = re.compile(r"(?<=\w\w )(?<!depuis )(?<! de )(?:quand|lorsqu'|si) "
                          r"(?=(?:il|elle|ils|elles|on|je|j'|nous|vous)\b)")  # not "c'est quand la finale"


_INSERTED_RELATIVE = re.compile(r", (?:qui|que|qu'|dont) [^,]*,")  # "le rover, qui a fêté ses 12 ans, fonctionne-t-il"


def _without_relatives(q: str) -> str:
    """``q`` (normalised) without its relative clauses ("la journaliste qui a pu voter… a-t-elle",
    "le rover, qui a fêté ses 12 ans, fonctionne-t-il") and conjunctions ("quand il est devenu"): a
    "qui" after a noun, up to the next comma, is no question word (pure)."""
    q = _INSERTED_RELATIVE.sub("", q)
    out, at = [], 0
    for m in _RELATIVE_AFTER.finditer(q):
        before = q[:m.start()].split()
        if len(before) < 2 or before[-1] in _PREPS or _has_qword_fr(before[-1]):
            continue
        out.append(q[at:m.start()])
        nxt = q.find(",", m.end())
        at = len(q) if nxt < 0 else nxt
    return _CONJUNCTION.sub("", "".join(out) + q[at:])  # not the question's own "Quand", "Depuis quand"


def _asks_fr(q: str) -> bool:
    """A French question with an inverted verb asks for a fact, not yes or no: a question word before
    the verb ("Quand la loi a-t-elle…", "la loi de quel pays a-t-elle…") or left in place after it
    ("Les élections sont-elles prévues quand ?"); relative clauses do not count (pure)."""
    subject, *rest = re.split(r"-(?:t-)?(?:il|elle|ils|elles|on)\b", q, maxsplit=1)
    if rest and re.search(rf"(?:^|\s)(?:{_QWORDS_FR})\s*$", rest[0]):
        return True
    if rest and re.search(r"(?:^|[\s,:])qu'(?:y )?\w+$", subject):  # "qu'ont-ils décidé", "qu'y a-t-il"
        return True
    return _has_qword_fr(_without_relatives(subject))


# "In the Rio final, did the coach…", "Après le vote, est-ce que…", "En mars 2017, Theresa May
# estimait-elle…": a leading phrase, then the question
_LEADING = re.compile(r"^\s*(?:in|at|on|after|before|during|since|following|en|au|aux|a|à|apres|après|avant|lors|pendant|"
                      r"depuis|dans|selon|d'apres|d'après|le|la|les|l'|des|pour|face|suite)\b[^,?]{2,}?,\s*(?=\S)", re.IGNORECASE)

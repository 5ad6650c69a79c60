"""A question's facts, computed once per question and passed to every stage (pure).

``text`` is what the user typed (cleaned); ``search`` the standalone question actually searched
(a follow-up completed from the conversation); ``english`` its language; ``period`` a period the
question names ("en mars 2017"); ``plural`` whether it asks for several things ("Quels
dirigeants…", "Which countries…"); ``gloss`` French words for an English question (BM25 has
nothing else to match in French articles).
"""
from __future__ import annotations

import re
from dataclasses import dataclass

_EN = {"who", "what", "when", "where", "which", "how", "why", "did", "does", "the", "is", "was",
       "many", "much", "whom", "whose", "are", "were", "has", "have", "in", "of", "to"}
_FR = {"qui", "que", "quoi", "quand", "où", "quel", "quelle", "quels", "quelles", "combien",
       "comment", "pourquoi", "le", "la", "les", "est", "a", "de", "du", "des", "en", "et"}
_PLURAL = re.compile(r"\b(?:quels|quelles|lesquels|lesquelles|qui\s+(?:sont|ont|étaient|avaient)|"
                     r"which\s+\w+s\b|who\s+(?:were|are|have)|what\s+\w+s\s+(?:were|are|did|have))",
                     re.IGNORECASE)


def is_english(question: str) -> bool:
    words = re.findall(r"[a-zA-Z']+", question.lower())
    return sum(w in _EN for w in words) > sum(w in _FR for w in words)


@dataclass(frozen=True)
class Question:
    text: str
    search: str
    english: bool = False
    period: tuple[str, str] | None = None
    plural: bool = False
    gloss: str = ""

    @classmethod
    def of(cls, text: str, search: str | None = None) -> "Question":
        from rag.dates import period_in

        search = search or text
        english = is_english(text)
        gloss = ""
        if english:
            from rag.glossary import to_french

            gloss = to_french(search)
        return cls(text=text, search=search, english=english, period=period_in(search),
                   plural=bool(_PLURAL.search(text)), gloss=gloss)

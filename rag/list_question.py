"""A nominal list question asked as the question the list builder reads best ("victimes de l'accident
?" -> "Quelles victimes de l'accident ?"): used by the engine before it searches (pure)."""
from __future__ import annotations

import re

from index.french import fold
from rag.nominal_question import _NOMINAL_LIST, _nominal_list
from rag.shapes import LIST, classify
from rag.typed import normalised

_SPOKEN_LIST = re.compile(r"^(?:et\s+)?c['’]?\s*(?:est|était|etait)\s+qui\s+(les\s+.+)$", re.IGNORECASE)
_SPOKEN_LIST_END = re.compile(r"^(?:et\s+)?(les\s+.+?),?\s+c['’](?:est|était|etait)\s+qui\s*\??$", re.IGNORECASE)
_LEAD_IN = re.compile(r"^\s*(?:(?:et|and)\s+)?(?:(?:noms?|names?) (?:des|de|du|d'|of(?: the)?)\s*|(?:les|des|tous les|toutes les|"
                      r"the|all the|all)\s+)?", re.IGNORECASE)
_FEMININE = re.compile(r"(?:ions|tes|ees|ies|ures|ances|ences|ettes|elles|ines|ires|ales)$")


def list_question(question: str) -> str | None:
    """A nominal list question asked as the question the list builder reads best ("victimes de l'accident
    ?" -> "Quelles victimes de l'accident ?", "players injured before the final?" -> "Which players
    injured before the final?", "Tempête Ciara : communes privées d'électricité ?" -> "Quelles communes
    privées d'électricité ? (Tempête Ciara)"): the kind of item after "quels"/"which", the predicate its
    first verb; None for any other question (pure)."""
    from rag.question import is_english

    if classify(question) != LIST:  # most questions: nothing more to read
        return None
    q = normalised(question)
    spoken = _SPOKEN_LIST.match(question.strip()) or _SPOKEN_LIST_END.match(question.strip())
    if spoken:  # "c'est qui les ministres qui ont démissionné", "les accusés, c'est qui ?"
        question = spoken.group(1)
    elif not (_nominal_list(q, question.lower()) or _NOMINAL_LIST.match(q)
              or re.match(r"(?:et |and )?(?:noms? (?:des|de|du|d')|names? of)", q)):
        return None
    parts = re.split(r"\s*:\s+| [–—-] ", question)
    topic, body = (" ".join(parts[:-1]), parts[-1]) if len(parts) > 1 else ("", question)
    body = _LEAD_IN.sub("", body.strip()).rstrip(" ?!.")
    head = fold(body.split(" ", 1)[0].lower())
    if not body:
        return None
    english = is_english(question)
    word = "Which" if english else "Quelles" if _FEMININE.search(head) else "Quels"
    return f"{word} {body}{'?' if english else ' ?'}" + (f" ({topic.strip()})" if topic.strip() else "")

"""Numbering of shaped answers' citations and the words that connect their parts (pure)."""
from __future__ import annotations

from dataclasses import replace

from depeche.types import Citation
from rag.compose import excerpt

MAX_PARTS = 5  # cited sentences or items in one answer: more is not read
BULLET = "• "


class Cites:
    """Citations in order of first use; citing the same span twice gives the same [n]."""

    def __init__(self) -> None:
        self.items: list[Citation] = []
        self._by: dict[tuple[str, int, int], int] = {}

    def add(self, c: Citation) -> int:
        key = (c.article_id, c.start, c.end)
        if key not in self._by:
            self._by[key] = len(self.items) + 1
            self.items.append(replace(c, n=self._by[key]))
        return self._by[key]

    def __len__(self) -> int:
        return len(self.items)


def quoted(quote: str, at: int = 0, length: int = 0, limit: int = 220) -> str:
    return f"« {' '.join(excerpt(quote, at, length, limit).split())} »"  # one line, even across paragraphs


def words(english: bool) -> dict[str, str]:
    if english:
        return {"said": "The corpus says so:", "not_said": "The corpus does not say so in these terms; "
                "the sentences that decide:", "no": "No, according to the corpus:",
                "yes": "Yes, according to the corpus:"}
    return {"said": "Le corpus le dit :", "not_said": "Le corpus ne le dit pas en ces termes ; "
            "les phrases qui en décident :", "no": "Non, selon le corpus :", "yes": "Oui, selon le corpus :"}

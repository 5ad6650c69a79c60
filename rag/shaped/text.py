"""Numbering of shaped answers' citations, the words that connect their parts, and how their dates
and excerpts are written (pure)."""
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


def bullet_item(line: str) -> str:
    """The item of a list line ("• Raqqa — « … » [1]" -> "Raqqa"), "" for a line that is no item (pure)."""
    return line[len(BULLET):].split(" — ")[0].split(" [")[0] if line.startswith(BULLET) else ""


def quoted(quote: str, at: int = 0, length: int = 0, limit: int = 220) -> str:
    return f"« {' '.join(excerpt(quote, at, length, limit).split())} »"  # one line, even across paragraphs


def words(english: bool) -> dict[str, str]:
    if english:
        return {"said": "The corpus says so:", "not_said": "The corpus does not say so in these terms; "
                "the sentences that decide:", "no": "No, according to the corpus:",
                "yes": "Yes, according to the corpus:"}
    return {"said": "Le corpus le dit :", "not_said": "Le corpus ne le dit pas en ces termes ; "
            "les phrases qui en décident :", "no": "Non, selon le corpus :", "yes": "Oui, selon le corpus :"}


# ---- dates and excerpts in answers -----------------------------------------------------------------
def excerpt_of(quote: str, limit: int = 260) -> str:
    return excerpt(quote, 0, 0, limit)


def article_day(iso: str | None, english: bool) -> str:
    import datetime as dt

    if not iso:
        return "date unknown" if english else "date inconnue"
    try:
        return day_words(dt.date.fromisoformat(iso), english)
    except ValueError:
        return iso


def day_words(d, english: bool) -> str:
    from rag.span_rules import render_date

    return render_date(d, english, weekday=False)


def event_when(d, grain: str, english: bool, hour: str | None = None) -> str:
    """A timeline date as precise as the sentence wrote it: "2 avril 2018", "novembre 1969", "1981";
    with the time of day of a one-day timeline ("HH:MM"): "1er décembre 2018, 8 h 45" / "…, 8:45"."""
    if hour:
        h, m = int(hour[:2]), hour[3:]
        return f"{day_words(d, english)}, {h}:{m}" if english else f"{day_words(d, english)}, {h} h {m}"
    if grain == "year":
        return str(d.year)
    if grain == "month":
        from rag.words import MONTHS_EN, MONTHS_FR

        return f"{(MONTHS_EN if english else MONTHS_FR)[d.month - 1]} {d.year}"
    return day_words(d, english)


def runs_over_sentences(span: str) -> bool:
    """The reader's span runs from one sentence into the next ("950 km de diamètre. 2014 UZ224 pourrait
    être trop petite"; not "selon M. Dupont"), by index/sentences.split_sentences: no short answer (pure)."""
    from index.sentences import split_sentences

    return len(split_sentences(span or "")) > 1


def last_sentence(span: str) -> str:
    """What the last of the sentences a span runs over says ("… de supernova. La première, KSN 2011a" ->
    "La première, KSN 2011a"); the span itself when it stays in one (pure)."""
    from index.sentences import split_sentences

    parts = split_sentences(span or "")
    return span[parts[-1][0]:] if len(parts) > 1 else span

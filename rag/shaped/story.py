"""Which articles tell one story: what a timeline gathers across dispatches.

An article is of the top article's story when it is dated near it, holds most of its title's words
(weighed by rarity) and names the story in its own title or lead; and it also holds most of the
question's words that the top article holds (the physics Nobel is not the chemistry one).
"""
from __future__ import annotations

import datetime as dt

from index.french import tokenize
from rag.shaped.corpus import Corpus
from rag.words import MONTHS_EN, MONTHS_FR

STORY_DAYS, STORY_WORDS = 400, 0.35
ASKED_SHARE = 0.4  # an article of a timeline's story holds this share of the asked words the lead article holds
LEAD_CHARS = 300  # an article's lead: where a dispatch says what it is about


_MONTHS = frozenset(tokenize(" ".join(MONTHS_FR + MONTHS_EN)))


class Stories:
    def __init__(self, corpus: Corpus) -> None:
        from rag.evidence import _LRU

        self.corpus = corpus
        self._stem_cache = _LRU(1_000)

    def same(self, aid: str, top: str, days: int = STORY_DAYS, share: float = STORY_WORDS) -> bool:
        """An article of the same story as ``top``: dated within ``days`` of it, and holding most of
        the words of its title (a timeline does not mix in another referendum or another Kim)."""
        if aid == top:
            return True
        a, b = self.corpus.article(aid), self.corpus.article(top)
        if a is None or b is None:
            return False
        try:
            if abs((dt.date.fromisoformat(a.date) - dt.date.fromisoformat(b.date)).days) > days:
                return False
        except (TypeError, ValueError):
            pass
        title = set(tokenize(b.title))
        if not title:
            return True
        # its text holds most of the title's words, and its own title or lead names the story
        # (an article on another referendum that mentions the words further down is not one);
        # words weigh by their rarity (idf): "Burundi" says which story, "pays" does not
        lead = set(tokenize(f"{a.title} {a.text[:LEAD_CHARS]}"))
        weight = self.idf(title)
        total = sum(weight.values()) or 1.0
        held = sum(w for t, w in weight.items() if t in self.stems(a))
        return held >= share * total and bool(title & lead)

    def asked_of(self, question: str, lead: str, english: bool, dated: bool = True) -> dict[str, float]:
        """The question's words that the lead article holds, weighed by rarity (idf); ``dated`` False:
        without the words of the period it names ("en mai 2016" is every article of that month's)."""
        from rag.glossary import with_french

        art = self.corpus.article(lead)
        if art is None:
            return {}
        words = set(tokenize(with_french(question, english))) & self.stems(art)
        if not dated:
            words = {w for w in words if not w.isdigit() and w not in _MONTHS}
        return self.idf(words)

    def holds(self, aid: str, asked: dict[str, float], share: float = ASKED_SHARE, least: int = 3) -> bool:
        """Whether article ``aid`` holds ``share`` of the asked words (by weight); True when there are
        fewer than ``least`` of them (too few to tell stories apart)."""
        art = self.corpus.article(aid)
        total = sum(asked.values())
        if art is None or len(asked) < least or not total:
            return True
        return sum(w for t, w in asked.items() if t in self.stems(art)) >= share * total

    def idf(self, stems: set[str]) -> dict[str, float]:
        try:
            return self.corpus.scorer.idf(sorted(stems))
        except Exception:  # noqa: BLE001 - no index statistics (a corpus made in code): plain counts
            return {t: 1.0 for t in stems}

    def stems(self, art) -> frozenset[str]:
        """The stems of an article's title and text (cached: a timeline checks a dozen articles)."""
        key = (art.id, art.date, len(art.text), hash(art.text[:200]))
        got = self._stem_cache.get(key)
        if got is None:
            got = frozenset(tokenize(f"{art.title} {art.text}"))
            self._stem_cache.put(key, got)
        return got

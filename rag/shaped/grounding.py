"""Which articles a shaped answer may draw from: those naming what the question names
(:meth:`Grounding.naming`) and stating the event a why or how question asks about
(:meth:`Grounding.stating`, rag/shaped/event.py). Each keeps the ranked sentences of the articles
that pass; an empty result means the corpus does not hold the answer. Mixed into
rag/shaped.ShapedAnswerer (needs ``self.corpus`` and ``self.stories``, whose cache of each article's
stems both filters and the story check read).
"""
from __future__ import annotations

from rag.shaped.corpus import Sent


class Grounding:
    def naming(self, question: str, ranked: list[Sent]) -> list[Sent]:
        """The sentences of the articles that miss fewest of the names the question writes, best
        first (all of them when the articles miss as many, or the question names nothing). A name is
        missed by its first word (rag/names.absent_names), then by its others: "Kim Jong-nam" is not
        "Kim Jong-un"."""
        from rag.names import absent_names, question_names

        names = question_names(question)
        missed: dict[str, tuple[int, int]] = {}
        for s in ranked:
            if s.article_id not in missed:
                art = self.corpus.article(s.article_id)
                if art is None:
                    missed[s.article_id] = (99, 99)
                    continue
                stems = self.stories.stems(art)
                missed[s.article_id] = (len(absent_names(question, [f"{art.title}\n{art.text}"], stems)),
                                        sum(not set(n) <= stems for n in names))
        least = min(missed.values(), default=(0, 0))
        return [s for s in ranked if missed[s.article_id] == least] or ranked

    def stating(self, question: str, ranked: list[Sent], english: bool) -> list[Sent]:
        """The sentences of the articles that state the event a why or how question asks about
        (rag/shaped/event.py): in its words, in other words the reader finds an answer in, or (French)
        in words of near meaning. None when no article does; all when the question's verb is unknown."""
        from rag.shaped.event import EVENT_MARGIN, event_of, paraphrased, states

        events = event_of(question, english)
        if not events:
            return ranked
        held: dict[str, bool] = {}
        for s in ranked:
            aid = s.article_id
            if aid in held:
                continue
            art = self.corpus.article(aid)
            if art is None or states(events, self.stories.stems(art)):
                held[aid] = art is not None
                continue
            margins = [x.margin for x in ranked if x.article_id == aid and x.margin is not None]
            # an article the reader did not read has no margin to show it answers
            held[aid] = (bool(margins) and max(margins) >= EVENT_MARGIN) or \
                (not english and paraphrased(question, art.text))
        return [s for s in ranked if held[s.article_id]]

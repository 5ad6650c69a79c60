"""Shaped answers over corpus/ (the seed dispatch 000_1597ff3a76891786), French and English, through
the real engine: lists, summaries, why/how, what was said, timelines, yes/no; every citation verbatim."""
from __future__ import annotations

import re

import pytest

from rag.shaped.corpus import is_debris

pytestmark = pytest.mark.model
SEED = "000_1597ff3a76891786"


def verbatim(engine, answer) -> None:
    assert answer.citations, answer.text
    spans = [(c.article_id, c.start, c.end) for c in answer.citations]
    assert len(spans) == len(set(spans)), answer.text  # a sentence is cited once, under one marker
    for c in answer.citations:
        assert engine.article(c.article_id).text[c.start:c.end] == c.quote
        assert f"[{c.n}]" in answer.text


def confirmed(engine, question: str, deciding: str) -> None:
    """The yes/no ``question`` is answered "Oui", first citing the sentence holding ``deciding``."""
    a = engine.ask(question)
    assert a.shape == "yesno" and a.text.startswith("Oui, selon le corpus"), a.text
    assert deciding in a.citations[0].quote
    verbatim(engine, a)


def items_of(text: str) -> list[str]:
    return [re.split(r" — | \[", ln[2:])[0] for ln in text.splitlines() if ln.startswith("• ")]


@pytest.mark.parametrize("question", ["Quels dirigeants ont assisté au défilé militaire à Pékin ?",
                                      "Which leaders attended the military parade in Beijing?",
                                      # typed as in a chat box: nominal, greeting and courtesy
                                      "dirigeants présents au défilé militaire à Pékin ?",
                                      "Hello, leaders attending the military parade in Beijing? Thanks"])
def test_parade_attendees_are_listed_each_cited_and_trump_is_not(corpus_engine, question):
    a = corpus_engine.ask(question)
    assert a.shape == "list" and not a.abstained
    items = items_of(a.text)
    for name in ("Xi Jinping", "Kim Jong Un", "Vladimir Poutine"):
        assert sum(name in it for it in items) == 1, a.text  # once, variants merged
    assert not any("Trump" in it for it in items)
    verbatim(corpus_engine, a)
    by_n = {c.n: c for c in a.citations}
    for line in a.text.splitlines():
        name, n = items_of(line)[0], int(re.findall(r"\[(\d+)\]", line)[-1])
        assert name in by_n[n].quote  # each item is in the sentence it cites


@pytest.mark.parametrize("question", ["Résume la dépêche sur la rencontre entre Xi Jinping et Kim Jong Un.",
                                      "What happened at the meeting between Xi Jinping and Kim Jong Un?"])
def test_summary_is_central_sentences_in_reading_order_without_captions(corpus_engine, question):
    a = corpus_engine.ask(question)
    assert a.shape == "summary" and not a.abstained
    verbatim(corpus_engine, a)
    seed = [c for c in a.citations if c.article_id == SEED]
    assert 3 <= len(seed) <= 5 and len(a.citations) <= 5
    assert [c.start for c in seed] == sorted(c.start for c in seed)
    assert not any(is_debris(c.quote) or "Fichier vidéo" in c.quote for c in a.citations)
    assert any("a rencontré jeudi à Pékin" in c.quote for c in seed)
    assert "4 septembre 2025" in a.text or "September 2025" in a.text  # the article's date


@pytest.mark.parametrize("question", ["Pourquoi Vladimir Poutine a-t-il remercié Kim Jong Un ?",
                                      "Why did Putin thank Kim Jong Un?"])
def test_why_putin_thanked_kim_quotes_the_cause(corpus_engine, question):
    a = corpus_engine.ask(question)
    assert a.shape == "cause" and not a.abstained
    assert "l'envoi de troupes nord-coréennes" in a.text
    assert a.short_answer and a.short_answer.startswith("pour l'envoi")
    verbatim(corpus_engine, a)


@pytest.mark.parametrize("question", ["Comment la Chine a-t-elle réagi aux propos de Donald Trump ?",
                                      "How did China react to Donald Trump's message?"])
def test_the_chinese_reaction_is_the_rejection_not_the_event(corpus_engine, question):
    a = corpus_engine.ask(question)
    assert a.shape == "manner" and not a.abstained
    quotes = " ".join(c.quote for c in a.citations)
    assert "Guo Jiakun a rejeté jeudi ces propos" in quotes or "sans jamais cibler un tiers" in quotes
    verbatim(corpus_engine, a)


def test_what_trump_wrote_is_quoted_with_its_speaker(corpus_engine):
    a = corpus_engine.ask("Qu'a écrit Donald Trump sur Truth Social ?")
    assert a.shape == "said"
    assert any("Veuillez transmettre mes salutations" in c.quote for c in a.citations)
    verbatim(corpus_engine, a)


@pytest.mark.parametrize("question", ["Donald Trump a-t-il assisté au défilé militaire ?",
                                      "Did Donald Trump attend the military parade in Beijing?"])
def test_yes_no_shows_the_deciding_sentences_never_a_bare_verdict(corpus_engine, question):
    a = corpus_engine.ask(question)
    assert a.shape == "yesno"
    assert not re.match(r"\s*(?:oui|non|yes|no)\b", a.text, re.IGNORECASE), a.text
    assert any("Les deux hommes avaient déjà assisté" in c.quote for c in a.citations)
    verbatim(corpus_engine, a)


def test_a_yes_no_putting_the_right_person_in_focus_is_confirmed_by_the_reader(corpus_engine):
    confirmed(corpus_engine, "Est-ce bien Xi Jinping qui a rencontré Kim Jong Un à Pékin ?",
              "Xi Jinping a rencontré")
    # the wrong person in focus is not confirmed (nor denied: others may have done it too)
    a = corpus_engine.ask("Est-ce bien Donald Trump qui a rencontré Kim Jong Un à Pékin ?")
    assert a.shape == "yesno" and not re.match(r"\s*(?:oui|non)\b", a.text, re.IGNORECASE), a.text
    # Putin thanked Kim, not the other way round: the one thanked is not confirmed as the one thanking
    a = corpus_engine.ask("Est-ce bien Kim Jong Un qui a remercié Poutine ?")
    assert not re.match(r"\s*(?:oui|non)\b", a.text, re.IGNORECASE), a.text


def test_a_yes_no_about_the_one_thanked_is_not_confirmed_by_the_thanks_they_received(corpus_engine):
    a = corpus_engine.ask("Kim Jong Un a-t-il remercié Vladimir Poutine ?")
    assert a.shape == "yesno" and not re.match(r"\s*(?:oui|non)\b", a.text, re.IGNORECASE), a.text
    assert any("qui l'a remercié" in c.quote for c in a.citations)  # the deciding sentence is still shown
    a = corpus_engine.ask("Vladimir Poutine a-t-il remercié Kim Jong Un ?")
    assert a.text.startswith("Oui, selon le corpus"), a.text
    verbatim(corpus_engine, a)


def test_timeline_orders_events_by_resolved_date(corpus_engine):
    a = corpus_engine.ask("Chronologie de la visite de Kim Jong Un à Pékin")
    assert a.shape == "timeline" and not a.abstained
    verbatim(corpus_engine, a)
    months = {"septembre": 9}
    days = [(int(m.group(3)), months[m.group(2)], int(m.group(1)))
            for m in re.finditer(r"^• (\d+)(?:er)? (septembre) (\d{4})", a.text, re.MULTILINE)]
    assert len(days) >= 2 and days == sorted(days), a.text


def test_ask_json_gives_the_shape(corpus_engine):
    assert corpus_engine.ask("Quels dirigeants ont assisté au défilé ?").to_json()["shape"] == "list"
    assert corpus_engine.ask("Qui a critiqué la rencontre ?").to_json()["shape"] == "fact"


@pytest.mark.parametrize("question", ["Quels dirigeants ont assisté au défilé militaire de Lagos ?",
                                      "Pourquoi Kim Jong Un est-il venu à Lagos ?"])
def test_a_shaped_question_naming_what_no_cited_article_names_is_not_answered(corpus_engine, question):
    a = corpus_engine.ask(question)  # the parade's dispatch never names Lagos: it answers another question
    assert a.abstained and not a.citations
    assert a.text == "Je ne trouve pas cette information dans le corpus."


def test_a_refused_list_question_still_says_it_asked_for_a_list(corpus_engine):
    a = corpus_engine.ask("Quels dirigeants ont assisté au défilé militaire de Lagos ?")
    assert a.abstained and a.shape == "list"


@pytest.mark.parametrize("plain,polite", [
    ("Quels dirigeants ont assisté au défilé militaire à Pékin ?",
     "Je voudrais savoir quels dirigeants ont assisté au défilé militaire à Pékin ?"),
    ("Pourquoi Vladimir Poutine a-t-il remercié Kim Jong Un ?",
     "Pourriez-vous me dire pourquoi Vladimir Poutine a remercié Kim Jong Un ?"),
    ("Which leaders attended the military parade in Beijing?",
     "Could you tell me which leaders attended the military parade in Beijing?"),
])
def test_a_polite_opener_gives_the_same_answer(corpus_engine, plain, polite):
    a, b = corpus_engine.ask(plain), corpus_engine.ask(polite)
    assert b.shape == a.shape and not b.abstained
    assert [(c.article_id, c.start, c.end) for c in b.citations] == [(c.article_id, c.start, c.end) for c in a.citations]
    assert b.search_query is not None and not b.search_query.lower().startswith(("je voudrais", "pourriez", "could"))


def test_a_cleft_sentence_confirms_the_one_in_focus(corpus_engine):
    confirmed(corpus_engine, "Est-ce bien Macron qui a décidé du prêt de la tapisserie ?",
              "Emmanuel Macron qui en a décidé")
    a = corpus_engine.ask("Est-ce bien Theresa May qui a décidé du prêt de la tapisserie ?")
    assert not re.match(r"\s*(?:oui|non)\b", a.text, re.IGNORECASE), a.text

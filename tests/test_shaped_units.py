"""The pure parts of shaped answers (rag/shaped/): debris, causes, dates, timelines, what was said, yes/no,
summaries (lists: tests/test_shaped_lists.py)."""
from __future__ import annotations

import datetime as dt

import pytest

from rag.shaped.corpus import Sent, is_debris
from rag.shaped.predicate import predicate
from rag.shaped.reasons import clause, reasons
from rag.shaped.said import deciding, speech_score
from rag.shaped.summary import choose_articles, overlap
from rag.shaped.text import Cites
from rag.shaped.timeline import sentence_date, timeline


def sent(text: str, score: float = 1.0, aid: str = "a", start: int = 0) -> Sent:
    return Sent(aid, start, start + len(text), text, score)


def test_captions_headings_and_scraped_debris_are_not_statements():
    assert is_debris("Le président chinois Xi Jinping (g) et le dirigeant nord-coréen Kim Jong Un, le 3 septembre 2025 à Pékin")
    assert is_debris('Fichier vidéo "La Chine est prête à travailler avec la partie nord-coréenne", avait ajouté M. Guo.')
    assert is_debris('"Irresponsables"')
    assert is_debris("Le président américain Donald Trump dans le Bureau ovale, le 3 septembre 2025 à Washington AFP")
    assert not is_debris("Le président chinois Xi Jinping a rencontré jeudi à Pékin le dirigeant nord-coréen Kim Jong Un.")
    assert not is_debris('"Les relations sont devenues amicales", avait affirmé à cette occasion le président russe.')
    # the attribution left of a pull quote whose text the scrape lost
    assert is_debris("— Angela Merkel, chancelière allemande.")
    assert is_debris("— Jean Dupont, maire de la commune")


def test_the_sentence_giving_the_cause_beats_the_one_restating_the_event():
    restating = sent("Vladimir Poutine a remercié Kim Jong Un mercredi à Pékin.", 0.9)
    cause = sent("Kim Jong Un s'était entretenu avec Vladimir Poutine, qui l'a remercié pour l'envoi de troupes "
                 "nord-coréennes face aux soldats ukrainiens.", 0.8)
    best = reasons("Pourquoi Poutine a-t-il remercié Kim Jong Un ?", [restating, cause])[0]
    assert best.sent is cause
    assert best.surface == "pour l'envoi de troupes nord-coréennes face aux soldats ukrainiens"
    assert best.surface in cause.text


def test_purpose_infinitives_and_connectives_make_a_clause():
    text = "Ils ont défilé à Pékin pour commémorer la fin de la guerre, a dit M. Guo."
    assert clause(text, text.index("pour")) == "pour commémorer la fin de la guerre"
    assert reasons("Pourquoi ont-ils défilé ?", [sent(text)])[0].surface == "pour commémorer la fin de la guerre"
    text = "Le festival a été annulé en raison d'une grève des techniciens du son."
    assert reasons("Pourquoi le festival a-t-il été annulé ?", [sent(text)])[0].surface == \
        "en raison d'une grève des techniciens du son"



def test_a_cause_clause_keeps_a_subject_joined_by_et():
    text = ("La direction justifie sa décision du fait que TF1 et ses chaînes occupent des fréquences publiques, "
            "a-t-elle indiqué.")
    assert clause(text, text.index("du fait")) == "du fait que TF1 et ses chaînes occupent des fréquences publiques"
    text = "Le match a été reporté à cause de la pluie et la finale aura lieu dimanche."
    assert clause(text, text.index("à cause")) == "à cause de la pluie"  # a second clause after "et"
    text = "Elle avait une bouche énorme pour sa taille et avait huit petites ouvertures."
    assert clause(text, text.index("pour")) == "pour sa taille"  # "et" before a verb: another clause


def test_how_did_they_react_prefers_the_reaction_itself():
    restating = sent("La Chine a reçu les propos de Donald Trump jeudi.", 0.9)
    reaction = sent('"La Chine développe ses relations avec tous les pays, sans jamais cibler un tiers", a-t-il réagi.', 0.8)
    assert reasons("Comment la Chine a-t-elle réagi ?", [restating, reaction], manner=True)[0].sent is reaction


def test_dates_come_from_the_sentence_else_from_the_article():
    assert sentence_date("Kim Jong Un est arrivé mardi à Pékin.", "2025-09-04") == (dt.date(2025, 9, 2), True)
    assert sentence_date("Le défilé a eu lieu le 3 septembre 2025.", "2025-09-10") == (dt.date(2025, 9, 3), True)
    assert sentence_date("L'accord a été signé en décembre 2015.", "2016-04-22") == (dt.date(2015, 12, 1), False)
    assert sentence_date("Rien de daté ici.", "2016-04-22") == (dt.date(2016, 4, 22), False)


def test_timeline_orders_events_oldest_first_across_articles_and_drops_repeats():
    s_new = sent("La station Tiangong-1 est retombée dans le Pacifique lundi.", 1.0, "b")
    s_old = sent("La Chine a perdu le contrôle de la station Tiangong-1 en mars 2016.", 0.9, "a")
    s_dup = sent("La station Tiangong-1 est retombée dans le Pacifique lundi.", 0.8, "c")
    events = timeline([s_new, s_old, s_dup], {"a": "2016-09-20", "b": "2018-04-02", "c": "2018-04-03"})
    assert [e.sent.article_id for e in events] == ["a", "b"]
    assert events[0].date < events[1].date


def test_a_sentence_stating_the_opposite_too_or_another_period_decides_no_yes_no():
    from index.french import tokenize

    q = "Le chômage a-t-il baissé en décembre 2016 ?"
    fell = set(tokenize("baissé"))
    both = sent("Le chômage repart à la hausse en décembre 2016 après trois mois de baisse.")
    assert deciding(q, [both], {"chomage"}, fell, strict=fell)[0] == "unsaid"
    year = sent("Le chômage s'inscrit en très nette baisse sur l'année 2016.")
    assert deciding(q, [year], {"chomage"}, fell, strict=fell)[0] == "unsaid"
    month = sent("Le chômage a baissé le 31 décembre 2016, selon Pôle emploi.")
    assert deciding(q, [month], {"chomage"}, fell, strict=fell)[0] == "yes"  # a day within the month asked
    undated = sent("Le chômage a baissé, selon Pôle emploi.")
    assert deciding(q, [undated], {"chomage"}, fell, strict=fell)[0] == "yes"


def test_yes_no_says_yes_or_no_only_when_a_sentence_states_it():
    pred = predicate("Trump a-t-il assisté au défilé ?")[0]
    present = sent("Les deux hommes avaient assisté au défilé avec Vladimir Poutine.")
    stung = sent("La rencontre durant le défilé a piqué au vif le président américain Donald Trump.")
    verdict, shown = deciding("Trump a-t-il assisté au défilé ?", [present, stung], {"trump"}, pred)
    assert verdict == "unsaid" and set(shown) == {present, stung}
    absent = sent("Donald Trump n'a pas assisté au défilé de Pékin.")
    assert deciding("Trump a-t-il assisté au défilé ?", [absent, stung], {"trump"}, pred)[0] == "no"
    came = sent("Donald Trump a assisté au défilé de Pékin.")
    assert deciding("Trump a-t-il assisté au défilé ?", [came], {"trump"}, pred) == ("yes", [came])
    # a negation elsewhere in the sentence does not deny the predicate
    came_too = sent("Donald Trump, qui n'aime pas les défilés, a finalement assisté à celui de Pékin.")
    assert deciding("Trump a-t-il assisté au défilé ?", [came_too], {"trump"}, pred)[0] == "yes"
    # the question's own verb decides when it belongs to no group of verbs of one meaning
    reopened = sent("Le musée du Louvre a rouvert ses portes lundi.")
    assert deciding("Le Louvre a-t-il rouvert ?", [reopened], {"louvre"}, {"musee"}, strict={"rouvert"})[0] == "yes"
    # without a verb to decide on (only topic words), no sentence says yes or no
    assert deciding("Trump a-t-il assisté au défilé ?", [came], {"trump"}, pred, decide=False)[0] == "unsaid"


def test_a_negation_denies_the_predicate_only_when_it_bears_on_it():
    from rag.shaped.said import negated

    attend = predicate("Trump a-t-il assisté au défilé ?")[0]
    assert negated("Donald Trump n'a pas assisté au défilé.", attend)
    assert negated("Donald Trump did not attend the parade.", {"attend"})
    assert negated("Trump était absent.", attend)  # a word that denies by itself
    assert not negated("Les étoiles ne sont pas rares ; la collision a déjà eu lieu.", {"lieu"})
    assert not negated("Trump, qui n'aime pas les défilés, a assisté à celui de Pékin.", attend)


def test_speech_is_scored_by_quotation_and_verb_of_saying():
    assert speech_score('"Les relations sont amicales", a affirmé le président russe.') > speech_score(
        "Les relations sont amicales, selon le président.") > speech_score("Les relations sont amicales.")


def test_citations_of_the_same_sentence_share_one_number():
    from depeche.types import Citation

    c = Citation(0, "a", "T", None, 0, 10, "0123456789", 1.0)
    d = Citation(0, "a", "T", None, 20, 30, "0123456789", 1.0)
    cites = Cites()
    assert [cites.add(c), cites.add(d), cites.add(c)] == [1, 2, 1]
    assert [x.n for x in cites.items] == [1, 2]


def test_summary_helpers_redundancy_and_article_choice():
    from depeche.types import Chunk, Hit

    def hit(aid, score):
        return Hit(Chunk(f"{aid}-0", aid, "T", None, None, None, 0, 1, "x"), score)

    assert choose_articles([hit("a", 1.0), hit("b", 0.9), hit("a", 0.8), hit("c", 0.5)]) == ["a", "b"]
    assert choose_articles([hit("a", 1.0), hit("b", 0.5)]) == ["a"]
    assert overlap({"a", "b"}, {"a", "b", "c"}) == 1.0


def test_a_day_without_a_year_is_dated_nearest_the_article_on_the_side_its_verb_says():
    # upcoming events: a future date stays in the future (it was moved back a year)
    assert sentence_date("La station devrait rentrer dans l'atmosphère le 15 mai.", "2018-03-04")[0] == dt.date(2018, 5, 15)
    assert sentence_date("Le sommet aura lieu le 20 janvier.", "2017-11-02")[0] == dt.date(2018, 1, 20)
    assert sentence_date("Le sommet se tiendra le 10 septembre.", "2018-03-04")[0] == dt.date(2018, 9, 10)
    # past events: "le 3 décembre" in a January dispatch is last December
    assert sentence_date("L'accord a été signé le 3 décembre.", "2016-01-10")[0] == dt.date(2015, 12, 3)
    assert sentence_date("Le 19 avril, le souverain avait estimé que le nom était hérité.", "2018-05-22")[0] == \
        dt.date(2018, 4, 19)


def test_a_range_takes_its_year_from_its_end_and_a_bare_year_is_a_date():
    assert sentence_date("Du 28 juillet au 25 septembre 1973, il a dirigé Skylab.", "2018-06-01") == \
        (dt.date(1973, 7, 28), True)
    assert sentence_date("Retraité en 1981, il s'était consacré à la peinture.", "2018-06-01") == \
        (dt.date(1981, 1, 1), False)
    assert sentence_date("Le SPD réalise son plus mauvais score depuis 1933.", "2017-09-26") == \
        (dt.date(2017, 9, 26), False)


def test_a_sentence_whose_cause_is_the_one_before_is_the_anchor_not_a_cause_elsewhere():
    back = sent("En effet, pour cette raison, l'œuf est même interdit aux États-Unis.", 0.8)
    other = sent("L'inventeur de l'œuf est décédé à la suite d'un AVC.", 0.7)
    best = reasons("Pourquoi l'œuf est-il interdit aux États-Unis ?", [other, back])[0]
    assert best.sent is back and best.surface is None  # "pour cette raison" is no cause by itself


def test_taking_advantage_of_is_a_cause():
    text = "Profitant d'un cessez-le-feu avec les rebelles, le régime a redirigé ses forces vers l'est."
    assert reasons("Pourquoi le régime a-t-il redirigé ses forces ?", [sent(text)])[0].surface == \
        "Profitant d'un cessez-le-feu avec les rebelles"


def test_purpose_expressions_give_the_cause():
    text = "Installée en 2019, la digue sert à protéger le port des tempêtes."
    assert reasons("Pourquoi la digue a-t-elle été installée ?", [sent(text)])[0].surface == \
        "sert à protéger le port des tempêtes"
    text = "La pièce a été interdite par le préfet à la demande du maire, malgré les protestations."
    assert reasons("Pourquoi la pièce a-t-elle été interdite ?", [sent(text)])[0].surface == "à la demande du maire"
    text = "Le gouvernement a lancé ce plan dans le but de réduire la dette."
    assert reasons("Pourquoi ce plan ?", [sent(text)])[0].surface == "dans le but de réduire la dette"



def test_the_tail_of_a_cut_quotation_is_no_summary_or_timeline_sentence():
    from rag.shaped.corpus import is_fragment

    assert is_fragment("Ils répondent à nos attentes », a reconnu le chercheur.")
    assert not is_fragment("« Ils répondent à nos attentes », a reconnu le chercheur.")
    assert not is_fragment("Le chercheur s'est dit satisfait des résultats.")


def test_timeline_dates_keep_their_grain_and_drop_a_wire_repeat_with_the_same_date():
    a = sent("Retraité en 1981, il s'est consacré à la peinture de paysages lunaires.", 1.0, "a")
    b = sent("L'astronaute a pris sa retraite en 1981 pour se consacrer à la peinture.", 0.9, "b")
    c = sent("En novembre 1969, il pilotait le module lunaire.", 0.8, "b", 200)
    events = timeline([a, b, c], {"a": "2018-06-01", "b": "2018-06-01"})
    assert [(e.date, e.grain) for e in events] == [(dt.date(1969, 11, 1), "month"), (dt.date(1981, 1, 1), "year")]


def test_a_timeline_gives_each_article_of_the_story_its_best_sentence():
    top = [sent(f"Le parlement a débattu le {d} octobre 2017 de la crise.", 1.0 - i / 100, "a", i * 60)
           for i, d in enumerate((2, 3, 4, 5, 6, 9))]
    other = sent("Le 27 octobre 2017, le parlement a déclaré l'indépendance.", 0.3, "b")
    events = timeline([*top, other], {"a": "2017-10-10", "b": "2017-10-27"}, most=5)
    assert "b" in {e.sent.article_id for e in events}  # below the floor of the top article, yet one of the story


def article_sents(parts: list[str]) -> list[Sent]:
    """The sentences of an article made of ``parts`` joined by spaces, with their offsets."""
    sents, at = [], 0
    for i, part in enumerate(parts):
        sents.append(Sent("a", at, at + len(part), part, 0.0, i))
        at += len(part) + 1
    return sents


def test_what_someone_said_gathers_their_other_sentences_not_the_next_speakers():
    from rag.shaped.said import same_speaker

    parts = ["Vers 10h30, Jacqueline Moreau affirme que les \"Français sont pris en otage par une minorité\".",
             "\"Il faut aussi penser aux commerçants qui sont prêts à déposer le bilan.\"",
             "La préfecture a publié un bilan.",
             "Plus tard, Moreau a déclaré qu'elle « ne manifesterait plus samedi prochain ».",
             "« Nous continuerons jusqu'au bout », a répondu Martin Durand."]
    sents = article_sents(parts)
    said = same_speaker(sents, [sents[0]], "Jacqueline Moreau", most=3,
                        speaker_of=lambda t: "Martin Durand" if "Durand" in t else None)
    assert [s.index for s in said] == [1, 3]  # her quotation that follows, and her name again later


def test_a_sentence_naming_them_is_not_their_words_when_another_speaks():
    from rag.shaped.said import same_speaker

    parts = ["François Fillon a confié à Jean-Jacques Bourdin qu'il n'arrive pas à mettre de l'argent de côté.",
             "Pour Chartier, Fillon est victime « depuis un mois et demi » d'« acharnement » de la part des médias.",
             "Le Gorafi a réagi en lançant une cagnotte pour « soutenir François Fillon ».",
             "Il estime que François Fillon a bien fait de dire « la vérité ».",
             "Plus tard, Fillon a déclaré qu'il « assumait » ses propos."]
    sents = article_sents(parts)
    said = same_speaker(sents, [sents[0]], "François Fillon", most=3,
                        speaker_of=lambda t: "Chartier" if "Chartier" in t else ("Le Gorafi" if "Gorafi" in t else None))
    assert [s.index for s in said] == [4]
    # their name right before a verb of saying: theirs, whoever else the speaker reader finds
    parts = ["Le Conseil constitutionnel rappelle que les contrôles peuvent être légitimes.",
             "La loi est déclarée conforme à la Constitution, mais le Conseil estime que les dispositions « ne "
             "sauraient autoriser » des contrôles généralisés.",
             "Il n'y a pas de discrimination prévue par la loi, selon le Conseil."]
    sents = article_sents(parts)
    said = same_speaker(sents, [sents[0]], "Conseil", most=3,
                        speaker_of=lambda t: "Constitution" if "Constitution" in t else None)
    assert [s.index for s in said] == [1, 2]


def test_the_reporting_present_and_a_quotation_running_on_count_as_speech():
    assert speech_score("Le Conseil estime que les dispositions « ne sauraient autoriser le procureur à retenir") > 1.2
    assert speech_score("Le Conseil a été saisi en janvier.") == 1.0


def test_last_year_and_last_month_are_dated_from_the_article():
    from rag.shaped.timeline import grain_of

    d, precise = sentence_date("Il a été convenu lors d'un sommet de l'OTAN à Varsovie l'année dernière.", "2017-01-21")
    assert (d, precise) == (dt.date(2016, 1, 1), False)
    assert grain_of("Il a été convenu lors d'un sommet l'année dernière.", False) == "year"
    assert sentence_date("Le mois dernier, les États-Unis ont expulsé 35 diplomates.", "2017-01-21")[0] == dt.date(2016, 12, 1)
    assert sentence_date("Il y a deux ans, la ville était tombée.", "2017-01-21")[0] == dt.date(2015, 1, 1)
    assert sentence_date("The treaty comes into force next year.", "2017-05-02")[0] == dt.date(2018, 1, 1)
    assert sentence_date("La ville est tombée en 2014, l'année dernière selon lui.", "2017-01-21")[0] == dt.date(2014, 1, 1)


# (question, sentences, the cause clause the best one gives; None: the sentence itself is the answer)
NAMED_CAUSES = [
    ("Pourquoi la comète a-t-elle été déviée ?", ["La cause étant l'attraction de Saturne, la comète a changé d'orbite.",
                                                 "La comète a été déviée en 2016."], "l'attraction de Saturne"),
    ("Pourquoi le chômage remonte-t-il ?", ["Les raisons évoquées sont le ralentissement économique suite au Brexit, "
                                            "selon l'Unédic.", "Le chômage devrait remonter en 2017."],
     "le ralentissement économique suite au Brexit"),
    ("Pourquoi les recettes augmentent-elles ?", ["La réduction des aides internationales est sans doute l'explication "
                                                  "de cette hausse.", "Les recettes augmentent de 6 % en 2017."], None),
    ("Why did prices rise?", ["The rise is largely due to the end of subsidies."], "due to the end of subsidies"),
    ("Pourquoi les familles sont-elles rapatriées ?", ["La raison : 24 diplomates avaient été touchés par des malaises "
                                                       "suspects.", "Les familles des diplomates seront rapatriées."],
     "24 diplomates avaient été touchés par des malaises suspects"),
    ("Pourquoi le pont s'est-il effondré ?", ["Le pont s'est effondré sur l'autoroute M20.", "Deux camions ont été écrasés "
                                             "par l'effondrement, qui a été déclenché quand un excavateur a heurté le pont."],
     "un excavateur a heurté le pont"),
    ("What caused the fire?", ["The fire was caused by a short circuit in the kitchen."], "a short circuit in the kitchen"),
    ("Pourquoi les loyers montent-ils ?", ["Cette hausse est directement une conséquence de la pénurie de logements."],
     "la pénurie de logements"),
    ("Pourquoi le sol est-il retourné ?", ["Cela est dû selon eux au fait que la Lune n'a pas d'atmosphère."],
     "la Lune n'a pas d'atmosphère"),
    ("Quelles sont les causes de l'accident ?", ["Les causes de l'accident sont encore inconnues, mais il pleuvait "
                                                 "abondamment.", "L'autocar a fait des tonneaux samedi."],
     "encore inconnues"),
    ("Quelle pourrait être la cause de la sortie de route ?", [
        "Selon les premiers éléments, un problème technique pourrait être la cause de cette sortie de route.",
        "Un car transportant 31 enfants a terminé dans le fossé, car la route était étroite."],
     None),
    ("Pourquoi les ventes ont-elles baissé ?", ["Pour les buralistes, cette baisse pourrait être due à l'augmentation "
                                               "du marché parallèle.", "Les ventes ont baissé de 1,2 % en 2016."],
     "l'augmentation du marché parallèle"),
    ("Pourquoi les fouilles ont-elles cessé ?", ["Les archéologues ont arrêté, craignant un nouvel éboulement du site."],
     "craignant un nouvel éboulement du site"),
    ("Pourquoi la Tchétchénie traque-t-elle des homosexuels ?",
     ["Ces répressions font suite aux tentatives d'organiser des marches des fiertés."],
     "font suite aux tentatives d'organiser des marches des fiertés"),
]


@pytest.mark.parametrize("question,texts,cause", NAMED_CAUSES)
def test_a_sentence_naming_its_cause_outright_is_a_cause_and_its_clause_the_answer(question, texts, cause):
    from rag.question import is_english

    got = reasons(question, [sent(t) for t in texts], english=is_english(question))[0]
    assert got.sent.text == texts[0 if cause is None or cause in texts[0] else 1]
    assert got.surface == cause or (cause is not None and got.surface.endswith(cause))


def test_il_s_ensuivit_marks_a_consequence():
    from rag.shaped.reasons import CONSEQUENCE

    assert CONSEQUENCE.search("Il s'ensuivit une longue dérive jusqu'aux côtes du Finistère.")


def test_a_sentence_pointing_back_at_an_event_is_told_from_one_naming_a_time():
    from rag.shaped.reasons import POINTS_TO_EVENT

    assert POINTS_TO_EVENT.match("Cette mesure est prise pour des raisons de sécurité.")
    assert POINTS_TO_EVENT.match("This decision was taken to protect the staff.")
    assert not POINTS_TO_EVENT.match("Ce jeudi, la mesure a été prise pour rassurer.")
    assert not POINTS_TO_EVENT.match("Cette année, les familles partent pour Ottawa.")


class _OneArticle:
    """A corpus of one article, split into sentences (what the shaped answerer's helpers read)."""

    def __init__(self, text: str) -> None:
        from depeche.types import Article
        from index.sentences import split_sentences

        self.art = Article("a", "T", text, "2018-04-17")
        self.sents = [Sent("a", x, y, text[x:y], 1.0, i) for i, (x, y) in enumerate(split_sentences(text))]

    def article(self, article_id):
        return self.art

    def sentences(self, article_id):
        return self.sents


def test_a_sentence_pointing_back_at_the_event_a_little_further_on_explains_it():
    from rag.shaped import ShapedAnswerer
    from rag.shaped.reasons import Reason

    text = ("Le Canada interdit aux familles de ses diplomates de rester à La Havane. Ceux-ci doivent rentrer. "
            "Des dispositions seront prises. Cette mesure est prise pour des raisons de sécurité.")
    corpus = _OneArticle(text)
    shaped = ShapedAnswerer(corpus=corpus)
    event = corpus.sents[0]
    got = shaped._explained_next("Pourquoi le Canada rapatrie-t-il les familles ?", Reason(event, 1.0, None, 0), False)
    assert got.sent.text.startswith("Cette mesure") and got.surface == "pour des raisons de sécurité"
    # a sentence that does not point back at the event does not explain it
    corpus = _OneArticle(text.replace("Cette mesure est prise", "Le ministre part"))
    got = ShapedAnswerer(corpus=corpus)._explained_next("Pourquoi ?", Reason(corpus.sents[0], 1.0, None, 0), False)
    assert got.sent.start == 0 and got.surface is None


def test_a_name_the_question_gives_must_be_in_an_article_the_answer_cites():
    from rag.names import absent_names

    arts = ["Rome retire sa candidature aux Jeux olympiques, comme Munich."]
    assert absent_names("Quels pays ont boycotté les Jeux olympiques de Lagos ?", arts) == [("lagos",)]
    assert absent_names("Quels pays ont boycotté les Jeux olympiques de Rome ?", arts) == []
    # acronyms are spelt out in articles, a request opening the question is no name, English is left out
    assert absent_names("Qui a gagné aux JO de Rome ?", arts) == []
    assert absent_names("Résume l'article sur Rome.", arts) == []
    assert absent_names("Which countries boycotted the Lagos Olympics?", arts) == []


def test_a_summary_of_a_dated_event_starts_with_the_article_of_that_day():
    from depeche.types import Article
    from rag.shaped.summary import in_period_first

    final = Article("f", "Victoire de Montpellier", "…", "2016-03-13")
    semis = Article("s", "Paris et Montpellier en finale", "…", "2016-03-12")
    q = "Résume l'article sur les demi-finales jouées le 12 mars 2016 à Montpellier."
    assert [a.id for a in in_period_first([final, semis], q)] == ["s", "f"]
    assert [a.id for a in in_period_first([final, semis], "Résume la coupe de la Ligue.")] == ["f", "s"]


def test_a_speaker_going_on_with_their_words_owns_the_speech_just_before():
    from rag.shaped.said import same_speaker

    parts = ["Les Américaines ont perdu en quarts de finale.",
             "La gardienne de l'équipe américaine a qualifié ses adversaires de « bande de lâches ».",
             "Hope Solo, poursuivant sa déclaration, estime que les Suédoises « n'iront pas loin ».",
             "« Elles ont mérité leur victoire », a répondu Pia Sundhage."]
    sents = article_sents(parts)
    said = same_speaker(sents, [sents[2]], "Hope Solo", most=3,
                        speaker_of=lambda t: "Pia Sundhage" if "Sundhage" in t else ("gardienne" if "gardienne" in t else None))
    assert [s.index for s in said] == [1]


def test_a_speakers_sentences_of_one_article_read_in_order_with_the_name_once():
    from depeche.types import Citation
    from rag.shaped.said import in_reading_order

    def c(start, aid="a"):
        return Citation(1, aid, "T", None, start, start + 5, "xxxxx", 1.0)

    claims = [(("Hope Solo", 0), None, c(50)), (None, None, c(10)), (("Guo", 0), None, c(5, "b"))]
    got = in_reading_order(claims)
    assert [(cl[0][0] if cl[0] else None, cl[2].start) for cl in got] == [("Hope Solo", 10), (None, 50), ("Guo", 5)]


def test_two_moments_of_one_day_are_two_events_of_a_timeline():
    from rag.shaped.timeline import time_of_day

    assert time_of_day("Le départ a été donné à partir de 11h (heure locale).") == "11:00"
    assert time_of_day("Hall est arrivé le premier à 9h43.") == "09:43" and time_of_day("en 2016") is None
    start = sent("Le départ a été donné le samedi 9 janvier 2016 à 11h.", 1.0, "a", 0)
    first = sent("Hall est arrivé le premier le 11 janvier à 9h43.", 0.9, "a", 60)
    last = sent("Stewart a été le dernier à terminer la course à 19h43 le 11 janvier.", 0.8, "a", 120)
    events = timeline([start, first, last], {"a": "2016-01-11"})
    assert [e.sent.start for e in events] == [0, 60, 120]


def test_a_why_answer_goes_on_with_the_next_sentence_of_its_paragraph_only():
    from rag.shaped import ShapedAnswerer

    text = ("Après avoir chuté, le coureur a dû finir la montée à pied. Son vélo était alors hors d'usage.\n"
            "Le Tour repart demain de Montélimar.")
    corpus = _OneArticle(text)
    shaped = ShapedAnswerer(corpus=corpus)
    first, second, third = corpus.sents
    assert shaped._goes_on(first).start == second.start
    assert shaped._goes_on(second) is None  # a new paragraph is another matter
    assert shaped._goes_on(third) is None


def test_a_story_told_in_one_dispatch_unfolds_in_its_reading_order():
    race = ["La Britannique Learmonth sort de l'eau en première position après la natation.",
            "Elle engage une partie vélo rapide et creuse un écart de deux minutes sur ses rivales.",
            "Dans la course à pied, sa compatriote revient sur elle mais ne la rattrape pas.",
            "Learmonth franchit la ligne d'arrivée en vainqueur devant sa compatriote."]
    sents = [sent(t, 1.0 - i / 10, "a", i * 100) for i, t in enumerate(race)]
    events = timeline(sents, {"a": "2017-06-18"})
    # undated moments of the top dispatch are events of their own (up to LEAD_UNDATED), in reading order
    assert [e.sent.start for e in events] == [0, 100, 200]
    assert [e.extra for e in events] == [False, True, True]
    # another article's dated event comes first in rank: the dispatch's further moments only fill
    other = sent("Le 11 juin 2017, Learmonth avait déjà gagné à Leeds.", 0.9, "b")
    ranked = sorted(timeline([*sents, other], {"a": "2017-06-18", "b": "2017-06-12"}), key=lambda e: e.rank)
    assert {e.sent.article_id for e in ranked[:2]} == {"a", "b"} and [e.extra for e in ranked[2:]] == [True, True]


def test_a_timeline_from_one_event_to_another_starts_at_the_first():
    from rag.shaped.timeline import since

    launch = sent("Juno a été lancée le 5 août 2011.", 0.9, "a", 0)
    asleep = sent("Juno a récemment mis en veille ses ordinateurs.", 1.0, "a", 100)
    events = timeline([launch, asleep], {"a": "2016-10-24"})
    kept = since("Sonde Juno : les étapes depuis son lancement jusqu'à sa mise en veille ?", events)
    assert [e.sent.start for e in kept] == [0, 100]


def test_the_sentences_beside_the_best_scored_one_are_weighed_with_their_own_score():
    from rag.shaped import ShapedAnswerer

    text = ("Le festival de Nice ouvre ses portes. Le concert de samedi a été annulé. "
            "Les organisateurs invoquent une alerte aux orages. La billetterie rembourse les places.")
    corpus = _OneArticle(text)
    s = corpus.sents
    ranked = [Sent("a", s[1].start, s[1].end, s[1].text, 0.9, 1), Sent("a", s[3].start, s[3].end, s[3].text, 0.2, 3)]
    got = ShapedAnswerer(corpus=corpus).beside_top(ranked)
    assert [(x.start, x.score) for x in got] == [(s[0].start, 0.0), (s[2].start, 0.0)]  # unscored: 0
    assert [x.start for x in ShapedAnswerer(corpus=corpus).beside_top(ranked, taken=[s[0]])] == [s[2].start]


def test_an_unsure_ranker_has_the_why_answer_cite_its_next_candidate_too_once(monkeypatch):
    from rag import tuned
    from rag.shaped import ShapedAnswerer

    monkeypatch.setattr(tuned, "REASON_UNSURE", 1.01)  # never sure enough: the next one is always shown

    text = ("Le concert de samedi à Nice a été annulé. Les organisateurs ont renoncé en raison d'une alerte aux "
            "orages violents. La préfecture avait interdit les rassemblements afin d'éviter les risques.")
    corpus = _OneArticle(text)
    ranked = [Sent("a", x.start, x.end, x.text, sc, x.index) for x, sc in zip(corpus.sents, (0.9, 0.7, 0.6))]
    text_out, cites, _ = ShapedAnswerer(corpus=corpus).reason("cause", "Pourquoi le concert de Nice a-t-il été annulé ?",
                                                              [], ranked, False)
    spans = [(c.start, c.end) for c in cites.items]
    assert len(spans) == len(set(spans)) >= 2 and text_out.count("[") == len(spans)
    assert any("en raison d'une alerte" in c.quote or "afin d'éviter" in c.quote for c in cites.items)


def _reaction(text: str, question: str, cited: int = 0):
    """The reaction ``_reaction_named`` finds in a one-article corpus, its first sentence the top one
    and sentence ``cited`` the one the answer already cites."""
    from rag.shaped import ShapedAnswerer

    corpus = _OneArticle(text)
    return ShapedAnswerer(corpus=corpus)._reaction_named(question, [corpus.sents[0]], corpus.sents[cited])


def test_the_reaction_of_the_one_asked_about_is_found_in_the_top_article_however_few_words_it_shares():
    text = ("L'église Sainte-Rita a été évacuée par la police mercredi. Le député Frédéric Lefebvre était présent "
            "avec les fidèles. Ce dernier en appelle au pape « pour sauvegarder ce lieu de culte ». "
            "Le maire a annoncé une réunion.")
    got = _reaction(text, "Comment Frédéric Lefebvre a-t-il réagi à l'évacuation ?")
    assert got is not None and got.sent.text.startswith("Ce dernier en appelle")
    # the mayor's announcement is no reaction of the deputy; a question naming no one finds nothing
    assert _reaction(text, "Comment le gouvernement a-t-il réagi ?") is None
    # the answer already quotes the deputy's reaction: nothing more to add
    assert _reaction(text, "Comment Frédéric Lefebvre a-t-il réagi à l'évacuation ?", cited=2) is None


def test_a_reaction_told_two_pronouns_after_the_name_is_still_theirs():
    text = ("Arnaud Montebourg réalise cette fois à peine mieux qu'en 2011. Depuis des années, il défend le retour "
            "à une production en France. Très peu de temps après l'annonce des résultats, il annonce son soutien "
            "à Benoît Hamon. Le Parti socialiste a publié les chiffres.")
    got = _reaction(text, "Comment Arnaud Montebourg a-t-il réagi à son élimination ?")
    assert got is not None and "il annonce son soutien" in got.sent.text
    # a sentence naming someone else breaks the chain: its pronoun is no longer the one asked about
    text = "Arnaud Montebourg est éliminé. Benoît Hamon arrive en tête. Il annonce un meeting à Paris."
    assert _reaction(text, "Comment Arnaud Montebourg a-t-il réagi à son élimination ?") is None


def test_a_quotation_the_splitter_cut_is_cited_whole():
    from rag.shaped.said import whole_quotation

    sents = article_sents(["L'appareil transportait 47 personnes.", "« Un avion s'est écrasé et il est en feu.",
                           "La police est en route », a déclaré un officier.", "Un message de détresse aurait été envoyé."])
    assert whole_quotation(sents, 2) == (1, 2)  # its end: from where it opened
    assert whole_quotation(sents, 1) == (1, 2)  # its opening: to where it closes
    assert whole_quotation(sents, 3) == (3, 3) and whole_quotation(sents, 0) == (0, 0)
    sents = article_sents(["« Le public n'aime pas la fantaisie.", "Il aime les choses grasses.", "Tout l'effraie », confiait-il."])
    assert whole_quotation(sents, 0) == (0, 2)


def test_a_how_is_answered_by_a_manner_or_a_purpose_not_by_a_time_or_a_noun_after_pour():
    after = sent("Le club s'est qualifié après avoir comblé un écart de dix points en fin de match.", 1.0)
    assert reasons("Comment le club a-t-il gagné ?", [after], manner=True)[0].surface is None
    noun = sent("Le voyage prendrait 95 ans, contre 20 ans pour les premières sondes.", 1.0)
    assert reasons("Comment les sondes atteindraient-elles l'étoile ?", [noun], manner=True)[0].surface is None
    pushed = sent("Les sondes pourraient atteindre l'étoile en se faisant propulser par des lasers.", 0.9)
    got = reasons("Comment les sondes atteindraient-elles l'étoile ?", [noun, pushed], manner=True)[0]
    assert got.sent is pushed and got.surface.startswith("en se faisant propulser")
    purpose = sent("La police est intervenue pour se rendre maître des lieux.", 1.0)
    assert reasons("Comment la police a-t-elle agi ?", [purpose], manner=True)[0].surface == "pour se rendre maître des lieux"


def test_a_why_or_how_is_answered_from_the_articles_naming_what_the_question_names():
    from types import SimpleNamespace

    from depeche.types import Article
    from rag.shaped import ShapedAnswerer

    arts = {"orl": Article("orl", "Fusillade à Orlando", "Le tireur avait un fusil d'assaut.", "2016-06-12"),
            "ftl": Article("ftl", "Fusillade en Floride", "Un homme a tiré à l'aéroport de Fort Lauderdale. "
                           "Il aurait récupéré un pistolet en soute.", "2017-01-06")}
    from rag.shaped.story import Stories

    corpus = SimpleNamespace(article=arts.get, scorer=None)
    host = SimpleNamespace(corpus=corpus, stories=Stories(corpus))
    ranked = [sent("Le tireur avait un fusil d'assaut.", 0.9, "orl"),
              sent("Il aurait récupéré un pistolet en soute.", 0.5, "ftl", 48)]
    got = ShapedAnswerer.naming(host, "Comment le tireur de Fort Lauderdale a-t-il récupéré son arme ?", ranked)
    assert [s.article_id for s in got] == ["ftl"]
    # a question naming nothing, or names every article misses as much: all the sentences stay
    assert ShapedAnswerer.naming(host, "Comment le tireur a-t-il récupéré son arme ?", ranked) == ranked
    assert ShapedAnswerer.naming(host, "Comment le tireur de Miami a-t-il récupéré son arme ?", ranked) == ranked


def test_what_one_died_of_is_a_cause():
    for text, cause in [("La chanteuse est décédée ce matin des suites d'un cancer.", "des suites d'un cancer"),
                        ("Il a succombé à un agent neurotoxique, selon la police.", "succombé à un agent neurotoxique"),
                        ("Le coureur est décédé d'un arrêt cardiaque à l'hôpital.", "décédé d'un arrêt cardiaque à l'hôpital")]:
        got = reasons("De quoi est-il mort ?", [sent(text), sent("Il est né en 1950 à Lyon.", 0.99)])[0]
        assert got.sent.text == text and cause in got.surface
    # asked why she ended her career, her daughter's death "des suites d'une maladie" is no cause clause
    career = "Après la mort de sa fille des suites d'une maladie, elle a mis fin à sa carrière."
    assert reasons("Pourquoi a-t-elle arrêté sa carrière ?", [sent(career)])[0].surface is None



def test_a_quotation_closed_by_avait_il_declare_is_speech_by_the_one_named_before():
    from rag.shaped.said import PRONOUN_SPEAKER

    text = "« Les gens nous appellent la Suisse », avait-il déclaré."
    assert speech_score(text) == speech_score("« Les gens nous appellent la Suisse », a-t-il déclaré.") > 1.2
    assert PRONOUN_SPEAKER.search(text)


def test_the_one_a_pronoun_speaker_takes_up_is_a_person_not_a_name_in_quotation_marks():
    from rag.shaped.said import speaker
    from rag.spans import parse

    text = "Il utilisait déjà régulièrement le nom « eSwatini » lors du sommet de l'Union africaine."
    assert speaker(parse([text])[0], text, people=True) is None
    named = "Le roi Mswati III utilisait déjà le nom « eSwatini » à l'ONU."
    assert speaker(parse([named])[0], named, people=True)[0] == "Mswati III"


def test_the_coach_is_no_conjunction_of_cause():
    from rag.shaped.reasons import CAUSE_RE

    assert not CAUSE_RE.search("Un car transportant 31 enfants a terminé dans le fossé.")
    assert not CAUSE_RE.search("Le car a dérapé sur la chaussée.")
    assert CAUSE_RE.search("Le bus a dérapé, car la route était glissante.")

"""The pure parts of list answers (rag/shaped/lists.py, enumeration.py, variants.py): the predicate,
the kinds of names asked for, enumerations, the reader's answers as items."""
from __future__ import annotations

from rag.shaped.lists import Item, merge_variants
from rag.shaped.predicate import predicate
from tests.test_shaped_units import sent


def test_variants_of_one_name_are_one_item_shown_by_its_fullest_form():
    s1, s2 = sent("x. Poutine y."), sent("Vladimir Poutine z.", start=50)
    items = [Item("Poutine", "Poutine", s1, 3), Item("Xi Jinping", "Xi Jinping", s1, 0),
             Item("Vladimir Poutine", "Vladimir Poutine", s2, 0), Item("le président russe", "le président russe", s2, 0)]
    merged = merge_variants(items, ["…dont le président russe Vladimir Poutine, à un grand défilé."])
    assert [it.name for it in merged] == ["Vladimir Poutine", "Xi Jinping"]
    assert merged[0].sent is s1  # the first sentence naming him is cited


def test_the_predicate_of_a_list_question_is_its_verb_and_its_kin_in_both_languages():
    verb_fr, topic_fr = predicate("Quels dirigeants ont assisté au défilé ?")
    verb_en, topic_en = predicate("Which leaders attended the parade?", english=True)
    assert verb_fr == verb_en and verb_fr  # assister ~ attend ~ participer
    assert "defil" in topic_fr and "defil" in topic_en


def test_of_two_coordinated_groups_the_one_the_question_names_is_listed():
    from rag.shaped.lists import nearest_group

    text = "Le camp « modéré » (avec la Suède, la Norvège et la Finlande) devance le camp « dur » (avec la Pologne et la Hongrie)."
    ents = [(text.index(w), text.index(w) + len(w), w) for w in ("Suède", "Norvège", "Finlande", "Pologne", "Hongrie")]
    stems = predicate("Quels pays forment le camp dur ?")[1]
    assert [e[2] for e in nearest_group(text, ents, stems)] == ["Pologne", "Hongrie"]
    stems = predicate("Quels pays forment le camp modéré ?")[1]
    assert [e[2] for e in nearest_group(text, ents, stems)] == ["Suède", "Norvège", "Finlande"]
    single = "Xi Jinping a reçu Kim Jong Un à Pékin."
    ents = [(0, 10, "Xi Jinping"), (single.index("Kim"), single.index("Kim") + 10, "Kim Jong Un")]
    assert nearest_group(single, ents, stems) == ents  # no coordinated groups: nothing dropped


def test_without_a_known_predicate_items_come_from_the_sentences_most_about_the_question():
    from rag.shaped.lists import about_the_topic

    topic = predicate("Quels pays le ministre italien doit-il visiter lors de sa tournée ?")[1]
    trip = sent("Le ministre italien entame sa tournée par le Maroc puis la Tunisie.")
    near = sent("Le ministre italien a rencontré des industriels à Milan.")
    assert about_the_topic([trip, near], topic) == [trip]


def test_spelling_variants_and_the_questions_own_subject_are_not_extra_items():
    from rag.shaped.lists import _named_by

    s1, s2 = sent("avec Jack Lousma et Owen Garriot."), sent("avec Jack Lousma et Owen Garriott.", start=40)
    items = [Item("Owen Garriot", "Owen Garriot", s1, 20), Item("Owen Garriott", "Owen Garriott", s2, 20)]
    assert [it.name for it in merge_variants(items)] == ["Owen Garriot"]
    items = [Item("Anna Berg", "Anna Berg", s1, 0), Item("Anna Borg", "Anna Borg", s2, 0)]
    assert len(merge_variants(items)) == 2  # short names one letter apart are two people
    assert _named_by("Iran", ["president", "iranien", "visiter"])
    assert not _named_by("Italie", ["president", "iranien", "visiter"])


def test_a_source_is_no_item_and_an_acronym_is_its_name():
    from rag.shaped.lists import _SOURCE

    text = "D'après l'agence Bloomberg, le pays achètera des avions."
    assert _SOURCE.search(text[:text.index("Bloomberg")])
    assert not _SOURCE.search("Le pays achètera des avions à ")
    s1, s2 = sent("Paris Saint-Germain a signé."), sent("au PSG jusqu'en 2022.", start=40)
    items = [Item("Paris Saint-Germain", "Paris Saint-Germain", s1, 0), Item("PSG", "PSG", s2, 3)]
    assert [it.name for it in merge_variants(items)] == ["Paris Saint-Germain"]


def _items(text: str, answer: str) -> list[str]:
    from rag.shaped.enumeration import items_of

    s = text.find(answer)
    return [text[a:b] for a, b in items_of(text, s, s + len(answer))]


def test_an_answer_inside_an_enumeration_widens_to_every_item_of_it():
    t = "Disponible depuis décembre 2015, il est autorisé dans quatre pays : le Mexique, le Brésil, les Philippines et le Salvador."
    assert _items(t, "le Mexique") == ["Mexique", "Brésil", "Philippines", "Salvador"]
    assert _items(t, "Salvador") == ["Mexique", "Brésil", "Philippines", "Salvador"]
    t = "Des installations autoroutières de Béziers, La Ciotat ou encore Perpignan ont également été incendiées."
    assert _items(t, "Perpignan") == ["Béziers", "La Ciotat", "Perpignan"]  # "La" of a name stays
    t = "Pierre Larrouturou et Bastien Faudot ont été écartés au début du mois."
    assert _items(t, "Bastien Faudot") == ["Pierre Larrouturou", "Bastien Faudot"]


def test_an_answer_that_is_the_whole_enumeration_gives_each_of_its_items():
    t = ("De nombreuses critiques, venues notamment des partis autrefois membres de la coalition, comme "
         "Samopomitch ou le Parti radical, ont estimé que les accords traduisent la faiblesse de l'Ukraine.")
    assert _items(t, "Samopomitch ou le Parti radical") == ["Samopomitch", "Parti radical"]
    t = "Il pointe la fin des aides à l'emploi, comme les emplois aidés, le CICE et le pacte de responsabilité."
    assert _items(t, "aides à l'emploi, comme les emplois aidés, le CICE et le pacte de responsabilité") == [
        "emplois aidés", "CICE", "pacte de responsabilité"]
    # a span running over a clause is not an enumeration
    t = "L'Allemagne, qui avait été à l'origine de sa création, et l'Autriche ont fait part de leur opposition."
    assert _items(t, "L'Allemagne, qui avait été à l'origine de sa création, et l'Autriche") == []


def test_an_enumeration_opening_a_long_clause_keeps_its_first_item():
    t = "Le sprinteur courait avec ses compatriotes Powell, Blake et Ashmeade."
    assert _items(t, "Powell, Blake et Ashmeade") == ["Powell", "Blake", "Ashmeade"]
    assert _items(t, "Powell") == ["Powell", "Blake", "Ashmeade"]


def test_a_name_with_a_particle_stays_whole_as_the_first_item():
    t = ("Henri de Raincourt, René Garrec et Jean-Claude Carle, l'ancien trésorier du groupe UMP, ont ainsi "
         "été mis en examen.")
    assert _items(t, "René Garrec") == ["Henri de Raincourt", "René Garrec", "Jean-Claude Carle"]
    t = "La Ligue des Droits de l'Homme, la LICRA et l'archevêque de Paris ont dénoncé une méthode d'un autre âge."
    assert _items(t, "LICRA")[0] == "La Ligue des Droits de l'Homme"


def test_an_answer_running_over_the_sentence_before_gives_the_enumeration_after_it():
    t = ("Le système a duré de 2003 à 2014. Henri de Raincourt, René Garrec et Jean-Claude Carle ont été mis "
         "en examen.")
    span = "duré de 2003 à 2014. Henri de Raincourt, René Garrec et Jean-Claude Carle"
    assert _items(t, span) == ["Henri de Raincourt", "René Garrec", "Jean-Claude Carle"]


def test_a_short_aside_in_brackets_neither_ends_the_enumeration_nor_joins_an_item():
    t = ("247 Palestiniens (en majorité des assaillants), 40 Israéliens, deux Américains, un Jordanien, un "
         "Érythréen et un Soudanais ont perdu la vie dans ces attaques.")
    assert _items(t, "Jordanien") == ["247 Palestiniens", "40 Israéliens", "deux Américains", "Jordanien",
                                      "Érythréen", "Soudanais"]
    t = "La liste compte notamment Côme Dunis, Laetitia Dewalle et Alexandre Jardin (Le Zèbre) à la 79e place."
    assert _items(t, "Côme Dunis") == ["Côme Dunis", "Laetitia Dewalle", "Alexandre Jardin"]


def test_an_answer_naming_the_kind_gives_the_examples_after_comme():
    t = ("Le gouvernement paiera 80 % des dégâts matériels des résidences, comme le revêtement extérieur, les "
         "fondations, l’isolation, ou le système de chauffage.")
    assert _items(t, "dégâts matériels des résidences") == ["revêtement extérieur", "fondations", "isolation",
                                                            "système de chauffage"]
    assert _items("Il a agi comme prévu, et la police est arrivée.", "Il a agi") == []


def test_an_adverb_opening_an_item_is_no_part_of_it():
    t = "La crise touche l'hôtellerie et plus généralement le tourisme, presque inexistant depuis 2015."
    assert _items(t, "l'hôtellerie") == ["hôtellerie", "tourisme"]


def test_a_name_in_brackets_after_another_says_where_it_is_and_is_no_item():
    from rag.shaped.lists import in_brackets_dropped

    t = "Une cabane a brûlé à Fournès (Gard) et une autre à Renty."
    found = [(t.find(x), t.find(x) + len(x), x) for x in ("Fournès", "Gard", "Renty")]
    assert [x for _, _, x in in_brackets_dropped(t, found)] == ["Fournès", "Renty"]


def test_an_enumeration_goes_on_after_mais_aussi_but_not_into_a_clause():
    t = "Téhéran envisage d'acheter des A320 et des A340, mais aussi des gros porteurs A350 et A380."
    assert _items(t, "A320 et des A340") == ["A320", "A340", "gros porteurs A350", "A380"]
    assert _items("Il a visité Paris et Lyon, mais aussi Marseille.", "Paris") == ["Paris", "Lyon", "Marseille"]
    assert _items("Il a visité Paris et Lyon, mais aussi rencontré le maire.", "Paris") == ["Paris", "Lyon"]


def test_two_names_joined_by_an_article_in_an_enumeration_are_two_items():
    t = "Un ancien corridor entre l'Iran, l'Irak la Syrie et le Liban : le fameux axe."
    assert _items(t, "l'Iran, l'Irak la Syrie et le Liban") == ["Iran", "Irak", "Syrie", "Liban"]
    t = "L'ancienne Rhodésie est devenue le Zimbabwe, le Nyassaland le Malawi et le Béchouanaland le Botswana."
    assert _items(t, "le Nyassaland le Malawi et le Béchouanaland") == ["Nyassaland", "Malawi", "Béchouanaland",
                                                                         "Botswana"]
    assert _items("Il cite La Ciotat, Le Havre et Saint-Malo.", "La Ciotat") == ["La Ciotat", "Le Havre", "Saint-Malo"]


def test_soit_or_namely_opens_the_items_as_a_colon_does():
    t = "La crue des trois fleuves surplombant la ville, soit Mocoa, Mulato et Sangoyaco, a tout emporté."
    assert _items(t, "Mulato") == ["Mocoa", "Mulato", "Sangoyaco"]
    t = "Three rivers burst their banks, namely the Mocoa, the Mulato and the Sangoyaco, overnight."
    assert _items(t, "the Mulato") == ["Mocoa", "Mulato", "Sangoyaco"]


def test_a_noun_phrase_item_opening_with_an_article_may_be_longer_than_a_name():
    t = ("Le programme porte notamment sur l'urbanisme, les problèmes liés au logement, la lutte aux "
         "inégalités entre les quartiers, et le transport en commun.")
    assert _items(t, "l'urbanisme") == ["urbanisme", "problèmes liés au logement",
                                        "lutte aux inégalités entre les quartiers", "transport en commun"]
    # without an article, a long middle part is still a clause
    t = "Il a visité Lyon, puis est reparti très vite vers la capitale du pays, et Marseille."
    assert _items(t, "Lyon") == []


def test_an_answer_that_announces_a_list_after_a_colon_gives_the_list():
    t = "Disponible depuis décembre 2015, il est autorisé dans quatre pays : le Mexique, le Brésil, les Philippines et le Salvador."
    assert _items(t, "quatre pays") == ["Mexique", "Brésil", "Philippines", "Salvador"]
    assert _items("Il a visité deux villes : Lyon.", "deux villes") == []


def test_a_clause_between_commas_or_a_lone_name_is_no_enumeration():
    t = "L'Allemagne, qui avait été à l'origine de sa création, et l'Autriche ont fait part de leur opposition."
    assert _items(t, "l'Autriche") == []
    t = ("Les deux hommes avaient assisté mercredi, en compagnie d'autres dirigeants étrangers dont le président "
         "russe Vladimir Poutine, à un défilé militaire.")
    assert _items(t, "Vladimir Poutine") == []
    assert _items("Kim Jong Un est arrivé à Pékin mardi et a rencontré Xi Jinping.", "Pékin") == []


def test_enumerated_list_cites_the_one_sentence_and_adds_only_the_builders_items_of_that_sentence():
    from depeche.types import Citation
    from rag.answerers import Draft
    from rag.shaped.list_drafts import enumerated, merged

    quote = "L'Union européenne, les Nations Unies et Amnesty International ont critiqué la loi, avec le HCR."
    c = Citation(n=1, article_id="a", title="T", date="2018-06-23", start=100, end=100 + len(quote),
                 quote=quote, score=1.0)
    fact = Draft("Nations Unies — « … » [1]", (c,), False, "Nations Unies")
    enum = enumerated(fact)
    assert enum is not None and enum.shape == "list" and len(enum.citations) == 1
    assert [line.split(" — ")[0].split(" [")[0] for line in enum.text.split("\n")] == [
        "• L'Union européenne", "• Nations Unies", "• Amnesty International"]
    other = Citation(n=2, article_id="b", title="U", date="2018-06-24", start=0, end=27,
                     quote="Le Canada a aussi réagi.", score=0.5)
    same = Citation(n=1, article_id="a", title="T", date="2018-06-23", start=100, end=100 + len(quote),
                    quote=quote, score=0.9)
    listed = Draft("• Canada — « Le Canada a aussi réagi. » [2]\n• HCR — « … » [1]\n• Nations Unies [1]",
                   (same, other), False, "Canada", shape="list")
    both = merged(enum, listed)
    # the HCR is named in the enumeration's sentence; Canada only near the topic, in another article
    assert both.text.split("\n")[-1] == "• HCR — « … » [1]" and "Canada" not in both.text
    assert [x.n for x in both.citations] == [1] and both.citations[0].article_id == "a"


def test_a_list_question_the_builders_cannot_answer_shows_the_readers_answers_as_items():
    from depeche.types import Citation
    from rag.answerers import Draft
    from rag.shaped.list_drafts import as_list, enumerated

    q1 = "Gildas Yihundimpundu a été libéré mardi."
    q2 = "Pascal Sinahagera, son chauffeur, a lui aussi été libéré."
    c1 = Citation(n=1, article_id="a", title="T", date="2016-10-25", start=0, end=len(q1), quote=q1, score=1.0)
    c2 = Citation(n=2, article_id="a", title="T", date="2016-10-25", start=50, end=50 + len(q2), quote=q2, score=0.8)
    fact = Draft("… [1] ; … [2]", (c1, c2), False, "Gildas Yihundimpundu",
                 answers=("Gildas Yihundimpundu", "Pascal Sinahagera"))
    assert enumerated(fact) is None  # neither answer is one item of an enumeration
    listed = as_list(fact)
    assert listed.shape == "list" and [x.n for x in listed.citations] == [1, 2]
    assert listed.text.split("\n") == [
        "• Gildas Yihundimpundu — « Gildas Yihundimpundu a été libéré mardi. » [1]",
        "• Pascal Sinahagera — « Pascal Sinahagera, son chauffeur, a lui aussi été libéré. » [2]"]
    assert as_list(Draft("Je ne trouve pas…", (), True)) is None


def test_an_enumeration_is_found_behind_the_readers_second_answer_too():
    from depeche.types import Citation
    from rag.answerers import Draft
    from rag.shaped.list_drafts import enumerated

    q1 = "La loi a été votée mardi."
    q2 = "L'Union européenne, les Nations Unies et Amnesty International ont critiqué la loi."
    c1 = Citation(n=1, article_id="a", title="T", date="2018-06-23", start=0, end=len(q1), quote=q1, score=1.0)
    c2 = Citation(n=2, article_id="a", title="T", date="2018-06-23", start=40, end=40 + len(q2), quote=q2, score=0.8)
    enum = enumerated(Draft("…", (c1, c2), False, "mardi", answers=("mardi", "Nations Unies")))
    assert enum is not None and [c.start for c in enum.citations] == [40]
    assert "• Amnesty International [1]" in enum.text.split("\n")


def test_two_reports_in_one_frame_give_the_names_of_the_better_answering_article():
    from rag.shaped.lists import weaker_parallels

    a = sent("L'individuel masculin est remporté par Yuzuru Hanyu et le féminin par Bradie Tennell.", 0.7, "a")
    b = sent("L'individuel masculin est remporté par Mikhail Kolyada et le féminin par Rika Kihira.", 0.5, "b")
    c = sent("Le masculin est remporté par Yuzuru Hanyu et le féminin par Bradie Tennell, selon l'agence.", 0.4, "c")
    names = lambda s, *ns: [(s.text.index(n), s.text.index(n) + len(n), n) for n in ns]  # noqa: E731
    founds = [names(a, "Yuzuru Hanyu", "Bradie Tennell"), names(b, "Mikhail Kolyada", "Rika Kihira"),
              names(c, "Yuzuru Hanyu", "Bradie Tennell")]
    strength = {"a": 0.7, "b": 0.5, "c": 0.4}
    assert weaker_parallels([a, b, c], founds, strength) == {1}  # c: the same names, a wire version


def test_a_noun_in_iste_asked_for_is_a_person_and_the_first_verb_is_the_predicate():
    from rag.shaped.lists import _label_set

    assert _label_set("Avec quels socialistes Henri Emmanuelli s'était-il associé ?", False) == {"PER"}
    assert "PER" not in _label_set("Quels partis populistes ont progressé ?", False)
    verb, topic = predicate("Qui a été libéré après l'arrestation d'un journaliste au Burundi ?")
    assert "liber" in verb and "arret" not in verb and "arrest" in topic


def test_teams_works_and_media_take_the_names_the_tagger_calls_misc():
    from rag.shaped.lists import _label_set

    assert _label_set("Quelles équipes les Bleues ont-elles battues ?", False) == {"ORG", "LOC", "MISC"}
    assert _label_set("Dans quels clubs Neymar a-t-il joué ?", False) == {"ORG", "MISC"}
    assert _label_set("Quels succès Bowie a-t-il enchaînés ?", False) == {"MISC", "ORG"}
    assert _label_set("Which films did Bud Luckey work on?", True) == {"MISC", "ORG"}
    assert _label_set("Quels médias ont publié les révélations ?", False) == {"ORG", "MISC"}
    assert _label_set("Quels pays ont signé l'accord ?", False) == {"LOC"}


def test_enumeration_items_lose_a_repeated_preposition_and_the_adjunct_after_the_last():
    from rag.shaped.enumeration import items_of

    def items(text: str, first: str) -> list[str]:
        a = text.index(first)
        return [text[x:y] for x, y in items_of(text, a, a + len(first))]

    assert items("Le cannibalisme était déjà avéré en Espagne et en France.", "Espagne") == ["Espagne", "France"]
    assert items("Les bus sont entrés à Zabdiyé, Salaheddine et al-Ansari dans l’est d’Alep sous escorte.",
                 "Zabdiyé") == ["Zabdiyé", "Salaheddine", "al-Ansari"]
    assert items("Il est autorisé dans quatre pays : le Mexique, le Brésil et le Salvador.", "Mexique") == \
        ["Mexique", "Brésil", "Salvador"]


def test_services_and_assemblies_asked_for_are_organisations():
    from rag.shaped.lists import _label_set

    assert _label_set("Quels services ont arrêté le jeune homme ?", False) == {"ORG", "MISC"}
    assert _label_set("Quelles assemblées doivent encore approuver l'accord ?", False) == {"ORG", "MISC"}


def test_a_title_ending_in_a_question_mark_and_a_closing_date_stay_out_of_the_clause_and_items():
    t = ("Il dut attendre son album Space Oddity pour se faire connaître du grand public et enchaîner les succès "
         "comme Life on Mars? en 1971 ou encore Let's Dance.")
    assert _items(t, "Life on Mars") == ["Life on Mars?", "Let's Dance"]
    assert _items("Il a visité Paris en mai 2016, Lyon et Marseille le 3 juin 2017.", "Paris") == [
        "Paris", "Lyon", "Marseille"]


def test_words_closing_an_enumeration_are_no_part_of_its_last_item():
    t = "Le président a convoqué les ambassadeurs de la Chine et de la Russie entre autres, mardi."
    assert _items(t, "Chine") == ["Chine", "Russie"]
    assert _items("Il a cité la Chine, l'Inde et le Brésil, notamment.", "Inde")[-1] == "Brésil"


def test_a_last_item_running_on_into_a_phrase_of_its_own_still_ends_the_enumeration():
    t = ("Longtemps accusée de laxisme vis-à-vis des organisations djihadistes du Front al-Nosra et de l'État "
         "islamique (EI) par ses alliés occidentaux, la Turquie a arrêté trois suspects.")
    assert _items(t, "Front al-Nosra") == ["Front al-Nosra", "État islamique"]
    assert _items("Il a reçu les ministres du Mali et du Niger dans son bureau mardi.", "Mali") == ["Mali", "Niger"]
    # "par" + a bare noun is a rate, part of the item ("par personne"), not an agent phrase
    t = "La possession sera limitée à 4 plants de cannabis par ménage et 30 grammes par personne en public."
    assert _items(t, "4 plants")[-1] == "30 grammes par personne en public"


def test_a_list_of_names_keeps_only_items_that_start_like_names():
    from depeche.types import Citation
    from rag.answerers import Draft
    from rag.shaped.list_drafts import as_list, enumerated
    from rag.shaped.lists import asks_for_names

    assert asks_for_names("Quelles équipes les handballeuses ont-elles battues ?")
    assert not asks_for_names("Quels dispositifs de soutien à l'emploi arrivent en fin de déploiement ?")
    q = "Privées de leur meilleure buteuse, les bleues enchainent les tirs manqués et les balles perdues."
    c = Citation(1, "a", "T", "2016-08-20", 0, len(q), q, 1.0)
    fact = Draft("…", (c,), False, "leur meilleure buteuse", answers=("leur meilleure buteuse",))
    assert enumerated(fact, names=False) is not None and enumerated(fact, names=True) is None
    assert as_list(fact, names=True) is None
    q = "Les bus sont entrés dans les quartiers de Zabdiyé, Salaheddine, al-Machad et al-Ansari."
    c = Citation(1, "a", "T", "2016-12-18", 0, len(q), q, 1.0)
    enum = enumerated(Draft("…", (c,), False, "Zabdiyé", answers=("Zabdiyé",)), names=True)
    assert [ln.split(" — ")[0].split(" [")[0] for ln in enum.text.split("\n")] == [
        "• Zabdiyé", "• Salaheddine", "• al-Machad", "• al-Ansari"]


def test_the_agent_of_a_passive_is_no_item_of_a_list_of_who_underwent_it():
    from index.french import fold
    from rag.shaped.lists import _AGENT, _PASSIVE_Q

    assert _PASSIVE_Q.search(fold("Quels candidats ont été recalés de la primaire ?"))
    assert not _PASSIVE_Q.search(fold("Quels joueurs les Girondins ont-ils recrutés ?"))
    before = "Pierre Larrouturou et Bastien Faudot ont été écartés au début du mois par le premier secrétaire du PS "
    assert _AGENT.search(before) and not _AGENT.search("Pierre Larrouturou et ")


def test_a_sentence_naming_the_act_by_its_noun_carries_the_predicate():
    from rag.shaped.lists import _holds

    verb, _ = predicate("Quelles entreprises ont soutenu les réfugiés ?")
    assert _holds("D'autres entreprises ont annoncé leur soutien aux réfugiés, comme Airbnb et Apple.", verb)
    verb, _ = predicate("Quels militants ont été libérés ?")
    assert _holds("La libération de Paul Dupont et de Marie Roy a eu lieu lundi.", verb)


def test_the_verb_of_an_apposition_is_not_the_questions_predicate():
    verb, topic = predicate("Quels prix a reçus Jean Dupont, l'écrivain mort en mars 2016 ?")
    assert not any(v.startswith("mort") for v in verb)
    assert "mort" in topic


def test_companies_are_asked_for_by_their_names():
    from rag.shaped.lists import _label_set

    assert _label_set("Quelles entreprises ont quitté le forum ?", False) >= {"ORG", "MISC"}
    assert _label_set("Which companies backed the plan?", True) >= {"ORG", "MISC"}


def test_a_list_the_article_announces_with_the_asked_noun_and_a_colon_is_the_answer():
    from rag.shaped.announced import announced

    text = ("Les deux tiers des primates vivent dans quatre pays seulement : le Brésil, l'Indonésie, "
            "Madagascar et la RDC, selon l'étude.")
    other = "On trouve des primates dans 90 pays, en Amérique latine, en Afrique et en Asie."
    s1, s2 = sent(text, 0.5, "a", 200), sent(other, 0.9, "a", 0)
    got = announced("Dans quels pays vivent les deux tiers des primates ?", [s2, s1])
    assert got is not None and got[0] is s1
    assert [text[a:b] for a, b in got[1]] == ["Brésil", "Indonésie", "Madagascar", "RDC"]
    # English questions find the French noun; a colon list of another kind, or of another topic, is none
    assert announced("Which countries are home to two thirds of primates?", [s1], english=True) is not None
    assert announced("Quelles villes ont été visées ?", [s1]) is None
    assert announced("Dans quels pays le vaccin est-il autorisé ?", [sent("Trois pays : la France, l'Italie et Malte.")]) is None


def test_a_span_starting_at_an_item_of_a_longer_enumeration_gives_all_its_items():
    t = "Les ports de Brest, Lorient, Vannes et Quimper ont été fermés par précaution."
    assert _items(t, "Lorient, Vannes et Quimper") == ["Brest", "Lorient", "Vannes", "Quimper"]
    # a span starting inside a longer first part keeps to its own items
    t = "Il a couru avec ses compatriotes Powell, Blake et Ashmeade."
    assert _items(t, "Powell, Blake et Ashmeade") == ["Powell", "Blake", "Ashmeade"]


def test_a_list_of_things_keeps_the_item_after_comme_and_drops_the_dates():
    from depeche.types import Article
    from rag.shaped.announced import stated_list
    from rag.shaped.corpus import Sent

    text = ("La tempête est aussi forte que celles qui ont frappé l'île, comme Xynthia en 2010, Klaus en 2009, "
            "Lothar en 1999 ou Martin en 1999, selon le service météo.")

    class One:
        def article(self, aid):
            return Article(id="a", title="t", date="2020-01-01", text=text, url="")

    s = Sent("a", 0, len(text), text, 1.0)
    got = stated_list(One(), "Quelles tempêtes ont été citées en comparaison ?", [s], [s])
    assert got is not None
    assert [line.split(" — ")[0].split(" [")[0].lstrip("• ") for line in got[0].splitlines()] == [
        "Xynthia", "Klaus", "Lothar", "Martin"]


def test_a_list_of_things_is_read_off_an_enumeration_of_noun_phrases():
    from rag.shaped.announced import noun_enumeration
    from rag.spans import parse

    texts = ["Sur les 55 passagers, on retrouve 44 Russes, huit Ukrainiens, deux Indiens et un Ouzbek.",
             "A ce jour, 33 véhicules, 15 échangeurs et 6 bâtiments ont été détruits par des incendies.",
             "Le président est arrivé jeudi et a rencontré le ministre."]
    got = [[t[a:b] for a, b in noun_enumeration(doc)] for t, doc in zip(texts, parse(texts))]
    assert got[0] == ["44 Russes", "huit Ukrainiens", "deux Indiens", "Ouzbek"]
    assert got[1] == ["33 véhicules", "15 échangeurs", "6 bâtiments"]  # "A ce jour" is no item
    assert got[2] == []  # two clauses joined by "et" are no list


def test_the_predicate_is_the_questions_verb_not_a_noun_or_an_aside_of_a_known_kind():
    # "lost" is of no known kind: the predicate is unknown, not the noun "election"
    assert predicate("Which parties lost seats in the German federal election?", english=True)[0] == set()
    assert predicate("Quels partis ont perdu des sièges aux élections fédérales allemandes ?")[0] == set()
    # "elected officials": an adjective; "Libération" a newspaper; ", mort en janvier 2016,": an aside
    assert predicate("Which elected officials voiced concern about the wall?", english=True)[0] == set()
    assert not predicate("Quels succès David Bowie, mort en janvier 2016, a-t-il enchaînés ?")[0]
    assert predicate("Which leaders met at Sandhurst?", english=True)[0] == predicate("Quels dirigeants se sont rencontrés ?")[0]
    assert "libere" in {t[:6] for t in predicate("Qui a été libéré après l'arrestation du journaliste ?")[0]}


def test_a_verb_whose_stem_is_a_word_of_its_own_is_not_of_a_longer_family():
    from rag.shaped.predicate import _like

    assert not _like("entre", "entreten")  # "entrés" is not "entretenus"
    assert _like("oppos", "opposit")
    assert not _like("congr", "congratulat")  # "Congrès" is no "congratulate": a short start of a long stem
    assert _like("felicit", "felicitation") and _like("annul", "annulat")


def test_a_sentence_where_the_congress_is_named_does_not_decide_whether_one_congratulated():
    from rag.shaped.corpus import Sent
    from rag.shaped.yesno import by_rule

    q = "Did Hillary Clinton congratulate Donald Trump?"
    s = "Donald Trump en a profité pour rendre hommage à Hillary Clinton devant les élus du Congrès."
    assert by_rule(q, [Sent("a", 0, len(s), s, 1.0)], True)[0] == "unsaid"


def test_nicknames_and_titles_are_the_quotations_of_the_sentences_about_them():
    from rag.shaped.lists import list_items

    a = sent("Paul Bocuse avait été désigné « Cuisinier du siècle » par Gault et Millau en 1989.", 0.6)
    b = sent("Celui qui était surnommé « le pape de la gastronomie » ou encore « Monsieur Paul » est mort ce "
             "matin à Collonges-au-Mont-d'Or.", 0.5, start=100)
    names = [it.name for it in list_items("Quels surnoms donnait-on au chef lyonnais Paul Bocuse ?", [a, b])]
    assert "le pape de la gastronomie" in names and "Monsieur Paul" in names
    assert not {"Gault", "Millau", "Collonges-au-Mont-d'Or"} & set(names)  # a nickname is no person or place
    song = sent("Après que Johnny Hallyday ait entonné sa chanson « Un dimanche de janvier », le chœur a repris "
                "« Les Prénoms de Paris ».", 0.5)
    hommage = sent("La cérémonie d'hommage aux victimes des attentats s'est tenue place de la République à Paris.", 0.7,
                   start=200)
    names = [it.name for it in list_items("Quelles chansons ont été interprétées lors de la cérémonie d'hommage "
                                          "aux victimes des attentats à Paris ?", [hommage, song])]
    assert names[:2] == ["Un dimanche de janvier", "Les Prénoms de Paris"]


def test_a_readers_answer_running_over_two_sentences_gives_the_names_in_it():
    from rag.shaped.item_names import _names_in

    assert _names_in("Yulia Surikova remporte ce championnat du monde. La troisième place revient à "
                     "l'Autrichienne Romana Slavinec") == ["Yulia Surikova", "Romana Slavinec"]
    assert _names_in("Adam Yateset le cycliste élu le plus combatif de l'étape est Vincenzo Nibali") == \
        ["Adam Yateset", "Vincenzo Nibali"]


def test_approving_an_agreement_is_ratifying_it():
    assert predicate("Quelles assemblées doivent encore approuver l'accord ?")[0] == \
        predicate("Which countries ratified the agreement?", english=True)[0]


class _ScriptedReader:
    """Gives fixed span scores: the reader's model is not what these tests are about."""

    def __init__(self, spans):
        self.spans = spans  # (text of the span, score)

    def read(self, question, passages, **_):
        from rag.reader_encoding import SpanGuess

        out = []
        for i, p in enumerate(passages):
            for text, score in self.spans:
                if (at := p.find(text)) >= 0:
                    out.append(SpanGuess(i, at, at + len(text), score, score))
        return sorted(out, key=lambda g: -g.score)


def _answerer_over(text, spans):
    from depeche.types import Article, Chunk, Hit
    from rag.read_answer import ReaderAnswerer

    art = Article("a1", "Séries", text, "2016-07-05")

    class Corpus:
        settings = None

        def article(self, _):
            return art

    hit = Hit(Chunk("a1:0", "a1", art.title, art.date, None, None, 0, len(text), text), 1.0, 0.8)
    return ReaderAnswerer(Corpus(), _ScriptedReader(spans), threshold=-2.0), [hit]


def test_a_list_question_takes_a_weaker_span_only_when_it_lies_in_an_enumeration():
    from rag.question import Question

    text = "L'acteur a joué dans Navarro ou Julie Lescaut. Il est mort mardi à Paris."
    q = Question.of("Dans quelles séries a-t-on vu l'acteur ?")
    # the span's combined score: its margin plus its passage's retrieval share (1.0 here): -4.0
    answerer, hits = _answerer_over(text, [("Navarro ou Julie Lescaut", -5.0)])
    assert answerer(q, hits).abstained  # a fact question: below the threshold, refused
    listed = answerer(q, hits, enumeration_floor=-4.5)
    assert not listed.abstained and "Navarro" in listed.short_answer
    assert answerer(q, hits, enumeration_floor=-3.5).abstained  # under the floor
    answerer, hits = _answerer_over(text, [("Paris", -5.0)])  # a lone name: no enumeration
    assert answerer(q, hits, enumeration_floor=-4.5).abstained


def test_a_span_opening_with_a_preposition_gives_items_without_it():
    t = "L'acteur a joué dans Navarro ou Julie Lescaut. Il est mort mardi."
    assert _items(t, "dans Navarro ou Julie Lescaut") == ["Navarro", "Julie Lescaut"]
    assert _items("Il a vécu en Espagne et en France.", "en Espagne") == ["Espagne", "France"]


def test_the_best_ranked_sentence_gives_its_names_though_it_repeats_few_topic_words():
    from rag.shaped.corpus import Sent
    from rag.shaped.lists import list_items

    q = "Qui étaient les trois premiers de la 2e étape du Tour de France 2016 entre Saint-Lô et Cherbourg ?"
    podium = "Le vainqueur de l'étape est Peter Sagan il est suivi de Julian Alaphilippe et Alejandro Valverde."
    scene = ("Après plus de 183 kilomètres entre Saint-Lô et Cherbourg-en-Cotentin, les coureurs du Tour sont "
             "arrivés au bout de cette étape.")
    items = list_items(q, [Sent("a", 0, len(podium), podium, 1.0), Sent("a", 200, 200 + len(scene), scene, 0.9)])
    assert {"Peter Sagan", "Julian Alaphilippe", "Alejandro Valverde"} <= {it.name for it in items}


def test_a_podium_asked_without_a_question_word_is_a_list_of_names():
    from rag.shaped.corpus import Sent
    from rag.shaped.lists import asks_for_names, list_items

    q = "podium hommes WTS Abou Dabi 2017 ?"
    assert asks_for_names(q) and asks_for_names("Abu Dhabi World Triathlon 2017: men's podium?", english=True)
    podium = ("À Abou Dabi, l'Espagnol Javier Gomez remporte la course devant le Britannique Tom Bishop et le "
              "Français Vincent Luis.")
    items = list_items(q, [Sent("a", 0, len(podium), podium, 1.0)])
    assert {"Javier Gomez", "Tom Bishop", "Vincent Luis"} <= {it.name for it in items}


def test_a_name_after_the_word_for_its_kind_is_an_item_of_a_list_of_names():
    from depeche.types import Citation
    from rag.answerers import Draft
    from rag.shaped.list_drafts import enumerated
    from rag.shaped.item_names import named_item

    q = "Le 6 février, il n'a désigné que trois clients de sa société : Axa, Fimalac et la banque Oddo."
    c = Citation(1, "a", "T", "2017-03-25", 0, len(q), q, 1.0)
    enum = enumerated(Draft("…", (c,), False, "Axa", answers=("Axa",)), names=True)
    assert [ln.split(" — ")[0].split(" [")[0] for ln in enum.text.split("\n")] == ["• Axa", "• Fimalac", "• banque Oddo"]
    assert named_item("groupe Casino") and named_item("lycée Jacques-Monod")
    assert not named_item("soit Mocoa") and not named_item("dans Paris")
    assert not named_item("manque à gagner de 150 millions pour Auchan")


def test_a_short_quotation_is_part_of_an_item_not_the_end_of_the_enumeration():
    t = "Les unités d'élite des « Force d'intervention », la police fédérale et les unités de mobilisation ont repris l'offensive."
    assert _items(t, "la police fédérale") == ["Force d'intervention", "police fédérale", "unités de mobilisation"]
    t = "Elle a chanté « Un jour en mai », « Les Lacs du Nord » et « Ma rue » ce soir-là."
    assert _items(t, "Les Lacs du Nord") == ["Les Lacs du Nord", "Ma rue"]
    assert _items(t, "Un jour en mai") == ["Un jour en mai", "Les Lacs du Nord", "Ma rue"]


def test_words_before_the_span_in_its_part_keep_the_parts_before_out_of_the_list():
    t = "Néanmoins, l'association souligne que la clause exclut de fait les réseaux sociaux, les blogs, ou les wikis."
    assert _items(t, "les réseaux sociaux") == ["réseaux sociaux", "blogs", "wikis"]
    t = "La crue venait de trois rivières, soit Mocoa, Mulato et Sangoyaco, selon la mairie."
    assert _items(t, "soit Mocoa") == ["Mocoa", "Mulato", "Sangoyaco"]


def test_what_a_verb_of_saying_announced_is_listed_and_only_its_subject_is_a_source():
    from rag.shaped.lists import _speaker_of_other_verb
    from rag.spans import parse

    t = "D'autres entreprises ont annoncé leur soutien, comme Airbnb et également Apple, Netflix, Google et Microsoft."
    doc = parse([t])[0]
    assert not any(_speaker_of_other_verb(doc, t.index(n), set()) for n in ("Apple", "Netflix", "Google"))
    t = "« Nous progressons », a expliqué l'entraîneur Patrice Canayer après le match."
    doc = parse([t])[0]
    assert _speaker_of_other_verb(doc, t.index("Patrice"), set())


def test_what_the_question_itself_names_is_no_item_even_in_lower_case():
    from rag.shaped.lists import list_items

    s = sent("Le texte doit maintenant être approuvé par le Parlement européen, après la signature entre le Canada "
             "et l'Union européenne.", 0.6)
    names = [it.name for it in list_items("Quelles assemblées doivent approuver l'accord entre le Canada et l'Union "
                                          "européenne ?", [s])]
    assert "Parlement européen" in names
    assert "Union européenne" not in names and "Canada" not in names


def test_who_did_it_lists_the_doers_of_the_verb_not_a_source_denying_it():
    from rag.shaped.lists import list_items

    denial = sent("Un des leaders de Boko Haram, Abubakar Shekau, a démenti dans une vidéo que les otages aient été "
                  "libérés.", 0.8)
    done = sent("Les otages ont été libérés par Paul Biya et Muhammadu Buhari, selon le ministre.", 0.6, start=200)
    names = [it.name for it in list_items("Qui a libéré les otages ?", [denial, done])]
    assert "Abubakar Shekau" not in names
    assert "Paul Biya" in names


def test_a_source_opening_the_sentence_is_no_item_of_its_enumeration():
    from rag.shaped.enumeration import items_of

    text = "Selon ces derniers, Paris et Marseille ont été traversés par des cortèges de 60 000 protestataires."
    at = text.index("Paris")
    assert [text[a:b] for a, b in items_of(text, at, at + 5)] == ["Paris", "Marseille"]


def test_a_by_phrase_the_parser_misses_still_names_who_did_it():
    from rag.shaped.lists import list_items

    s = sent("Le jeune homme a été interpellé, sans incident, par des membres de la DGSI en provenance de Paris et "
             "assistés du Raid, selon des sources policières.", 0.8)
    names = [it.name for it in list_items("Quels services ont interpellé le jeune homme ?", [s])]
    assert "DGSI" in names and "Raid" in names


def test_places_asked_for_are_named_where_the_deed_is_done_without_the_common_noun_before_them():
    from rag.shaped.corpus import Sent
    from rag.shaped.lists import list_items

    q = "Quels aéroports ont annulé des vols pendant la grève des contrôleurs ?"
    text = "Pendant la grève des contrôleurs, 64 vols ont été annulés lundi à l'aéroport de Toulouse."
    assert [it.name for it in list_items(q, [Sent("a", 0, len(text), text, 1.0)])] == ["Toulouse"]


def test_the_sentence_of_the_story_naming_the_kind_asked_for_gives_its_names():
    from rag.shaped.corpus import Sent
    from rag.shaped.lists import list_items

    q = "Quelles personnalités échappent à la taxe sur les yachts ?"
    first = "Cinquante contribuables échappent à la taxe sur les yachts grâce à un montage juridique."
    kind = "Parmi eux, on retrouve des personnalités connues telles Jeanne Martin et Paul Durand."
    pool = [Sent("a", 0, len(first), first, 1.0), Sent("a", 100, 100 + len(kind), kind, 0.6)]
    assert {"Jeanne Martin", "Paul Durand"} <= {it.name for it in list_items(q, pool)}
    far = "Les personnalités du cinéma Anne Roux et Marc Petit ont présenté leur film à Cannes."
    pool.append(Sent("a", 3000, 3000 + len(far), far, 0.6))  # far from the story's sentence: other people
    assert not {"Anne Roux", "Marc Petit"} & {it.name for it in list_items(q, pool)}


def test_an_enumeration_after_sur_or_pour_gives_items_without_the_preposition():
    from rag.shaped.enumeration import items_of

    t = "Le jeu devrait sortir fin 2019 sur PC, PS4 et Xbox One, dont l'univers se place en 1920."
    a, b = t.index("sur PC"), t.index("Xbox One") + len("Xbox One")
    assert [t[x:y] for x, y in items_of(t, a, b)] == ["PC", "PS4", "Xbox One"]

"""Names in a question, and whether a sentence or its article speaks of them (rag/names.py)."""
from index.french import tokenize
from rag.names import absent_names, contains, missing_names, other_names, question_names


def test_question_words_and_openers_are_not_names():
    assert question_names("Qui a critiqué la rencontre ?") == []
    assert question_names("Quel athlète a remporté un titre olympique ?") == []
    assert question_names("Selon le ministre, combien de personnes sont mortes ?") == []


def test_a_person_is_known_by_the_last_word_of_the_name():
    assert question_names("Emmanuel Macron a-t-il été élu en 2017 ?") == [("macron",)]
    assert question_names("Où Jean-Luc Mélenchon a-t-il parlé ?") == [("melenchon",)]


def test_fixed_expressions_keep_their_complement():
    assert question_names("Qui a remporté la Coupe du monde de football en 2022 ?") == [("coup", "mond")]
    assert question_names("Qui a gagné la Ligue des champions ?") == [("ligu", "champion")]


def test_several_names_and_hyphenated_places():
    names = question_names("Combien d'emplois la fermeture de l'usine Tupperware de Joué-lès-Tours supprime-t-elle ?")
    assert names == [("tupperwar",), ("jou", "tour")]


def test_a_fixed_expression_must_occur_side_by_side():
    article = tokenize("Le PSG a remporté trois Coupes du Roi ; un record du monde.")
    assert not contains(article, ("coup", "mond"))
    assert contains(tokenize("Il a gagné la Coupe du monde en 2018."), ("coup", "mond"))
    names = [("coup", "mond"), ("psg",)]
    assert missing_names(names, lambda n: contains(article, n)) == 1


def test_a_sentence_naming_other_things_speaks_of_another_subject():
    names = question_names("Combien d'emplois l'usine Tupperware supprime-t-elle ?")
    assert other_names("En 2010, l'usine Michelin avait déjà supprimé 700 emplois.", names)
    assert not other_names("Un coup dur pour les 235 salariés de l'entreprise.", names)
    assert not other_names("L'usine Tupperware, comme Michelin, supprime 235 emplois.", names)


def test_the_subject_may_be_named_in_the_sentence_before():
    names = question_names("Combien d'hectares le Chili a-t-il reçus en donation en Patagonie ?")
    assert other_names("Il s'agit de 407 625 hectares situés en Patagonie.", names)
    assert not other_names("Il s'agit de 407 625 hectares situés en Patagonie.", names,
                           before="Le Chili vient de recevoir la plus grande donation de terres privées.")


def test_a_sentence_about_someone_else_does_not_answer_for_the_subject():
    names = question_names("Quand Poutine est-il arrivé à Pékin ?")
    assert other_names("Kim Jong Un est arrivé mardi à Pékin.", names)
    assert not other_names("Les deux hommes ont assisté mercredi au défilé avec Vladimir Poutine.", names)


def test_an_english_question_naming_what_no_cited_article_names_is_about_something_else():
    from rag.names import absent_english_names

    question = "Which companies were fined by the Peruvian competition authority in 2018?"
    assert absent_english_names(question, ["La société Gucci est sous le coup d'une enquête de la justice italienne."])
    assert not absent_english_names(question, ["L'autorité péruvienne de la concurrence a infligé une amende."])
    # French spellings of English names, glossed or near: "Poutine", "Pékin", "chiite"
    assert not absent_english_names("Why did Putin thank Kim Jong Un?", ["Vladimir Poutine a remercié Kim Jong Un."])
    assert not absent_english_names("Which leaders attended the parade in Beijing?", ["Le défilé à Pékin."])
    assert not absent_english_names("Which cities did the Shiite militias cut off?", ["Les milices chiites ont coupé…"])


def test_the_first_word_of_a_chat_question_is_no_name():
    # a request, the head of a nominal question, a question word typed one letter off, a date in English
    assert question_names("Résume-moi l'attaque du 1er avril à Jérusalem.") == [("jerusalem",)]
    assert question_names("Réaction du député Jean-Luc Laurent au vote ?") == [("laurent",)]
    assert question_names("Pourqoui les horloges retardent en Europe ?") == [("europ",)]
    assert question_names("Porquoi la grève ?") == []
    assert question_names("gilets jaunes, Sunday 2 December : l'essentiel ?") == []
    # a name that opens the question is still a name
    assert question_names("Lagos a-t-elle accueilli les Jeux ?") == [("lagos",), ("jeux",)]
    assert absent_names("Raisons de la grève à Lagny ?", ["La grève à Lagny a commencé lundi."]) == []


def test_a_verb_with_its_pronoun_or_a_request_opening_a_sentence_is_no_name():
    from rag.names import question_names

    assert question_names("Pourriez-vous me retracer la course de Sylvain Sudrie à Oklahoma City ?") == [("sudr",), ("city",)]
    assert question_names("Flamanville, c'est pas le premier incident, si ? Retrace-moi ceux d'avant.") == [("flamanvill",)]
    assert question_names("Existe-t-il un chef de l'exécutif dans le système Helvétique ?") == [("helvet",)]
    # a run of names still ends at the verb, and an initial does not end a sentence
    assert question_names("Quand Henry Longfellow publie-t-il Evangeline ?") == [("longfellow",), ("evangelin",)]
    assert question_names("Comment Theodor W. Adorno a caractérisé ces mouvements ?") == [("adorno",)]


def test_a_request_left_bare_by_the_rewrite_is_no_name():
    from rag.names import question_names

    assert question_names("Expliquer comment Thierry Mandon a réagi à l'avis du Conseil d'État ?")[0] == ("mandon",)
    assert all(n[0] != "dir" for n in question_names("Dire qui a gagné à Rome ?"))
    assert question_names("Salut, petite question : le rover Opportunity fonctionne-t-il ?") == [("opportunity",)]


def test_a_topic_opening_the_question_is_no_sure_name():
    # "Fin de l'épidémie d'Ebola : …": the first word heads a common noun phrase as often as a name
    question = "Fin de l'épidémie d'Ebola (janvier 2016) : quels pays d'Afrique de l'Ouest ont été touchés ?"
    assert question_names(question) == [("ebol",), ("afriqu",), ("ouest",)]
    assert absent_names(question, ["L'épidémie d'Ebola a frappé l'Afrique de l'Ouest, surtout la Guinée."]) == []
    # the same expression further on is still one name
    assert question_names("Qui a gagné la Coupe du monde ?") == [("coup", "mond")]


def test_a_month_ends_a_run_of_names():
    assert question_names("WTS Abu Dhabi March 2016 men's podium?") == [("dhab",)]


def test_an_english_hyphenated_adjective_is_no_name():
    from rag.names import absent_english_names, english_names

    question = "After taking al-Bab in February 2017, which towns did the Turkish-backed rebels retake?"
    assert english_names(question) == []
    assert english_names("Which Earth-sized planets orbit TRAPPIST-1?") == []
    assert not absent_english_names(question, ["Les rebelles soutenus par la Turquie ont repris Qabasin."])
    assert english_names("Who won in Saint-Denis?") == [("Saint-Denis",)]


def test_a_nationality_the_cited_articles_never_name_makes_the_answer_another_questions():
    # French writes nationalities in lowercase: "islandais" names Islande as much as a capitalised name would
    question = "Quels ministres ont démissionné du gouvernement islandais en mars 2017 ?"
    assert absent_names(question, ["Manuel Valls a démissionné du poste de premier ministre."]) == [("islandais",)]
    assert absent_names(question, ["Le Premier ministre d'Islande a démissionné mardi."]) == []
    assert absent_names("Qu'ont dit les joueuses brésiliennes ?", ["Les Brésiliennes ont parlé."]) == []
    assert absent_names("Qu'a dit la presse grecque ?", ["À Athènes, en Grèce, la presse a réagi."]) == []
    # a country is also named by its capital and by the press's metonyms
    study = "De quoi meurt-on un 1er janvier selon l'étude américaine ?"
    assert absent_names(study, ["Outre-Atlantique, un chercheur a analysé 57 millions de certificats."]) == []
    assert absent_names("Qu'a répondu le gouvernement russe ?", ["Moscou a répondu mardi."]) == []
    assert absent_names(study, ["Une étude sur les décès de janvier."]) == [("américain",)]
    from rag.nationalities import question_nationalities

    # capitalised ("les Russes"), it is a name, which question_names checks; "suisse" stays the country's own word
    assert [a for a, _ in question_nationalities("Les Russes et la presse suisse")] == ["suisse"]

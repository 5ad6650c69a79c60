"""A list asked of places inside a country lists no country; a list asked of countries lists only
countries (rag/shaped/places.py, pure)."""
from __future__ import annotations

from depeche.types import Citation
from rag.answerers import Draft
from rag.shaped.places import (asks_for_countries, asks_for_local_places, country_of, is_country, only_countries,
                               without_countries)


def _cite(n: int, quote: str) -> Citation:
    return Citation(n=n, article_id=f"a{n}", title="T", date="2017-10-20", start=0, end=len(quote), quote=quote,
                    score=1.0)


def test_a_list_of_cities_drops_the_countries_and_keeps_its_quotations_and_markers_in_order():
    q1 = "Les combattants se sont repliés de Syrie vers Sokhné et Deir Ezzor."
    q2 = "La Syrie et l'Irak ont annoncé la reprise de Mossoul."
    text = "\n".join([f"• Syrie — « {q1} » [1]", "• Sokhné [1]", "• Deir Ezzor [1]", f"• Irak — « {q2} » [2]"])
    draft = Draft(text, (_cite(1, q1), _cite(2, q2)), False, "Syrie", shape="list")
    got = without_countries(draft, "Vers quelles villes les combattants se sont-ils repliés ?")
    lines = got.text.split("\n")
    assert [line.split(" — ")[0].split(" [")[0] for line in lines] == ["• Sokhné", "• Deir Ezzor"]
    assert lines[0].startswith("• Sokhné — « ") and lines[0].endswith("[1]")  # it shows the quotation now
    assert [c.n for c in got.citations] == [1] and got.short_answer == "Sokhné"


def test_countries_stay_when_the_question_asks_for_countries_or_nothing_else_is_left():
    q = "La Syrie et l'Irak ont signé."
    draft = Draft(f"• Syrie — « {q} » [1]\n• Irak [1]", (_cite(1, q),), False, "Syrie", shape="list")
    assert without_countries(draft, "Quels pays ont signé ?") is draft
    assert without_countries(draft, "Quelles villes ont signé ?") is draft  # only countries: kept
    assert asks_for_local_places("which cities were cut off from each other?")
    assert asks_for_local_places("c'était dans quelles villes ?") and not asks_for_local_places("Quels pays ?")
    assert is_country("la France") and is_country("Côte d’Ivoire") and not is_country("Raqqa")


def test_a_list_of_countries_keeps_only_countries_cut_to_their_names():
    q1 = "La Haye accueille la conférence ; l'Ouganda et le Kenya ont signé le 3 mai."
    q2 = "Le Rwanda le 4 mai à son tour."
    text = "\n".join([f"• La Haye — « {q1} » [1]", "• Ouganda [1]", "• Kenya le 3 mai [1]",
                      f"• Rwanda le 4 mai — « {q2} » [2]"])
    draft = Draft(text, (_cite(1, q1), _cite(2, q2)), False, "La Haye", shape="list")
    got = only_countries(draft, "Quels pays ont signé l'accord ?")
    lines = got.text.split("\n")
    assert [line.split(" — ")[0].split(" [")[0] for line in lines] == ["• Ouganda", "• Kenya", "• Rwanda"]
    assert lines[0].startswith("• Ouganda — « ") and got.short_answer == "Ouganda"
    assert [c.n for c in got.citations] == [1, 2] and lines[2].endswith("[2]")


def test_a_list_of_countries_naming_no_country_says_the_corpus_does_not_tell():
    q = "Les juges siégeaient à La Haye, au tribunal de Monsanto."
    draft = Draft(f"• La Haye — « {q} » [1]", (_cite(1, q),), False, "La Haye", shape="list")
    got = only_countries(draft, "Which countries banned glyphosate after the tribunal?", english=True)
    assert got.abstained and not got.citations and got.shape == "list"
    assert only_countries(draft, "Quelles villes ont accueilli le tribunal ?") is draft  # not asked of countries
    assert asks_for_countries("de quels pays viennent les troupes ?") and not asks_for_countries("transite par le pays")
    assert not asks_for_countries("Quels pays et organisations ont condamné l'essai ?")
    assert country_of("Corée du Nord") == "Corée du Nord" and country_of("Nigeria le 29 août") == "Nigeria"
    assert country_of("Guinée Conakry") is None  # a capital word goes on: another name, not cut

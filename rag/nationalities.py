"""Nationality adjectives of a French question and the country they name ("le gouvernement islandais"
-> Islande). French writes them in lowercase, so the capitalised names of rag/names.py miss them;
an answer drawn from articles that name neither the adjective nor its country answers another
question. Pure.
"""
from __future__ import annotations

from functools import lru_cache
from typing import AbstractSet, Sequence

from index.french import fold, tokenize

# masculine singular adjective: the country (as French wire copy writes them), then the words that
# name it by metonymy (its capital: "Washington a annoncé"; "outre-Atlantique", "outre-Rhin");
# continents, languages shared by many countries and "européen" are left out
_TABLE = (
    "afghan:afghanistan/kaboul, français:france/paris/hexagone/tricolore, albanais:albanie, algérien:algérie/alger, allemand:allemagne/berlin/outre-rhin, américain:états-unis/washington/outre-atlantique/maison-blanche, "
    "angolais:angola, argentin:argentine/buenos aires, arménien:arménie, australien:australie/canberra/sydney, autrichien:autriche/vienne, "
    "azerbaïdjanais:azerbaïdjan, bangladais:bangladesh, belge:belgique/bruxelles/outre-quiévrain, biélorusse:biélorussie, "
    "birman:birmanie/rangoun/naypyidaw, bolivien:bolivie, brésilien:brésil/brasilia/rio, britannique:royaume-uni/londres/outre-manche, bulgare:bulgarie/sofia, "
    "burkinabè:burkina faso, burundais:burundi/bujumbura, cambodgien:cambodge, camerounais:cameroun/yaoundé, "
    "canadien:canada/ottawa, centrafricain:centrafrique, chilien:chili, chinois:chine/pékin, chypriote:chypre, "
    "colombien:colombie, congolais:congo/kinshasa/brazzaville, coréen:corée/séoul/pyongyang, croate:croatie/zagreb, cubain:cuba/la havane, danois:danemark/copenhague, "
    "égyptien:égypte/le caire, équatorien:équateur, érythréen:érythrée, espagnol:espagne/madrid, estonien:estonie, "
    "éthiopien:éthiopie/addis-abeba, finlandais:finlande/helsinki, gabonais:gabon, géorgien:géorgie, ghanéen:ghana, grec:grèce/athènes, "
    "guatémaltèque:guatemala, guinéen:guinée, haïtien:haïti/port-au-prince, hongrois:hongrie/budapest, indien:inde/new delhi, "
    "indonésien:indonésie/jakarta, irakien:irak/bagdad, iranien:iran/téhéran, irlandais:irlande/dublin, islandais:islande/reykjavik, "
    "israélien:israël/jérusalem/tel-aviv, italien:italie/rome, ivoirien:côte d'ivoire/abidjan, jamaïcain:jamaïque, japonais:japon/tokyo, "
    "jordanien:jordanie/amman, kazakh:kazakhstan, kenyan:kenya/nairobi, kosovar:kosovo, koweïtien:koweït, letton:lettonie, "
    "libanais:liban/beyrouth, libérien:liberia, libyen:libye/tripoli, lituanien:lituanie, luxembourgeois:luxembourg, "
    "macédonien:macédoine, malgache:madagascar, malaisien:malaisie, malien:mali/bamako, maltais:malte, "
    "marocain:maroc/rabat, mauritanien:mauritanie, mexicain:mexique/mexico, moldave:moldavie, monégasque:monaco, "
    "mongol:mongolie, monténégrin:monténégro, mozambicain:mozambique, namibien:namibie, népalais:népal, "
    "nicaraguayen:nicaragua, nigérian:nigeria/abuja/lagos, nigérien:niger, norvégien:norvège/oslo, néerlandais:pays-bas/amsterdam/la haye/hollande/hollandais, "
    "néo-zélandais:nouvelle-zélande, ougandais:ouganda/kampala, ouzbek:ouzbékistan, pakistanais:pakistan/islamabad, "
    "palestinien:palestine/gaza/cisjordanie/ramallah, panaméen:panama, paraguayen:paraguay, péruvien:pérou, philippin:philippines/manille, "
    "polonais:pologne/varsovie, portugais:portugal/lisbonne, qatari:qatar, roumain:roumanie/bucarest, russe:russie/moscou/kremlin, rwandais:rwanda/kigali, "
    "saoudien:arabie saoudite/riyad, sénégalais:sénégal/dakar, serbe:serbie/belgrade, singapourien:singapour, slovaque:slovaquie, "
    "slovène:slovénie, somalien:somalie, soudanais:soudan, sri-lankais:sri lanka, suédois:suède/stockholm, "
    "suisse:suisse/berne/genève, syrien:syrie/damas, tadjik:tadjikistan, taïwanais:taïwan, tanzanien:tanzanie, tchadien:tchad, "
    "tchèque:république tchèque/prague, thaïlandais:thaïlande/bangkok, togolais:togo, tunisien:tunisie/tunis, turc:turquie/ankara/istanbul, "
    "ukrainien:ukraine/kiev, uruguayen:uruguay, vénézuélien:venezuela/caracas, vietnamien:vietnam/hanoï, yéménite:yémen, "
    "zambien:zambie, zimbabwéen:zimbabwe, écossais:écosse/édimbourg, gallois:pays de galles/cardiff, anglais:angleterre/londres/outre-manche, "
    "québécois:québec/montréal, catalan:catalogne/barcelone, corse:corse, breton:bretagne, basque:pays basque, "
    "flamand:flandre, wallon:wallonie, bavarois:bavière, sicilien:sicile, kurde:kurdistan, "
    "tibétain:tibet, tchétchène:tchétchénie"
)


def _forms(adj: str) -> set[str]:
    """The adjective's four forms (masculine/feminine, singular/plural), folded."""
    a = fold(adj)
    if a.endswith("en"):  # péruvien -> péruvienne
        fem = a + "ne"
    elif a.endswith("e"):
        fem = a
    elif a == "grec":
        fem = "grecque"
    elif a == "turc":
        fem = "turque"
    else:
        fem = a + "e"
    masc_pl = a if a.endswith(("s", "x")) else a + "s"
    return {a, fem, masc_pl, fem + "s" if not fem.endswith("s") else fem}


@lru_cache(maxsize=1)
def _index() -> dict[str, tuple[str, tuple[frozenset[str], ...]]]:
    """{folded form: (adjective, the names that show the country is named, each as the stems it needs
    all of: "outre-Atlantique" needs both "outr" and "atlant")}."""
    out: dict[str, tuple[str, tuple[frozenset[str], ...]]] = {}
    for entry in _TABLE.split(","):
        adj, names = (x.strip() for x in entry.split(":"))
        needed = tuple(dict.fromkeys(frozenset(tokenize(w)) for w in (*_forms(adj), *names.split("/")) if tokenize(w)))
        for form in _forms(adj):
            out[form] = (adj, needed)
    return out


def question_nationalities(question: str) -> list[tuple[str, tuple[frozenset[str], ...]]]:
    """The nationality adjectives a French question writes in lowercase, each with the names (as stem
    sets) of itself and of its country ("le gouvernement islandais" -> [("islandais", ({islandais},
    {island}, {reykjavik}))]) (pure)."""
    index, seen, out = _index(), set(), []
    for word in question.replace("’", "'").split():
        word = word.strip(".,;:!?«»()\"'")
        if not word or not word[0].islower():  # capitalised: a name, which rag/names.py checks
            continue
        hit = index.get(fold(word))
        if hit and hit[0] not in seen:
            seen.add(hit[0])
            out.append(hit)
    return out


def absent_nationalities(nationalities: Sequence[tuple[str, tuple[frozenset[str], ...]]],
                         stems: AbstractSet[str]) -> list[tuple[str, ...]]:
    """Of a question's ``nationalities`` (:func:`question_nationalities`), those whose country none of
    the texts' ``stems`` names (pure)."""
    return [(adj,) for adj, names in nationalities if not any(n <= stems for n in names)]


__all__ = ["absent_nationalities", "question_nationalities"]

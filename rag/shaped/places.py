"""Lists of places checked against a gazetteer of countries. A list asked of cities, towns, regions or
departments lists no country ("Which cities controlled by the Islamic State…" -> not "Syrie", "Irak";
"quels départements…" -> not "France"); a list asked of countries lists only countries ("Russie
débutent" -> "Russie"; "La Haye" is dropped) and, naming none, says the corpus does not tell.
Pure functions over a list draft's "• item" lines.
"""
from __future__ import annotations

import dataclasses
import re

from index.french import fold
from rag.answerers import Draft
from rag.citations import renumber
from rag.lead import remark
from rag.shaped.text import BULLET, bullet_item, quoted

# the asked kind is a place inside a country
_LOCAL = re.compile(r"\b(?:quel(?:le)?s|which|what)\s+(?:\w+\s+){0,2}?"
                    r"(?:villes|communes|localites|quartiers|departements|regions|provinces|arrondissements|cantons|"
                    r"cities|towns|villages|districts|neighbou?rhoods|departments|counties|"
                    r"municipalities)\b")

# countries as French and English wire copy writes them (folded, without their article)
COUNTRIES = frozenset(fold(c.strip()) for c in (
    "afghanistan, afrique du sud, albanie, algérie, allemagne, andorre, angola, arabie saoudite, argentine, "
    "arménie, australie, autriche, azerbaïdjan, bahreïn, bangladesh, belgique, bénin, biélorussie, birmanie, "
    "bolivie, bosnie-herzégovine, botswana, brésil, bulgarie, burkina faso, burundi, cambodge, cameroun, "
    "canada, chili, chine, chypre, colombie, comores, congo, corée du nord, corée du sud, costa rica, "
    "côte d'ivoire, croatie, cuba, danemark, djibouti, égypte, émirats arabes unis, équateur, érythrée, "
    "espagne, estonie, états-unis, éthiopie, finlande, france, gabon, gambie, géorgie, ghana, grèce, "
    "guatemala, guinée, haïti, honduras, hongrie, inde, indonésie, irak, iran, irlande, islande, israël, "
    "italie, jamaïque, japon, jordanie, kazakhstan, kenya, kirghizistan, kosovo, koweït, laos, lettonie, "
    "liban, liberia, libye, liechtenstein, lituanie, luxembourg, macédoine, madagascar, malaisie, malawi, "
    "mali, malte, maroc, maurice, mauritanie, mexique, moldavie, monaco, mongolie, monténégro, mozambique, "
    "namibie, népal, nicaragua, niger, nigeria, norvège, nouvelle-zélande, oman, ouganda, ouzbékistan, "
    "pakistan, palestine, panama, paraguay, pays-bas, pérou, philippines, pologne, portugal, qatar, "
    "république centrafricaine, république démocratique du congo, rdc, république tchèque, roumanie, "
    "royaume-uni, russie, rwanda, salvador, sénégal, serbie, sierra leone, singapour, slovaquie, slovénie, "
    "somalie, soudan, soudan du sud, sri lanka, suède, suisse, syrie, tadjikistan, taïwan, tanzanie, tchad, "
    "thaïlande, togo, tunisie, turkménistan, turquie, ukraine, uruguay, venezuela, vietnam, yémen, zambie, "
    "zimbabwe, swaziland, eswatini, lesotho, bhoutan, brunei, cap-vert, fidji, guinée-bissau, "
    "guinée équatoriale, guyana, suriname, bahamas, barbade, belize, république dominicaine, "
    "trinité-et-tobago, maldives, papouasie-nouvelle-guinée, samoa, seychelles, timor oriental, vatican, "
    "saint-marin, bélarus, myanmar, congo-brazzaville, république du congo, angleterre, écosse, "
    "pays de galles, irlande du nord, grande-bretagne, hong kong, porto rico, groenland, algeria, argentina, "
    "australia, austria, belgium, brazil, bulgaria, cambodia, cameroon, chile, china, colombia, croatia, "
    "czech republic, denmark, egypt, ethiopia, finland, germany, greece, hungary, india, indonesia, iraq, "
    "ireland, italy, japan, jordan, lebanon, libya, malaysia, mexico, morocco, netherlands, new zealand, "
    "north korea, norway, peru, poland, romania, russia, saudi arabia, serbia, south africa, south korea, "
    "spain, sudan, sweden, switzerland, syria, thailand, tunisia, turkey, united kingdom, united states, "
    "usa, uk, armenia, azerbaijan, bolivia, bosnia and herzegovina, burma, cyprus, czechia, "
    "democratic republic of the congo, dr congo, ecuador, estonia, georgia, iceland, ivory coast, kuwait, "
    "latvia, lithuania, macedonia, north macedonia, moldova, mongolia, singapore, slovakia, slovenia, "
    "somalia, south sudan, tanzania, uganda, united arab emirates, uae, uzbekistan, zambia, england, "
    "scotland, wales, northern ireland, great britain, britain, puerto rico, greenland").split(","))
_ARTICLE = re.compile(r"^(?:la |le |les |l'|the )")
# the asked kind is a country: "quels pays", "de quels pays voisins", "which countries"
# ("quels pays et organisations…" asks for more than countries)
_COUNTRY = re.compile(r"\b(?:quel(?:le)?s|which|what)\s+(?:pays|countries|nations)\b(?!\s*(?:,|et|ou|and|or)\s)")


def asks_for_local_places(question: str) -> bool:
    """The list asked for is of places inside a country: cities, towns, regions, departments (pure)."""
    return bool(_LOCAL.search(fold(question)))


def asks_for_countries(question: str) -> bool:
    """The list asked for is of countries (pure)."""
    return bool(_COUNTRY.search(fold(question)))


def is_country(item: str) -> bool:
    return _ARTICLE.sub("", fold(item).replace("’", "'").strip()) in COUNTRIES


def without_countries(draft: Draft, question: str) -> Draft:
    """A list draft asked of places inside a country without the countries it lists; the first line
    kept shows its quotation when the line dropped before it did (pure). Unchanged when the question
    asks for other items, or when every item is a country (better a wrong kind than nothing)."""
    if draft.shape != "list" or draft.abstained or not asks_for_local_places(question):
        return draft
    lines = draft.text.split("\n")
    keep = [line for line in lines if not is_country(bullet_item(line))]
    if len(keep) == len(lines) or not any(bullet_item(line) for line in keep):
        return draft
    return _kept(draft, keep)


def country_of(item: str) -> str | None:
    """The country an item names, cut from words run on after it ("Russie débutent" -> "Russie",
    "Nigeria le 29 août" -> "Nigeria"); None when it names none (pure)."""
    words = item.split()
    for n in range(len(words), 0, -1):
        rest = words[n:]
        if is_country(" ".join(words[:n])) and (not rest or not rest[0][:1].isupper()):
            return " ".join(words[:n])
    return None


def only_countries(draft: Draft, question: str, english: bool = False, related: tuple = ()) -> Draft:
    """A list draft asked of countries with only the countries it lists, each cut to its name; none
    listed: the corpus does not tell (pure). Unchanged when the question asks for other items."""
    if draft.shape != "list" or draft.abstained or not asks_for_countries(question):
        return draft
    lines = draft.text.split("\n")
    keep = []
    for line in lines:
        item = bullet_item(line)
        country = country_of(item) if item else None
        if item and country:
            keep.append(BULLET + country + line[len(BULLET) + len(item):])
        elif not item:
            keep.append(line)
    if not any(bullet_item(line) for line in keep):
        if not any(bullet_item(line) for line in lines):
            return draft
        from rag.compose import not_found

        return Draft(not_found(english), (), True, None, related, draft.timings_ms, shape=draft.shape)
    return draft if keep == lines else _kept(draft, keep)


def _kept(draft: Draft, keep: list[str]) -> Draft:
    """The draft with only the lines kept: the first line kept shows its quotation when the line dropped
    before it did, and the markers left are renumbered 1, 2, … (pure)."""
    cites = {c.n: c for c in draft.citations}
    shown, out = set(), []
    for line in keep:
        n = int(m.group(1)) if (m := re.search(r"\[(\d+)\]\s*$", line)) else None
        item = bullet_item(line)
        if item and " — " not in line and n in cites and n not in shown and (at := cites[n].quote.find(item)) >= 0:
            line = f"{BULLET}{item} — {quoted(cites[n].quote, at, len(item), 160)} [{n}]"
        shown.add(n)
        out.append(line)
    # the markers left, renumbered 1, 2, … in the order of the citations
    used = {int(x) for line in out for x in re.findall(r"\[(\d+)\]", line)}
    kept = [c for c in draft.citations if c.n in used]
    numbered = renumber(kept)
    text = remark("\n".join(out), {c.n: d.n for c, d in zip(kept, numbered)})
    return dataclasses.replace(draft, text=text, citations=tuple(numbered),
                               short_answer=bullet_item(out[0]) or draft.short_answer)

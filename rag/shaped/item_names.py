"""Whether a list item is a name: "Zabdiyé", "al-Machad", "Parti radical", "banque Oddo" are; "leur
meilleure buteuse", "soit Mocoa" are not; and the names inside a long answer. Pure; used by the
enumeration reader (rag/shaped/enumeration.py) and the stated lists (rag/shaped/announced.py)."""
from __future__ import annotations

import re


_NAME_START = re.compile(r"^(?:(?:al|el|ad|ar|as|ash|at|az|ben|bin|ibn|abu|de|des|del|della|di|da|dos|du|van|von|der|den|"
                         r"ter|le|la|les|l|d|o|mac|mc)[-\s'’])*[A-ZÀ-ÝŒ0-9]")


_LEADING_NAME = re.compile(r"(?:(?:al|el|ad|ben|bin|ibn|abu|de|del|della|di|da|dos|du|van|von|der|den|le|la|mac|mc)"
                           r"[-\s'’])*[A-ZÀ-ÝŒ][\w'’.-]*(?:(?:\s+|\s+(?:de|del|da|di|dos|du|van|von|der|den|bin|ben|al|"
                           r"el|la|le)[\s-]+|-)[A-ZÀ-ÝŒ][\w'’.-]*)*")


_DEMONYM = re.compile(r"^[A-ZÀ-Ý]\w+(?:ien|ienne|ais|aise|ois|oise|ain|aine|and|ande|ol|ole|in|ine)\s+(?=[A-ZÀ-Ý])")


def _names_in(text: str) -> list[str]:
    """The names in a long answer: its opening name, and each later run of two capitalised words or
    more ("l'Autrichienne Romana Slavinec" -> "Romana Slavinec") (pure)."""
    out = []
    for m in _LEADING_NAME.finditer(text):
        name = m.group(0).rstrip(".")
        if m.start() > 0 and text[m.start() - 1].isalnum():
            continue  # inside a word
        name = name[d.end():] if (d := _DEMONYM.match(name)) else name
        if m.start() == 0 or len(name.split()) >= 2:
            out.append(name)
    return out


# "la banque Oddo", "le groupe Casino", "lycée Jacques-Monod": a name after the word for its kind
_KIND_THEN_NAME = re.compile(r"^(?!(?:vers|dans|avec|pour|chez|sans|sous|entre|contre|depuis|selon|par|sur|avant|après|"
                             r"lors|soit|dont|comme|notamment|aussi|mais|puis|donc|ainsi|enfin|même|encore|tous|toutes|"
                             r"from|with|for|into|onto|under|over|after|before|namely|like|also|then|both)\s)"
                             r"[a-zà-ÿ]{4,}\s+[A-ZÀ-Ý]")


NOT_OPENING = True  # a sentence's opening words are no name (see _OPENING)
# a figure and lowercase words: a quantity ("97 ans", "3 000 euros"); "2014 UZ224" stays a name
_MEASURE = re.compile(r"^\d[\d\s.,]*\s+[a-zà-ÿ%€$]+(?:\s+[a-zà-ÿ]+)*\s*$")


# a sentence's first words, capitalised only because they open it: a preposition, a determiner or a
# quantifier before a lowercase word or a figure ("En effet", "A ce jour", "Le 10 février", "Deux hommes",
# "Plusieurs personnalités"); "La Haye", "Le Pen", "En Marche", "De Gaulle" go on with a capital
_OPENING = re.compile(r"^(?:En|A|À|Au|Aux|Dans|Selon|Si|Le|La|Les|Un|Une|Des|Du|De|Ce|Cet|Cette|Ces|Son|Sa|Ses|Leur|"
                      r"Leurs|Deux|Trois|Quatre|Cinq|Six|Plusieurs|Différents|Différentes|Divers|Diverses|Quelques|"
                      r"Certains|Certaines|Nombreux|Nombreuses|Tous|Toutes|Pour|Par|Avec|Après|Avant|Depuis|Lors|"
                      r"Mais|Et|Puis|Ainsi|In|At|On|The|An|Two|Three|Several|Some|Many|Both)\s+(?=[a-zà-ÿ0-9])")


def named_item(text: str) -> bool:
    """An item of a list of names: it starts like a name (:func:`_named`) or is one after its
    kind's word, in at most four words ("banque Oddo", not "manque à gagner pour Auchan") (pure)."""
    if _MEASURE.match(text):  # "Ferdi Kübler, 97 ans, fin décembre et …": an age, not a name
        return False
    if NOT_OPENING and _OPENING.match(text):  # "En effet", "Plusieurs personnalités": words opening a sentence
        return False
    return _named(text) or bool(_KIND_THEN_NAME.match(text)) and len(text.split()) <= 4


def _named(text: str) -> bool:
    """``text`` starts like a name: a capital, maybe after a particle ("Zabdiyé", "al-Machad",
    "van Gogh", "Parti radical"), not "entrainée par le légendaire Evgueni Trefilov" (pure)."""
    return bool(_NAME_START.search(text))

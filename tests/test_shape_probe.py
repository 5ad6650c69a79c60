"""eval/shape_probe.py: how often the shape classifier reads other hands' phrasings right."""
from __future__ import annotations

from pathlib import Path

import pytest

from eval.shape_probe import main, read_probe, score

ROOT = Path(__file__).resolve().parents[1]


def test_probe_scoring_counts_misses_and_what_they_were_taken_for():
    pairs = [("list", "Quels pays ?"), ("cause", "Pourquoi ?"), ("said", "Les propos du maire")]
    got = score(pairs, classify=lambda q: {"Quels pays ?": "list", "Pourquoi ?": "cause"}.get(q, "fact"))
    assert got["questions"] == 3 and got["misses"] == 1
    assert got["by_shape"]["said"] == {"n": 1, "missed": 1}
    assert got["confusions"] == {"said->fact": 1}
    assert got["missed"] == [("said", "fact", "Les propos du maire")]


def test_a_malformed_probe_line_stops_with_its_line_number(tmp_path):
    f = tmp_path / "p.tsv"
    f.write_text("list\tQuels pays ?\nsummry\tRésume\n", encoding="utf-8")
    with pytest.raises(SystemExit, match=r"p\.tsv:2: expected 'shape<TAB>question'"):
        read_probe(f)


def test_the_fitted_probes_stay_recognised(capsys):
    # the phrasings the patterns were fitted on; 25 of 1,430 are left (two "comment s'est déroulée…" read
    # as timelines, "Mbappe jouera… ?", "Did Spain find out what caused…", "Who signed the open
    # letter…"; of the chat-typed ones of session 15, "qui a été arrêté…" and "who got arrested…" meaning
    # several people, "whos running for mayor", "Duval se représente… ?", lists typed bare with "a" for
    # "à", a list in a spoken question about where, "who won medals…", "podium finishers" at the end; of
    # session 23's forms, lists in singular grammar ("What was found in the suspect's car?", "Who
    # testified…"), "la greve continue demain ?"); of the 268 natural questions of session 32, 24 (lists
    # in singular grammar: "qu'est-ce qu'ils ont saisi…", "Who did the president meet…", summaries asked
    # as "ça a donné quoi en gros", "les infos principales", a demand read as a cause, a reaction as a
    # manner): a change that breaks more of them is a regression
    got = score(read_probe(ROOT / "eval" / "gold" / "shape-probes-fit.tsv"))
    assert got["questions"] >= 1695
    assert got["misses"] <= 49, got["missed"]
    assert main([str(ROOT / "eval" / "gold" / "shape-probes-heldout.tsv")]) == 0
    assert "questions taken for another shape" in capsys.readouterr().out


@pytest.mark.model
def test_the_shape_model_mends_fitted_probes_the_rules_miss_and_breaks_none(capsys):
    # the rules with the trained second opinion, as the engine reads shapes: 3 of 1,112 fit probes
    # missed (two manner questions read as timelines and a yes/no read as a cause, all the rules' own)
    from eval.shape_probe import with_model

    pairs = read_probe(ROOT / "eval" / "gold" / "shape-probes-fit.tsv")
    model = with_model()
    from train.shape_data import PROBE_GROUPS

    # the shipped model was trained on the first 1,430 probes (the natural hand of session 32 came after)
    natural = next(a for a, _, group in PROBE_GROUPS if group == "probes-natural")
    trained = pairs[:natural]
    rules, both = score(trained), score(trained, model)
    assert both["misses"] <= 4, both["missed"]
    assert {q for _, _, q in both["missed"]} <= {q for _, _, q in rules["missed"]}
    # on the later hand (never trained on) it mends 4 of the rules' 24 misses and breaks none
    later = pairs[natural:]
    rules, both = score(later), score(later, model)
    assert both["misses"] <= 20, both["missed"]
    assert {q for _, _, q in both["missed"]} <= {q for _, _, q in rules["missed"]}
    assert main([str(ROOT / "eval" / "gold" / "shape-probes-heldout.tsv"), "--model"]) == 0
    assert "questions taken for another shape" in capsys.readouterr().out

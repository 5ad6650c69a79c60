"""`depeche eval` end to end over a 3-article corpus built here: real index, real models, real files."""
import json

import pytest

from depeche.cli import main

pytestmark = pytest.mark.model

ARTICLES = {
    "tupperware": (" date 2017-10-19 Tupperware ferme son usine de Joué-lès-Tours\n\n"
                   "Le groupe américain Tupperware a annoncé jeudi la fermeture de son usine de Joué-lès-Tours. "
                   "Un coup dur pour les 235 salariés de l'entreprise, présente dans la commune depuis 1973.\n\n"
                   "Les syndicats dénoncent une décision brutale et demandent un plan social digne."),
    "magento": (" date 2018-05-26 Adobe rachète Magento\n\n"
                "La firme californienne Adobe Systems a annoncé le rachat de Magento Commerce pour un montant "
                "total de 1,68 milliard de dollars. Magento édite une plateforme de commerce en ligne.\n\n"
                "L'opération doit être conclue au troisième trimestre."),
    "patagonie": (" date 2017-03-23 Le Chili reçoit 407 625 hectares en Patagonie\n\n"
                  "La fondation Tompkins a fait don au Chili de terres pour créer des parcs nationaux. "
                  "Il s'agit de 407 625 hectares situés en Patagonie.\n\n"
                  "La présidente Michelle Bachelet a salué un geste historique."),
}
GOLD = [
    {"id": "g1", "question": "Combien de salariés compte l'usine Tupperware de Joué-lès-Tours ?",
     "answers": ["235"], "evidence": ["les 235 salariés de l'entreprise"], "article": "tupperware"},
    {"id": "g2", "question": "Qui rachète Magento Commerce ?", "answers": ["Adobe"],
     "evidence": ["La firme californienne Adobe Systems a annoncé le rachat de Magento Commerce"],
     "article": "magento"},
    {"id": "g3", "question": "Combien d’hectares le Chili a-t-il reçus en Patagonie ?",
     "answers": ["407 625 hectares", "407 625"], "evidence": ["Il s’agit de 407 625 hectares"],
     "article": "patagonie"},
    {"id": "g4", "question": "Qui a remporté la Coupe du monde de curling en 2031 ?", "answers": []},
]


@pytest.fixture(scope="module")
def setup(tmp_path_factory):
    root = tmp_path_factory.mktemp("eval-e2e")
    corpus = root / "corpus"
    corpus.mkdir()
    for aid, text in ARTICLES.items():
        (corpus / f"{aid}.txt").write_text(text, encoding="utf-8")
    gold = root / "gold.jsonl"
    gold.write_text("\n".join(json.dumps(g, ensure_ascii=False) for g in GOLD) + "\n", encoding="utf-8")
    return root, corpus, gold


@pytest.fixture(scope="module")
def first_run(setup):
    root, corpus, gold = setup
    out = root / "out1"
    code = main(["eval", str(gold), "--index-from", str(corpus), "--store", str(root / "store"),
                 "--out", str(out), "--quiet"])
    return code, out


def test_eval_writes_metrics_report_and_chart_for_the_system_and_both_baselines(first_run):
    code, out = first_run
    assert code == 0
    data = json.loads((out / "metrics.json").read_text(encoding="utf-8"))
    assert list(data["systems"]) == ["depeche", "bm25", "dense"]
    assert data["run"]["questions"] == 4 and data["run"]["unanswerable"] == 1 and data["run"]["articles"] == 3
    for name, metrics in data["systems"].items():
        assert len(data["questions"][name]) == 4
        assert metrics["abstention_accuracy"]["count"] == 1 and metrics["false_abstention"]["count"] == 3
        assert metrics["evidence_hit@5"]["count"] == 3
        assert metrics["citation_verbatim"]["value"] == 1.0, f"{name} cited text that is not at its offsets"
        assert metrics["citation_verbatim"]["unverifiable"] == 0
    # three small articles: every retriever finds each gold article in its top 5
    assert data["systems"]["bm25"]["article_hit@5"]["value"] == 1.0
    assert data["systems"]["depeche"]["article_hit@5"]["value"] == 1.0
    report = (out / "report.md").read_text(encoding="utf-8")
    for heading in ("## depeche", "## bm25", "## dense", "## Failed questions"):
        assert heading in report
    assert (out / "metrics.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_a_baseline_answers_with_its_top_passage_cited_whole(first_run):
    _, out = first_run
    data = json.loads((out / "metrics.json").read_text(encoding="utf-8"))
    for rec in data["questions"]["bm25"][:3]:
        (c,) = rec["citations"]
        top = rec["passages"][0]
        assert (c["article_id"], c["start"], c["end"]) == (top["article_id"], top["start"], top["end"])
        assert rec["answer"] == c["quote"]


def test_compare_prints_deltas_and_a_floor_not_met_makes_the_exit_code_non_zero(setup, first_run, capsys):
    root, corpus, gold = setup
    _, out1 = first_run
    capsys.readouterr()
    code = main(["eval", str(gold), "--index-from", str(corpus), "--store", str(root / "store"),
                 "--out", str(root / "out2"), "--systems", "bm25", "--compare", str(out1 / "metrics.json"),
                 "--min", "evidence_hit@5=0.5", "--min", "bm25:abstention_accuracy=1.01", "--quiet"])
    captured = capsys.readouterr()
    assert code == 1
    assert "Change since" in captured.out and "unchanged" in captured.out
    assert "abstention_accuracy" in captured.err and "below the floor" in captured.err
    assert "0 added" in captured.err and "3 unchanged" in captured.err  # the second index run is incremental
    data = json.loads((root / "out2" / "metrics.json").read_text(encoding="utf-8"))
    assert list(data["systems"]) == ["bm25"]
    assert data["compare"]["deltas"]["bm25"]["evidence_hit@5"]["delta"] == 0.0


def test_limit_evaluates_a_sample_of_the_gold_file(setup, first_run):
    root, corpus, gold = setup
    code = main(["eval", str(gold), "--store", str(root / "store"), "--out", str(root / "out3"),
                 "--systems", "bm25", "--limit", "2", "--seed", "3", "--quiet"])
    data = json.loads((root / "out3" / "metrics.json").read_text(encoding="utf-8"))
    assert code == 0 and data["run"]["questions"] == 2 and data["run"]["questions_in_file"] == 4


def test_several_gold_files_are_scored_as_one_run(setup, first_run):
    root, corpus, gold = setup
    rest = root / "more.jsonl"
    lines = gold.read_text(encoding="utf-8").splitlines()
    gold2 = root / "first.jsonl"
    gold2.write_text("\n".join(lines[:2]) + "\n", encoding="utf-8")
    rest.write_text("\n".join(lines[2:]) + "\n", encoding="utf-8")
    code = main(["eval", str(gold2), str(rest), "--store", str(root / "store"), "--out", str(root / "out4"),
                 "--systems", "bm25", "--quiet"])
    data = json.loads((root / "out4" / "metrics.json").read_text(encoding="utf-8"))
    assert code == 0 and data["run"]["questions"] == 4 and data["run"]["gold_files"] == [str(gold2), str(rest)]
    assert [q["id"] for q in data["questions"]["bm25"]] == ["g1", "g2", "g3", "g4"]


def test_squad_file_is_indexed_in_a_temporary_store_and_evaluated(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # the default store would be ./.depeche: it must stay untouched
    ctx1 = "Le Tour de France 1903 a été remporté par Maurice Garin. Il a parcouru 2 428 kilomètres."
    ctx2 = "La course a été créée par le journal L'Auto pour augmenter ses ventes."
    squad = {"version": "1.1", "data": [{"title": "Tour_de_France_1903", "paragraphs": [
        {"context": ctx1, "qas": [{"id": "s1", "question": "Qui a remporté le Tour de France 1903 ?",
                                   "answers": [{"text": "Maurice Garin", "answer_start": ctx1.index("Maurice")}]}]},
        {"context": ctx2, "qas": [{"id": "s2", "question": "Quel journal a créé la course ?",
                                   "answers": [{"text": "L'Auto", "answer_start": ctx2.index("L'Auto")}]}]}]}]}
    path = tmp_path / "mini.json"
    path.write_text(json.dumps(squad, ensure_ascii=False), encoding="utf-8")
    out = tmp_path / "out"
    code = main(["eval", "--squad", str(path), "--out", str(out), "--systems", "depeche,bm25", "--quiet"])
    assert code == 0
    data = json.loads((out / "metrics.json").read_text(encoding="utf-8"))
    assert data["run"]["squad"] and data["run"]["questions"] == 2
    assert data["systems"]["bm25"]["evidence_hit@5"]["value"] == 1.0
    assert data["systems"]["depeche"]["citation_verbatim"]["value"] in (1.0, None)
    assert not (tmp_path / ".depeche").exists()


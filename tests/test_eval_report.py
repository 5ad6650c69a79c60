"""The eval report: deltas in the right direction, readable tables, the three files written."""
import json

from eval.report import compare_table, deltas, fmt, markdown_report, summary_table, write_outputs


def metrics(acc, p95, fa):
    return {"answer_accuracy": {"value": acc, "count": 10, "hits": int(acc * 10)},
            "latency_p95_ms": {"value": p95, "count": 10},
            "false_abstention": {"value": fa, "count": 10, "hits": int(fa * 10)},
            "errors": {"value": 0.0, "count": 10}}


def payload(systems, failed_answer="Paris [1]"):
    rec = {"id": "q1", "question": "Où ?", "gold": {"id": "q1", "question": "Où ?", "answers": ["Lyon"],
                                                    "evidence": ["à Lyon"], "article": "a"},
           "answer": failed_answer, "short_answer": "Paris", "abstained": False, "error": None,
           "citations": [{"n": 1, "article_id": "a", "start": 0, "end": 5, "quote": "Paris", "verbatim": True}],
           "passages": [], "scores": {"failed": True}, "latency_ms": 3.0}
    ok = dict(rec, id="q2", answer="Lyon [1]", scores={"failed": False})
    return {"run": {"gold": "g.jsonl", "questions": 2, "questions_in_file": 2, "answerable": 2, "unanswerable": 0,
                    "seed": 0, "store": "s", "embedder": "e5-small", "answerer": "extractive",
                    "retriever": "hybrid", "k": 5, "wall_seconds": 1.0},
            "systems": systems, "warnings": [], "questions": {s: [rec, ok] for s in systems}}


def test_deltas_know_that_lower_latency_and_fewer_false_abstentions_are_better():
    d = deltas({"depeche": metrics(0.9, 300.0, 0.2)}, {"depeche": metrics(0.8, 400.0, 0.1)})["depeche"]
    assert d["answer_accuracy"]["better"] is True and abs(d["answer_accuracy"]["delta"] - 0.1) < 1e-9
    assert d["latency_p95_ms"]["better"] is True
    assert d["false_abstention"]["better"] is False
    assert d["errors"]["better"] is None  # unchanged
    table = compare_table({"depeche": d})
    assert "+0.100 better" in table and "-100.0 better" in table and "+0.100 WORSE" in table
    assert "errors" not in table and "1 other figure(s) unchanged" in table


def test_a_change_of_passage_length_is_shown_without_a_verdict():
    old = {"depeche": {"passage_chars@5": {"value": 600.0, "count": 5}}}
    new = {"depeche": {"passage_chars@5": {"value": 500.0, "count": 5}}}
    d = deltas(new, old)
    assert d["depeche"]["passage_chars@5"]["better"] is None
    assert "better" not in compare_table(d) and "WORSE" not in compare_table(d)
    assert compare_table(deltas(old, old)) == "Every figure is unchanged."


def test_systems_missing_from_the_old_run_are_left_out_of_the_comparison():
    assert deltas({"bm25": metrics(0.5, 1.0, 0.0)}, {"depeche": metrics(0.5, 1.0, 0.0)}) == {}
    assert "no system" in compare_table({})


def test_values_show_their_counts():
    assert fmt("answer_accuracy", {"value": 0.8, "count": 10, "hits": 8}) == "0.800 (8/10)"
    assert fmt("mrr", {"value": 0.5, "count": 4}) == "0.500 (n=4)"
    assert fmt("abstention_accuracy", {"value": None, "count": 0, "hits": 0}) == "n/a (n=0)"
    assert fmt("latency_p50_ms", {"value": 123.4, "count": 9}) == "123 ms (n=9)"
    table = summary_table({"depeche": metrics(0.8, 400.0, 0.1), "bm25": metrics(0.0, 1.0, 0.0)})
    assert table.splitlines()[0].split() == ["metric", "depeche", "bm25"]


def test_report_lists_failed_questions_with_expected_got_and_cited_quote():
    md = markdown_report(payload({"depeche": metrics(0.5, 10.0, 0.0)}))
    failed = md[md.index("## Failed questions"):]
    assert "1 of 2 questions failed" in failed
    assert "**q1**" in failed and "**q2**" not in failed
    assert "expected: Lyon" in failed and "got: Paris [1]" in failed and "« Paris »" in failed


def test_write_outputs_writes_json_markdown_and_a_png(tmp_path):
    paths = write_outputs(tmp_path / "out", payload({"depeche": metrics(0.5, 10.0, 0.0),
                                                     "bm25": metrics(0.0, 1.0, 0.0)}))
    assert json.loads(paths["metrics"].read_text(encoding="utf-8"))["systems"]["bm25"]["answer_accuracy"]
    assert paths["report"].read_text(encoding="utf-8").startswith("# Evaluation: g.jsonl")
    assert paths["chart"].read_bytes()[:4] == b"\x89PNG"

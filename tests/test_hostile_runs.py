"""Hostile input, part two (issue 14): what could crash, hang or leak a run, made in code in tmp dirs.

Fast cases first (loaders, JSON lines, gold files, option checks), then cases over a small real
index (batch, eval from another folder, read-only and full stores, a killed incremental build).
"""
from __future__ import annotations

import contextlib
import errno
import io
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

import pytest

from depeche.cli import EXIT_ERROR, EXIT_OK, EXIT_WARNINGS, main
from depeche.errors import DepecheError
from tests.conftest import ROOT

ARTICLE = " date 2018-03-0{n} Le conseil de {city}\n\nLe conseil municipal de {city} a voté le budget {word} mardi soir."


def run_cli(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(list(argv))
    return code, out.getvalue(), err.getvalue()


# ---- loaders: pipes, unreadable folders, JSON lines -------------------------------------------------
def test_a_file_swapped_for_a_pipe_after_stat_is_reported_not_waited_for(tmp_path, monkeypatch):
    from index.loaders import load_corpus

    corpus = tmp_path / "c"
    corpus.mkdir()
    (corpus / "ok.txt").write_text(ARTICLE.format(n=1, city="Brest", word="ok"), encoding="utf-8")
    victim = corpus / "swap.txt"
    victim.write_text(ARTICLE.format(n=2, city="Vannes", word="swap"), encoding="utf-8")
    real_stat = Path.stat
    swapped = []

    def stat_then_swap(self, *a, **kw):  # the race: the file is a pipe by the time it is opened
        st = real_stat(self, *a, **kw)
        if self == victim and not swapped:
            os.unlink(victim)
            os.mkfifo(victim)
            swapped.append(True)
        return st

    monkeypatch.setattr(Path, "stat", stat_then_swap)
    result = {}
    worker = threading.Thread(target=lambda: result.update(zip(("arts", "probs"), load_corpus([corpus]))),
                              daemon=True)
    worker.start()
    worker.join(60)
    hung = worker.is_alive()
    if hung:  # release the old code's blocked open() so the test run can go on
        os.close(os.open(victim, os.O_WRONLY | os.O_NONBLOCK))
        worker.join(10)
    assert swapped and not hung, "loading waited on a pipe"
    assert [a.id for a in result["arts"]] == ["ok"]
    assert [(Path(p.path).name, "not a regular file" in p.reason) for p in result["probs"]] == [("swap.txt", True)]


def _load_as_nobody(corpus: Path) -> dict:
    """load_corpus run by an unprivileged user (root reads any folder), in a forked child."""
    from index.loaders import load_corpus

    r, w = os.pipe()
    pid = os.fork()
    if pid == 0:  # child
        try:
            os.close(r)
            if os.geteuid() == 0:
                os.setgroups([])
                os.setgid(65534)
                os.setuid(65534)
            arts, probs = load_corpus([corpus])
            payload = {"ids": sorted(a.id for a in arts), "problems": [[p.path, p.reason] for p in probs]}
            os.write(w, json.dumps(payload).encode())
        finally:
            os._exit(0)
    os.close(w)
    data = b""
    while chunk := os.read(r, 65536):
        data += chunk
    os.close(r)
    os.waitpid(pid, 0)
    return json.loads(data)


def test_unreadable_folders_are_reported_not_skipped_silently():
    base = Path(tempfile.mkdtemp(prefix="depeche-perm-"))  # not under pytest's 0700 tmp: nobody must enter
    try:
        os.chmod(base, 0o755)
        corpus = base / "c"
        (corpus / "locked").mkdir(parents=True)
        (corpus / "ok.txt").write_text(ARTICLE.format(n=1, city="Brest", word="ok"), encoding="utf-8")
        (corpus / "locked" / "hidden.txt").write_text(ARTICLE.format(n=2, city="Caen", word="x"), encoding="utf-8")
        os.chmod(corpus, 0o755)
        os.chmod(corpus / "locked", 0o000)
        got = _load_as_nobody(corpus)
        assert got["ids"] == ["ok"]
        assert [(Path(p).name, "folder cannot be read" in r) for p, r in got["problems"]] == [("locked", True)]
        os.chmod(corpus, 0o000)  # the corpus root itself
        got = _load_as_nobody(corpus)
        assert got["ids"] == [] and len(got["problems"]) == 1
        assert got["problems"][0][0] == str(corpus) and "folder cannot be read" in got["problems"][0][1]
    finally:
        for d in (base / "c", base / "c" / "locked"):
            with contextlib.suppress(OSError):
                os.chmod(d, 0o755)
        shutil.rmtree(base, ignore_errors=True)


@pytest.mark.parametrize("line,reason", [
    ('{"id": "a", "text": "x", "n": ' + "9" * 5000 + "}", "number is too long"),
    ("[" * 100_000 + "]" * 100_000, "nested too deeply"),
    ('{"id": "a", "text": "un \\ud800 seul"}', "lone surrogate"),
    ('{"id": 1e999, "question": "q"}', "too large"),
    ('{"id": NaN, "question": "q"}', "NaN"),
    ('{"id": -Infinity, "question": "q"}', "Infinity"),
])
def test_every_hostile_json_line_is_a_one_line_reason(line, reason):
    from depeche.validate import BadJSON, loads_line

    with pytest.raises(BadJSON, match=reason) as info:
        loads_line(line)
    assert "\n" not in str(info.value) and len(str(info.value)) < 200


# ---- gold files ------------------------------------------------------------------------------------------
def test_gold_reads_u2028_inside_a_string_and_reports_bad_lines_by_number(tmp_path):
    from eval.gold import GoldError, load_gold, parse_gold

    q = {"id": "d1", "question": "Qui a dit\u2028« oui » ?", "answers": ["Paul"]}
    good = json.dumps(q, ensure_ascii=False)
    items, problems = parse_gold(good)
    assert problems == [] and items[0].question == q["question"]
    gold = tmp_path / "g.jsonl"
    gold.write_bytes(b"\n".join([
        good.encode(),
        b'{"id": "d2", "question": "Caf\xe9 ?", "answers": []}',  # Latin-1 on one line
        b'{"id": "d3", "question": 42, "answers": []}',
        b"[" * 100_000 + b"]" * 100_000,
        '{"id": "d5", "question": "Où ?", "answers": ["Lyon"]}'.encode(),
    ]))
    with pytest.raises(GoldError) as info:
        load_gold(gold)
    problems = info.value.problems
    assert [p.split(":")[1] for p in problems] == ["2", "3", "4"]
    assert "not valid UTF-8" in problems[0] and "'question' must be a string" in problems[1]
    assert "nested too deeply" in problems[2]


# ---- ask options -------------------------------------------------------------------------------------------
@pytest.mark.parametrize("args,message", [
    (["--since", "2025-13-45"], "does not exist in the calendar"),
    (["--until", "garbage"], "is not a date"),
    (["--since", "2020", "--until", "2019"], "after --until"),
    (["--since", "2019-02-29"], "does not exist"),
    (["-k", "0"], "from 1 to 50"),
    (["-k", "-1"], "from 1 to 50"),
    (["-k", "100000"], "from 1 to 50"),
])
def test_ask_refuses_bad_options_with_one_line_before_loading_anything(tmp_path, args, message):
    code, out, err = run_cli("ask", "Qui a voté ?", "--store", str(tmp_path / "none"), *args)
    assert code == EXIT_ERROR and out == ""
    assert err.startswith("depeche: error:") and message in err and err.count("\n") == 1


def test_partial_dates_mean_the_whole_year_or_month():
    from depeche.validate import period

    assert period("2019", "2019") == ("2019-01-01", "2019-12-31")
    assert period("2020-02", "2020-02") == ("2020-02-01", "2020-02-29")
    assert period(" 2018-03-05 ", None) == ("2018-03-05", None)
    with pytest.raises(DepecheError, match="as text"):
        period(20190101, None)


def test_titles_and_paths_cannot_drive_the_terminal():
    from depeche.validate import printable

    assert printable("Titre \x1b]0;pwned\x07 \x9b31m \u202eevil\nligne 2") == \
        "Titre \\x1b]0;pwned\\x07 \\x9b31m \\u202eevil\nligne 2"
    assert printable("a\nb\tc", keep_newlines=False) == "a\\nb\\tc"


# ---- over a small real index -----------------------------------------------------------------------------
CITIES = ["Rennes", "Brest", "Quimper", "Vannes", "Lorient", "Nantes", "Angers"]


@pytest.fixture(scope="module")
def small(tmp_path_factory):
    """Seven articles indexed from a relative --corpus path (as `make eval` does), and a gold file."""
    root = tmp_path_factory.mktemp("hostile-runs")
    corpus = root / "corpus"
    corpus.mkdir()
    for i, city in enumerate(CITIES):
        (corpus / f"{city.lower()}.txt").write_text(ARTICLE.format(n=i + 1, city=city, word=f"b{i}"),
                                                    encoding="utf-8")
    (corpus / "esc.txt").write_text(" date 2018-04-01 Titre \x1b]0;pwned\x07 piégé\n\nLe maire de Lannion "
                                    "inaugure la médiathèque.", encoding="utf-8")
    gold = root / "gold.jsonl"
    gold.write_text(json.dumps({"id": "g1", "question": "Qu'a voté le conseil municipal de Brest ?",
                                "answers": ["le budget"], "evidence": ["a voté le budget b1"],
                                "article": "brest"}, ensure_ascii=False) + "\n", encoding="utf-8")
    cwd = os.getcwd()
    os.chdir(root)
    try:
        code, _, err = run_cli("index", "--corpus", "corpus", "--store", str(root / "store"), "--quiet")
    finally:
        os.chdir(cwd)
    assert code == EXIT_OK, err
    return {"root": root, "corpus": corpus, "store": root / "store", "gold": gold}


@pytest.mark.model
def test_ask_names_an_unknown_article_and_suggests_close_ids(small):
    code, _, err = run_cli("ask", "Qu'a voté le conseil ?", "--article", "bres", "--store", str(small["store"]))
    assert code == EXIT_ERROR and "No article 'bres'" in err and "'brest'" in err and err.count("\n") == 1
    code, out, _ = run_cli("ask", "Qu'a voté le conseil ?", "--article", "brest", "--since", "2018",
                           "--until", "2018-03", "--json", "--store", str(small["store"]))
    assert code == EXIT_OK and {p["article_id"] for p in json.loads(out)["passages"]} == {"brest"}


@pytest.mark.model
def test_engine_checks_the_filters_the_api_passes(small):
    from depeche.settings import Settings
    from rag.engine import Engine

    engine = Engine(Settings.from_mapping({"store": str(small["store"])}))
    with pytest.raises(DepecheError, match="as text"):
        engine.ask("Qu'a voté le conseil ?", since=20180101)
    with pytest.raises(DepecheError, match="from 1 to 50"):
        engine.ask("Qu'a voté le conseil ?", k=100_000)
    with pytest.raises(DepecheError, match="No article 'nosuch'"):
        engine.search("Qu'a voté le conseil ?", articles=["nosuch"])
    assert len(engine.search("Qu'a voté le conseil ?", k=50)) == len(CITIES) + 1  # one chunk per article


@pytest.mark.model
def test_the_answer_shows_a_hostile_title_escaped(small):
    code, out, _ = run_cli("ask", "Qui inaugure la médiathèque de Lannion ?", "--store", str(small["store"]))
    assert code == EXIT_OK and "\x1b" not in out and "\x07" not in out and "\\x1b]0;pwned\\x07" in out


@pytest.mark.model
def test_batch_answers_every_line_around_hostile_ones(small, tmp_path):
    batch = tmp_path / "q.jsonl"
    batch.write_bytes(b"\n".join([
        json.dumps({"id": "a", "question": "Qu'a voté le conseil\u2028de Brest ?"}, ensure_ascii=False).encode(),
        b'{"id": "b", "question": "Caf\xe9 ?"}',
        b'{"id": 1e999, "question": "Qu\'a vot\xc3\xa9 Rennes ?"}',
        b'{"id": "d", "question": 42}',
        b"[" * 100_000 + b"]" * 100_000,
        b'{"id": 7, "question": "Qu\'a vot\xc3\xa9 Nantes ?"}',
    ]) + b"\n")
    code, out, _ = run_cli("ask", "--batch", str(batch), "--store", str(small["store"]))
    assert code == EXIT_WARNINGS
    rows = [json.loads(line) for line in out.splitlines()]  # every line is valid JSON (no Infinity)
    assert [r["id"] for r in rows] == ["a", "2", "3", "4", "5", 7]
    assert "answer" in rows[0] and "answer" in rows[5]
    assert "q.jsonl:2: not valid UTF-8" in rows[1]["error"]
    assert "too large" in rows[2]["error"] and "'question' must be a string" in rows[3]["error"]
    assert "nested too deeply" in rows[4]["error"]


@pytest.mark.model
def test_eval_gives_the_same_result_from_another_folder(small, tmp_path, monkeypatch):
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    code, _, err = run_cli("eval", str(small["gold"]), "--store", str(small["store"]), "--out", "out",
                           "--systems", "depeche", "--quiet")
    metrics = json.loads((elsewhere / "out" / "metrics.json").read_text(encoding="utf-8"))
    assert "cannot reload" not in err and metrics["run"]["articles"] == len(CITIES) + 1
    assert metrics["systems"]["depeche"]["citation_verbatim"]["value"] == 1.0
    assert code == EXIT_OK


@pytest.mark.model
def test_eval_says_when_indexed_articles_cannot_be_reloaded(small, tmp_path, monkeypatch):
    from index.store import Store

    store = tmp_path / "store"
    shutil.copytree(small["store"], store)
    st = Store(store)
    m = st.require_manifest()
    # as an index built by an older version (entries inline in manifest.json) from another folder
    articles = dict(m.articles.items())
    articles["brest"]["path"] = "nowhere/brest.txt"
    m.articles, m.entries = articles, ""
    st.write_manifest(m)
    monkeypatch.chdir(tmp_path)
    code, _, err = run_cli("eval", str(small["gold"]), "--store", str(store), "--out", "out",
                           "--systems", "depeche", "--quiet")
    assert code == EXIT_WARNINGS and "1 of 8 indexed article(s) could not be reloaded" in err


def _copy_store(small, dest: Path) -> Path:
    shutil.copytree(small["store"], dest)
    return dest


def _subprocess(script: str) -> subprocess.CompletedProcess:
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    return subprocess.run(["unshare", "-rm", "sh", "-c", script], capture_output=True, text=True, env=env,
                          timeout=600)


def _need_unshare() -> None:
    if shutil.which("unshare") is None or _subprocess("mount -t tmpfs tmpfs /mnt").returncode != 0:
        pytest.skip("needs `unshare -rm` (user and mount namespaces) to mount a read-only or small file system")


@pytest.mark.model
def test_a_read_only_store_still_answers_and_index_says_so_in_one_line(small, tmp_path):
    store = _copy_store(small, tmp_path / "ro")
    cli = f"{sys.executable} -m depeche.cli"
    if os.geteuid() == 0:  # root writes through permissions: use a read-only bind mount
        _need_unshare()
        prefix = f"mount --bind {store} {store} && mount -o remount,ro,bind {store} {store} && "
    else:
        for p in [store, *store.rglob("*")]:
            p.chmod(p.stat().st_mode & ~0o222)
        prefix = ""
    res = _subprocess(prefix + f"cd {ROOT} && {cli} ask 'Qu'\"'\"'a voté le conseil de Brest ?' --json "
                      f"--store {store}; echo EXIT=$?; {cli} index --corpus {small['corpus']} --store {store}; "
                      "echo EXIT=$?") if prefix else None
    if res is None:
        res = subprocess.run(["sh", "-c", f"cd {ROOT} && {cli} ask \"Qu'a voté le conseil de Brest ?\" --json "
                              f"--store {store}; echo EXIT=$?; {cli} index --corpus {small['corpus']} "
                              f"--store {store}; echo EXIT=$?"], capture_output=True, text=True,
                             env=dict(os.environ, PYTHONPATH=str(ROOT)), timeout=600)
    out = res.stdout.splitlines()
    answer = json.loads(out[0])
    assert out[1] == "EXIT=0" and any(c["article_id"] == "brest" for c in answer["citations"])
    assert out[-1] == "EXIT=1" and "Traceback" not in res.stderr
    assert res.stderr.count("depeche: error:") == 1 and "read-only" in res.stderr


@pytest.mark.model
def test_a_full_disk_gives_one_line_and_leaves_the_index_in_use(small, tmp_path):
    _need_unshare()
    mnt = tmp_path / "small-disk"
    mnt.mkdir()
    cli = f"{sys.executable} -m depeche.cli"
    more = tmp_path / "more"
    more.mkdir()
    for i in range(40):
        (more / f"m{i}.txt").write_text(ARTICLE.format(n=5, city=f"Ville{i}", word=f"m{i}") * 20, encoding="utf-8")
    script = (f"mount -t tmpfs -o size=1500k tmpfs {mnt} && cp -a {small['store']} {mnt}/s && "
              f"dd if=/dev/zero of={mnt}/fill bs=4k 2>/dev/null; "
              f"cd {ROOT} && {cli} index --corpus {small['corpus']} --corpus {more} --store {mnt}/s --quiet; "
              f"echo EXIT=$?; {cli} ask \"Qu'a voté le conseil de Brest ?\" --json --store {mnt}/s; echo EXIT=$?")
    res = _subprocess(script)
    lines = res.stdout.splitlines()
    assert lines[0] == "EXIT=1" and "Traceback" not in res.stderr, res.stderr[-2000:]
    assert res.stderr.count("depeche: error:") == 1 and "No space left" in res.stderr
    answer = json.loads(lines[1])  # the index in use still answers, from the full disk
    assert lines[2] == "EXIT=0" and any(c["article_id"] == "brest" for c in answer["citations"])


@pytest.mark.model
@pytest.mark.parametrize("where", ["vectors", "files"])
def test_an_injected_write_error_is_one_line_and_the_old_index_stays(small, tmp_path, monkeypatch, where):
    import chromadb.errors

    import index.builder as builder
    from index.store import Store

    store = _copy_store(small, tmp_path / "s")
    before = Store(store).require_manifest()
    extra = tmp_path / "extra"
    extra.mkdir()
    (extra / "new.txt").write_text(ARTICLE.format(n=9, city="Lannion", word="neuf"), encoding="utf-8")
    if where == "vectors":
        def full(*a, **kw):
            raise chromadb.errors.InternalError("Query error: Database error: error returned from database: "
                                                "(code: 13) database or disk is full")
        monkeypatch.setattr(builder, "_upsert", full)
    else:
        def full(*a, **kw):
            raise OSError(errno.ENOSPC, "No space left on device", str(store / ".gen-2.tmp"))
        monkeypatch.setattr(Store, "write_generation", full)
    code, _, err = run_cli("index", "--corpus", str(small["corpus"]), "--corpus", str(extra),
                           "--store", str(store), "--quiet")
    assert code == EXIT_ERROR and err.count("\n") == 1 and "No space left" in err
    assert Store(store).require_manifest().articles == before.articles


@pytest.mark.model
def test_rows_left_by_a_killed_incremental_index_do_not_crowd_out_dense_results(small, tmp_path):
    from depeche.settings import Settings
    from index.builder import _embed_and_write
    from index.chunking import chunk_article
    from index.embedders import get_embedder
    from index.loaders import parse_text_file
    from index.store import Store
    from rag.engine import Engine

    store = _copy_store(small, tmp_path / "s")
    s = Store(store)
    manifest = s.require_manifest()
    # What a killed `depeche index` leaves: blocks of new chunks in the live collection, no switch.
    orphans = [c for i in range(60) for c in chunk_article(parse_text_file(
        ARTICLE.format(n=4, city=f"Bourg{i}", word=f"orphelin{i}"), f"orphan{i}", "x"))]
    _embed_and_write(get_embedder("e5-small"), s.collection(manifest.collection), orphans, False, None)
    engine = Engine(Settings.from_mapping({"store": str(store)}))
    hits = engine.search("Qu'a voté le conseil municipal ?", k=5, mode="dense")
    assert len(hits) == 5 and all(not h.chunk.article_id.startswith("orphan") for h in hits)

"""`depeche`: one command group, one short function per subcommand, each calling the library.

Heavy libraries (torch, chromadb, gradio) are imported inside the subcommands, so `--help` is instant.
"""
from __future__ import annotations

import argparse
import sys
from typing import Sequence

import depeche.offline  # noqa: F401  (sets offline / no-telemetry variables before any import)
from depeche import __version__
from depeche.errors import DepecheError
from depeche.settings import Settings

EXIT_OK, EXIT_ERROR, EXIT_USAGE, EXIT_WARNINGS = 0, 1, 2, 3


def _common(p: argparse.ArgumentParser) -> None:
    g = p.add_argument_group("index location and models")
    g.add_argument("--store", metavar="PATH", help=f"{Settings.help('store')} [env DEPECHE_STORE]")
    g.add_argument("--chroma-url", metavar="URL", help=f"{Settings.help('chroma_url')} [env DEPECHE_CHROMA_URL]")
    g.add_argument("--embedder", metavar="NAME", help=f"{Settings.help('embedder')} [env DEPECHE_EMBEDDER]")
    g.add_argument("--config", metavar="FILE", help="TOML file of settings [env DEPECHE_CONFIG].")


def _settings(args: argparse.Namespace, **extra) -> Settings:
    cli = {k: getattr(args, k, None) for k in ("store", "chroma_url", "embedder")}
    cli.update(extra)
    return Settings.load(cli=cli, config=getattr(args, "config", None))


# ---- subcommands ---------------------------------------------------------------------------
def cmd_index(args: argparse.Namespace) -> int:
    from index.builder import build_index

    from depeche.validate import printable

    s = _settings(args, corpus=args.corpus or None, follow_links_outside=args.follow_links_outside or None,
                  ray=args.ray)
    with storage_guard(s):
        summary = build_index(s, rebuild=args.rebuild, prune=args.prune, progress=not args.quiet)
    for p in summary.problems:
        print(f"skipped {printable(str(p), keep_newlines=False)}", file=sys.stderr)
    for aid in summary.vanished:
        print(f"not in the corpus any more (kept; --prune removes it): {printable(aid, keep_newlines=False)}",
              file=sys.stderr)
    print(summary.line())
    if summary.warnings:
        print(f"Done with warnings: {len(summary.problems)} file(s) or record(s) skipped, "
              f"{len(summary.vanished)} article(s) no longer in the corpus.")
        return EXIT_WARNINGS
    return EXIT_OK


def cmd_ask(args: argparse.Namespace) -> int:
    from depeche import validate

    k = validate.top_k(args.k)  # bad options fail before any model is loaded
    args.since, args.until = validate.period(args.since, args.until)
    if not args.batch and not args.question:
        raise DepecheError("Give a question: depeche ask \"QUESTION\" (or --batch FILE.jsonl).")
    s = _settings(args, top_k=k)
    if not (args.batch or args.local or args.article):  # a `depeche chat` serving this store answers at once
        from depeche import warm

        out = warm.ask_server(s, args.question, k=s.top_k, since=args.since, until=args.until)
        if out is not None:
            if args.json:
                print(validate.json_line(out))
            else:
                from rag.render import render_text

                print(validate.printable(render_text(warm.answer_for_text(out))))
            return EXIT_OK
    from rag.engine import Engine
    from rag.render import render_text

    with storage_guard(s):
        engine = Engine(s)
        if args.article:
            args.article = list(validate.article_ids(args.article, engine.articles()))
        if args.batch:
            return _ask_batch(engine, args)
        ans = engine.ask(args.question, since=args.since, until=args.until, articles=args.article or ())
    if args.json:
        print(validate.json_line(ans.to_json()))
    else:
        print(validate.printable(render_text(ans)))
    return EXIT_OK


def _batch_item(text: str) -> tuple[object, str]:
    """(id, question) of one batch line, or ValueError saying what is wrong with it."""
    from depeche.validate import loads_line

    item = loads_line(text)
    if not isinstance(item, dict):
        raise ValueError("not a JSON object with 'id' and 'question'")
    if "question" not in item:
        raise ValueError("no 'question' (each line is a JSON object with 'id' and 'question')")
    question = item["question"]
    if not isinstance(question, str):
        raise ValueError(f"'question' must be a string, not {type(question).__name__}")
    qid = item.get("id")
    if qid is not None and (isinstance(qid, bool) or not isinstance(qid, (str, int))):
        raise ValueError(f"'id' must be a string or a whole number, not {type(qid).__name__}")
    return qid, question


def _ask_batch(engine, args: argparse.Namespace) -> int:
    from depeche.validate import iter_lines, json_line

    status = EXIT_OK
    name = "stdin" if args.batch == "-" else args.batch
    try:
        fh = sys.stdin.buffer if args.batch == "-" else open(args.batch, "rb")
    except OSError as exc:
        raise DepecheError(f"Cannot read {args.batch} ({exc.strerror}); give a JSONL file of questions.") from None
    with fh:
        for lineno, line, reason in iter_lines(fh):
            if line is not None and not line.strip():
                continue
            qid, question = str(lineno), None
            try:
                if line is None:
                    raise ValueError(reason)
                qid, question = _batch_item(line)
                qid = str(lineno) if qid is None else qid
                out = engine.ask(question, since=args.since, until=args.until,
                                 articles=args.article or ()).to_json()
                out["id"] = qid
            except ValueError as exc:
                out = {"id": str(lineno), "error": f"{name}:{lineno}: {exc}; fix or remove the line"}
                status = EXIT_WARNINGS
            except DepecheError as exc:
                out = {"id": qid, "question": question, "error": str(exc)}
                status = EXIT_WARNINGS
            except Exception as exc:  # noqa: BLE001 - one question's failure never stops the batch
                out = {"id": qid, "question": question,
                       "error": f"internal error ({type(exc).__name__}) on {name}:{lineno}; the other lines go on"}
                status = EXIT_WARNINGS
            print(json_line(out), flush=True)
    return status


def storage_guard(settings: Settings):
    """Disk full, read-only or unwritable store -> one DepecheError line (see index/storage.py)."""
    from index.storage import guard

    return guard(settings.store_path)


def cmd_chat(args: argparse.Namespace) -> int:
    from ui.app import serve

    s = _settings(args, host=args.host, port=args.port, auth=args.auth)
    serve(s)
    return EXIT_OK


def cmd_eval(args: argparse.Namespace) -> int:
    import importlib

    s = _settings(args, top_k=getattr(args, "k", None))
    with storage_guard(s):
        return importlib.import_module("eval.cli").run(args, s)


# ---- parser ----------------------------------------------------------------------------------
def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="depeche",
        description="Dépêche answers questions about a corpus of news articles and cites the exact passages.",
    )
    p.add_argument("--version", action="version", version=f"depeche {__version__}")
    sub = p.add_subparsers(dest="command", metavar="COMMAND", required=True)

    pi = sub.add_parser("index", help="Build or update the index of a corpus.",
                        description="Build or update the index: new and changed articles are embedded, "
                                    "unchanged ones skipped. Exit status 3 means done with warnings.")
    pi.add_argument("--corpus", action="append", metavar="PATH",
                    help="Corpus folder or file (repeatable; default: corpus/) [env DEPECHE_CORPUS].")
    pi.add_argument("--rebuild", action="store_true", help="Build a fresh index and switch to it when complete.")
    pi.add_argument("--prune", action="store_true", help="Remove articles that are no longer in the corpus.")
    pi.add_argument("--quiet", action="store_true", help="No progress bar.")
    pi.add_argument("--follow-links-outside", action="store_true",
                    help="Also read symbolic links that lead out of the corpus folders (default: skipped and "
                         "reported) [env DEPECHE_FOLLOW_LINKS_OUTSIDE].")
    pi.add_argument("--ray", metavar="ADDRESS",
                    help="Embed on Ray Data: auto, local or ray://HOST:10001 (see README, Scaling out) [env DEPECHE_RAY].")
    _common(pi)
    pi.set_defaults(func=cmd_index)

    pa = sub.add_parser("ask", help="Answer a question with numbered citations.",
                        description="Answer a question from the index, citing the exact sentences.")
    pa.add_argument("question", nargs="?", help="The question, in French or English.")
    pa.add_argument("-k", type=int, metavar="K", help="Passages retrieved, 1 to 50 (default 5) [env DEPECHE_TOP_K].")
    pa.add_argument("--json", action="store_true", help="Print one JSON object (answer, citations, passages…).")
    pa.add_argument("--batch", metavar="FILE.jsonl",
                    help="Answer every line {id, question} of FILE ('-' = stdin); one JSON result per line.")
    pa.add_argument("--since", metavar="YYYY-MM-DD",
                    help="Only articles dated on or after this day (YYYY-MM or YYYY: its first day).")
    pa.add_argument("--until", metavar="YYYY-MM-DD",
                    help="Only articles dated on or before this day (YYYY-MM or YYYY: its last day).")
    pa.add_argument("--article", action="append", metavar="ID", help="Only this article (repeatable).")
    pa.add_argument("--local", action="store_true",
                    help="Answer in this process even when a `depeche chat` serves the same store.")
    _common(pa)
    pa.set_defaults(func=cmd_ask)

    pc = sub.add_parser("chat", help="Serve the browser chat (Gradio) on 127.0.0.1:7860.",
                        description="Serve the browser chat. Binds 127.0.0.1 unless --host says otherwise.")
    pc.add_argument("--host", help="Address to bind (default 127.0.0.1) [env DEPECHE_HOST].")
    pc.add_argument("--port", type=int, help="Port (default 7860) [env DEPECHE_PORT].")
    pc.add_argument("--auth", metavar="USER:PASS", help="Require this login [env DEPECHE_AUTH].")
    _common(pc)
    pc.set_defaults(func=cmd_chat)

    pe = sub.add_parser("eval", help="Score the system on gold questions (JSONL or SQuAD).",
                        description="Score retrieval, answers, citations and abstention on gold questions.")
    try:
        import importlib

        importlib.import_module("eval.cli").add_arguments(pe)
    except ModuleNotFoundError:
        pass
    _common(pe)
    pe.set_defaults(func=cmd_eval)
    return p


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return args.func(args)
    except DepecheError as exc:
        print(f"depeche: error: {exc}", file=sys.stderr)
        return EXIT_ERROR
    except KeyboardInterrupt:
        print("depeche: interrupted; the index in use was left as it was.", file=sys.stderr)
        return 130
    except BrokenPipeError:  # "depeche ask … | head": the reader stopped reading, no traceback
        import os

        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())  # Python's exit flush must not fail again
        return 0


if __name__ == "__main__":
    sys.exit(main())

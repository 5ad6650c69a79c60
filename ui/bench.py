"""Chat latency, measured through the real server and its streaming protocol (gradio_client).

    python -m ui.bench [--store PATH] [--sessions 20] [--out bench-out/chat.json]

Serves the chat over an existing index on a free local port, then measures, warm:
- one session asking questions and follow-ups in turn: time from sending a question to the first
  streamed answer text, and to the full answer;
- N sessions asking at the same moment: the same two times for each, under load.
Prints a table and writes the figures as JSON. Not a test: nothing here asserts a speed.
"""
from __future__ import annotations

import argparse
import json
import socket
import statistics
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

CONVERSATION = [
    "Qui a critiqué la rencontre ?",
    "Et qu'a répondu la Chine ?",
    "Quand Kim Jong Un est-il arrivé à Pékin ?",
    "Combien le PSG a-t-il payé pour Neymar ?",
    "Who was elected president of Colombia?",
    "Quand a-t-il été élu ?",
]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def timed_ask(client, question: str) -> dict:
    """Seconds to the first output holding answer text, and to the last output."""
    t0 = time.perf_counter()
    job = client.submit(question, None, None, [], api_name="/ask")
    first = None
    last = None
    for out in job:
        markup = out[0] if isinstance(out, (list, tuple)) else out
        turns = markup.split('<section class="dp-turn"')
        if first is None and 'class="dp-text"' in turns[-1]:
            first = time.perf_counter() - t0
        last = markup
    full = time.perf_counter() - t0
    final = last.split('<section class="dp-turn"')[-1] if last else ""
    return {"question": question, "first_text_s": round(first if first is not None else full, 3),
            "full_s": round(full, 3), "error": "dp-error" in final}


def _stats(xs: list[float]) -> dict:
    xs = sorted(xs)
    return {"median": round(statistics.median(xs), 3), "p90": round(xs[int(0.9 * (len(xs) - 1))], 3),
            "max": round(xs[-1], 3)}


def main(argv=None) -> int:
    import depeche.offline  # noqa: F401
    from depeche.settings import Settings
    from rag import followup
    from rag.engine import Engine
    from ui.app import build_app, launch, warm_up

    p = argparse.ArgumentParser(prog="python -m ui.bench", description=__doc__.split("\n\n")[0])
    p.add_argument("--store", help="Index directory (default: settings).")
    p.add_argument("--embedder", help="Embedder the index was built with (default: settings).")
    p.add_argument("--sessions", type=int, default=20, help="Simultaneous sessions (default 20).")
    p.add_argument("--rounds", type=int, default=2, help="Times the one-session conversation is replayed.")
    p.add_argument("--out", default="bench-out/chat.json", help="JSON file written.")
    args = p.parse_args(argv)

    from gradio_client import Client

    settings = Settings.load(cli={"store": args.store, "embedder": args.embedder})
    engine = Engine(settings)
    t = time.perf_counter()
    warm_up(engine)
    followup.warm_up()
    start_s = time.perf_counter() - t
    app, url = launch(build_app(engine), settings, block=False, port=_free_port())
    try:
        single = []
        for _ in range(args.rounds):
            client = Client(url, verbose=False)
            single += [timed_ask(client, q) for q in CONVERSATION]
        with ThreadPoolExecutor(args.sessions) as pool:
            load = list(pool.map(lambda q: timed_ask(Client(url, verbose=False), q),
                                 [CONVERSATION[i % 5 if i % 5 != 1 else 0] for i in range(args.sessions)]))
    finally:
        app.close()

    result = {
        "store": str(settings.store_path), "embedder": settings.embedder, "answerer": settings.answerer,
        "warm_up_s": round(start_s, 2),
        "one_session": {"first_text_s": _stats([r["first_text_s"] for r in single]),
                        "full_s": _stats([r["full_s"] for r in single]), "runs": single},
        f"{args.sessions}_sessions": {"first_text_s": _stats([r["first_text_s"] for r in load]),
                                      "full_s": _stats([r["full_s"] for r in load]),
                                      "errors": sum(r["error"] for r in load), "runs": load},
    }
    print(f"warm-up {start_s:.1f}s ({settings.embedder}, answerer {settings.answerer})")
    print(f"{'':22} {'first text med/p90/max':>26} {'full answer med/p90/max':>26}")
    for name in ("one_session", f"{args.sessions}_sessions"):
        f, a = result[name]["first_text_s"], result[name]["full_s"]
        print(f"{name:22} {f['median']:8.2f} {f['p90']:8.2f} {f['max']:8.2f} {a['median']:8.2f} {a['p90']:8.2f} "
              f"{a['max']:8.2f}")
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, ensure_ascii=False, indent=1), encoding="utf-8")
    print(f"wrote {out}", file=sys.stderr)
    return 1 if result[f"{args.sessions}_sessions"]["errors"] else 0


if __name__ == "__main__":
    sys.exit(main())

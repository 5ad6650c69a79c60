"""A small-memory Unigram (SentencePiece) tokenizer giving the same ids as the `tokenizers` one.

`tokenizers` keeps e5's 250,037-piece vocabulary in a character trie of hash maps: 270 MB resident,
the largest single part of a serving process. Here the pieces sit in one dict (~35 MB) and each
pre-token is cut by Viterbi over the pieces it starts with, exactly as `tokenizers` does (same scores,
same tie-breaking: the best path found first wins; an unmatched character is <unk> at the minimum
score - 10, consecutive <unk> fused). Normalisation and pre-tokenisation are `tokenizers`' own
(loaded from the tokenizer's JSON with an empty vocabulary). Fast enough for questions and the few
sentences of an answer; indexing batches use `tokenizers` itself.
"""
from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Sequence

PIECES_FILE = "unigram_pieces.tsv"
PIPELINE_FILE = "tokenizer_pipeline.json"
UNK_PENALTY = 10.0


def write_files(tokenizer_json: Path, out_dir: Path) -> None:
    """At export time: the pieces (``piece<TAB>score`` per line, line number = id) and the
    tokenizer's JSON without its vocabulary (normaliser, pre-tokeniser, special tokens)."""
    d = json.loads(Path(tokenizer_json).read_text(encoding="utf-8"))
    model = d["model"]
    assert model["type"] == "Unigram" and not model.get("byte_fallback"), "only plain Unigram models"
    with open(out_dir / PIECES_FILE, "w", encoding="utf-8", newline="\n") as fh:
        for piece, score in model["vocab"]:
            assert "\t" not in piece and "\n" not in piece
            fh.write(f"{piece}\t{score!r}\n")
    d["model"] = {**model, "vocab": model["vocab"][: model["unk_id"] + 1]}
    (out_dir / PIPELINE_FILE).write_text(json.dumps(d, ensure_ascii=False), encoding="utf-8")


class UnigramTokenizer:
    def __init__(self, folder: Path, max_tokens: int = 512) -> None:
        from tokenizers import Tokenizer

        pipe = json.loads((folder / PIPELINE_FILE).read_text(encoding="utf-8"))
        self._pipeline = Tokenizer.from_str(json.dumps(pipe))
        self.unk_id = int(pipe["model"]["unk_id"])
        self.max_tokens = max_tokens
        specials = {t["content"]: t["id"] for t in pipe.get("added_tokens", []) if t.get("special")}
        self.bos, self.eos = specials["<s>"], specials["</s>"]
        self._special_re = re.compile("(" + "|".join(map(re.escape, sorted(specials, key=len, reverse=True))) + ")")
        self._specials = specials
        self.ids: dict[str, int] = {}
        self.scores: list[float] = []
        with open(folder / PIECES_FILE, encoding="utf-8") as fh:
            for i, line in enumerate(fh):
                piece, score = line.rstrip("\n").split("\t")
                if piece not in self.ids:
                    self.ids[piece] = i
                self.scores.append(float(score))
        self.max_len = max(map(len, self.ids))
        self.unk_score = min(self.scores) - UNK_PENALTY

    def _viterbi(self, text: str) -> list[int]:
        n = len(text)
        best = [float("-inf")] * (n + 1)
        back: list[tuple[int, int]] = [(-1, -1)] * (n + 1)  # (start, id) of the best last piece
        best[0] = 0.0
        ids, scores = self.ids, self.scores
        for start in range(n):
            base = best[start]
            if base == float("-inf"):
                continue
            single = False
            for end in range(start + 1, min(n, start + self.max_len) + 1):
                pid = ids.get(text[start:end])
                if pid is None:
                    continue
                if end == start + 1:
                    single = True
                s = base + scores[pid]
                if back[end][0] == -1 or s > best[end]:
                    best[end], back[end] = s, (start, pid)
            if not single:
                s = base + self.unk_score
                if back[start + 1][0] == -1 or s > best[start + 1]:
                    best[start + 1], back[start + 1] = s, (start, self.unk_id)
        out: list[int] = []
        pos = n
        while pos > 0:
            start, pid = back[pos]
            if not (pid == self.unk_id and out and out[-1] == self.unk_id):  # fuse consecutive <unk>
                out.append(pid)
            pos = start
        out.reverse()
        return out

    def _tokens(self, text: str) -> list[int]:
        out: list[int] = []
        for i, part in enumerate(self._special_re.split(text)):
            if not part:
                continue
            if part in self._specials:
                out.append(self._specials[part])
                continue
            normalized = self._pipeline.normalizer.normalize_str(part)
            pieces = [p for p, _ in self._pipeline.pre_tokenizer.pre_tokenize_str(normalized)]
            if i > 0 and pieces and not normalized.startswith((" ", "\u2581")) and pieces[0].startswith("\u2581"):
                pieces[0] = pieces[0][1:]  # Metaspace prepends "▁" to the text's first section only
            for piece in pieces:
                if piece:
                    out.extend(self._viterbi(piece))
        return out

    def encode_ids(self, text: str) -> list[int]:
        """<s> + ids + </s>, truncated to ``max_tokens`` like the `tokenizers` tokenizer."""
        return [self.bos, *self._tokens(text)[: self.max_tokens - 2], self.eos]

    def encode_batch_ids(self, texts: Sequence[str]) -> list[list[int]]:
        return [self.encode_ids(t) for t in texts]

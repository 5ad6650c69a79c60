"""A shipped linear scorer's weights, read from its JSON file (the reason ranker, the yes/no chooser)."""
from __future__ import annotations

import json
from pathlib import Path

import numpy as np


def read_weights(path: Path, width: int, what: str, models: str, make: str, setting: str) -> tuple[np.ndarray, dict] | None:
    """(weights, the whole JSON) of ``path``, or None when it is absent; any damage (not JSON, no
    ``weights``, not ``width`` of them) stops with one line saying how to restore, retrain or switch
    it off (depeche.errors.damaged_model)."""
    if not path.exists():
        return None
    try:
        meta = json.loads(path.read_text(encoding="utf-8"))
        w = np.array(meta["weights"], np.float32)
        if w.shape != (width,):
            raise ValueError(f"{w.size} weights for {width} signals")
    except Exception as exc:  # noqa: BLE001 - any damage to the file: one line saying how to mend it
        from depeche.errors import damaged_model

        raise damaged_model(what, str(path.parent), exc, models, make, setting) from None
    return w, meta

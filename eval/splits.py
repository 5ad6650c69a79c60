"""Fixed splits of a QA set by article (pure): what the reader trains on, what calibrates it,
and what is reported.

The split of an article depends only on its title, so it is the same in training, calibration and
evaluation, and a question is never reported when its article trained or calibrated the reader.
PIAF v1.0 (191 articles): 70 % train, 10 % calibration, 20 % held out.
"""
from __future__ import annotations

import hashlib

SPLITS = ("train", "calib", "heldout")


def split_of(title: str) -> str:
    h = int(hashlib.sha1(title.strip().encode("utf-8")).hexdigest()[:8], 16) % 100
    return "train" if h < 70 else "calib" if h < 80 else "heldout"

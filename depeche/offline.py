"""Switch every library to offline mode and turn telemetry off, before any of them is imported."""
import os

_DEFAULTS = {
    "HF_HUB_OFFLINE": "1",
    "TRANSFORMERS_OFFLINE": "1",
    "HF_DATASETS_OFFLINE": "1",
    "HF_HUB_DISABLE_TELEMETRY": "1",
    "DO_NOT_TRACK": "1",
    "ANONYMIZED_TELEMETRY": "False",  # chromadb
    "GRADIO_ANALYTICS_ENABLED": "False",
    "TOKENIZERS_PARALLELISM": "false",
    "TQDM_DISABLE": os.environ.get("TQDM_DISABLE", "0"),
}


def go_offline() -> None:
    for key, value in _DEFAULTS.items():
        os.environ.setdefault(key, value)


go_offline()

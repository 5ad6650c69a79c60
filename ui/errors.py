"""The one place where an exception becomes what the chat user sees.

A :class:`DepecheError` already says, in one line, what to do: it is shown as is. Anything else is
a bug or an outage: the user gets a short, calm sentence (no traceback, no internal detail) and the
full traceback goes to the server log.
"""
from __future__ import annotations

import logging

from depeche.errors import DepecheError

log = logging.getLogger("depeche.chat")

INTERNAL = ("Une erreur inattendue a empêché de répondre ; réessayez. Si elle se répète, "
            "le journal du serveur en donne le détail.")
BUSY = "Le serveur est très sollicité ; réessayez dans un instant."


def user_message(exc: BaseException) -> str:
    """One line for the user; unexpected errors are logged with their traceback."""
    if isinstance(exc, DepecheError):
        return str(exc) or INTERNAL
    if isinstance(exc, TimeoutError):
        return BUSY
    log.error("chat request failed", exc_info=exc)
    return INTERNAL

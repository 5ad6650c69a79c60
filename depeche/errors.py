"""One exception type whose message is a single line telling the user what to do."""


class DepecheError(Exception):
    """An error the user can fix; ``str(err)`` is one line saying how."""


class SettingsError(DepecheError):
    pass


class IndexMismatchError(DepecheError):
    pass


class NoIndexError(DepecheError):
    pass


def damaged_model(what: str, folder, exc: Exception, models: str, make: str, setting: str) -> DepecheError:
    """The one-line error of a shipped model whose files cannot be read: how to restore, retrain or
    switch it off (``models``: its folder in the repo, ``make``: the target retraining it)."""
    reason = (str(exc).splitlines() or [type(exc).__name__])[0][:80]
    return DepecheError(f"The {what} in {folder} is unreadable ({reason}): restore it with 'git checkout -- "
                        f"{models}', retrain it with 'make {make}', or set {setting}=false.")

"""One exception type whose message is a single line telling the user what to do."""


class DepecheError(Exception):
    """An error the user can fix; ``str(err)`` is one line saying how."""


class SettingsError(DepecheError):
    pass


class IndexMismatchError(DepecheError):
    pass


class NoIndexError(DepecheError):
    pass

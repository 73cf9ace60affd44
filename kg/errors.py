"""The one exception type for problems a user can fix: the CLI prints its message as one line."""


class KGError(Exception):
    """A user-facing error: bad input, a missing or altered file, a failed check.

    The message names what was wrong and, where it helps, what would be accepted.
    Several independent problems are joined so the user sees all of them at once.
    """

    def __init__(self, *problems: str) -> None:
        self.problems = list(problems)
        super().__init__("; ".join(problems))

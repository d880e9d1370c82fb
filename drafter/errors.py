"""User-facing errors: one clear line naming the file and the place, exit code 2, never a traceback."""
from __future__ import annotations


class UserError(Exception):
    """A mistake in the user's input (bad file, missing field, unknown topic id ...).

    The CLI prints `drafter: <file>: <place>: <message>` on stderr and exits with code 2.
    Raise it with everything the user needs to fix the problem; never for a bug of ours.
    """

    exit_code = 2

    def __init__(self, message: str, file: str | None = None, place: str | None = None):
        super().__init__(message)
        self.message = message
        self.file = file
        self.place = place

    def __str__(self) -> str:
        parts = [p for p in (self.file, self.place) if p]
        # one problem is one line: a newline inside a user's key or value is shown escaped
        return ": ".join(str(x).replace("\r", "\\r").replace("\n", "\\n") for x in [*parts, self.message])


class UserErrors(UserError):
    """Several problems found at once (e.g. validating a company file): one line each."""

    def __init__(self, errors: list[UserError]):
        super().__init__(f"{len(errors)} problem(s)")
        self.errors = errors

    def __str__(self) -> str:
        return "\n".join(str(e) for e in self.errors)

"""Exceptions that carry a message meant for a person: what is wrong and what to do."""

from __future__ import annotations


class WhynoError(Exception):
    """Base for errors caused by user input or the environment, never by a bug.

    The CLI prints the message without a traceback and exits with ``exit_code``.
    """

    exit_code = 1


class InputError(WhynoError):
    """Bad input: a file, a flag or a value. The message names it and the fix."""

    exit_code = 2


class NotFoundError(WhynoError):
    """A record asked for by id does not exist."""

    exit_code = 3


class MissingExtraError(WhynoError):
    """An optional dependency is not installed."""

    exit_code = 4

    def __init__(self, what: str, extra: str, module: str) -> None:
        super().__init__(
            f"{what} needs the '{module}' package: install it with pip install 'whyno[{extra}]'"
        )

"""Errors that users see: each names the file, the field, the value and what is allowed.

Nothing below the command line prints or exits; code raises these and `cli.py` turns them into a
message on stderr and a non-zero exit code.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any


def _show(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 80 else text[:77] + "..."


@dataclass(frozen=True)
class Problem:
    """One thing wrong with one input file."""

    file: str
    field: str
    value: Any
    message: str

    def __str__(self) -> str:
        where = f"{self.file}: {self.field}" if self.field else self.file
        value = "" if self.value is _NO_VALUE else f" = {_show(self.value)}"
        return f"{where}{value}: {self.message}"


_NO_VALUE = object()
NO_VALUE = _NO_VALUE


class InputError(Exception):
    """Bad input: one or more problems, each a full sentence naming file, field, value and the rule."""

    def __init__(self, problems: list[Problem] | Problem):
        self.problems = [problems] if isinstance(problems, Problem) else list(problems)
        super().__init__(str(self))

    def __str__(self) -> str:
        return "\n".join(str(p) for p in self.problems)


def problem(file: str, field: str, message: str, value: Any = _NO_VALUE) -> InputError:
    """Shorthand for an InputError with a single problem."""
    return InputError(Problem(file, field, value, message))

"""Errors that users see: each names the file, the field, the value and what is allowed.

Nothing below the command line prints or exits; code raises these and `cli.py` turns them into a
message on stderr and a non-zero exit code.
"""
from __future__ import annotations

import re
import reprlib
from dataclasses import dataclass
from typing import Any

#: The most characters of a value a message shows.
SHOWN_CHARS = 80


class _Short(reprlib.Repr):
    """A repr that stops early: a value from a hostile file may be huge (a list of a million items), nested
    deeply or hold a whole number too long for Python to write; only its start is ever shown."""

    def __init__(self):
        super().__init__()
        self.maxlevel, self.maxlist, self.maxtuple, self.maxdict, self.maxset = 3, 6, 6, 4, 6
        self.maxstring = self.maxother = self.maxlong = SHOWN_CHARS

    def repr_int(self, x, level):
        if x.bit_length() > 256:  # about 77 digits; Python refuses to write more than 4,300
            return f"<a whole number of about {int(x.bit_length() * 0.30103):,} digits>"
        return super().repr_int(x, level)

    def repr_str(self, x, level):
        return repr(x[:SHOWN_CHARS + 1])


_SHORT = _Short()


def _show(value: Any) -> str:
    """The start of `value`'s repr: never more than SHOWN_CHARS characters, whatever the value's size."""
    try:
        text = _SHORT.repr(value)
    except Exception:  # a value whose repr fails: say what it is
        text = f"<{type(value).__name__}>"
    return text if len(text) <= SHOWN_CHARS else text[:SHOWN_CHARS - 3] + "..."


#: Characters a terminal acts on (control characters, bidirectional overrides): written escaped in a message.
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def _escaped(text: str) -> str:
    """`text` with each character a terminal would act on written as its escape (\\x1b, \\u202e)."""
    return _CONTROL.sub(lambda m: m.group().encode("unicode_escape").decode("ascii"), text)


def _cut(text: str, most: int = 240) -> str:
    """A file or field name of at most `most` characters (its start and its end, which tell it apart), escaped."""
    text = _escaped(text)
    return text if len(text) <= most else f"{text[:most // 2 - 2]}...{text[-(most // 2 - 1):]}"


@dataclass(frozen=True)
class Problem:
    """One thing wrong with one input file."""

    file: str
    field: str
    value: Any
    message: str

    def __str__(self) -> str:
        where = f"{_cut(self.file)}: {_cut(self.field)}" if self.field else _cut(self.file)
        value = "" if self.value is _NO_VALUE else f" = {_show(self.value)}"
        return f"{where}{value}: {_escaped(self.message)}"


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

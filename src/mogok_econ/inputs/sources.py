"""The bibliography (data/sources.yaml): load, look up, cite.

Every number in data/ names the sources it rests on by id; `assumption` is the reserved id for a
judgement of ours (always with a note).
"""
from __future__ import annotations

import datetime as dt
import re
from functools import lru_cache
from pathlib import Path
from typing import Literal

import pandas as pd
from pydantic import Field, ValidationError

from .. import paths
from ..errors import InputError, problem
from .schema import ASSUMPTION, StrictModel, date_problem, problems_from
from .yaml_loader import content_key, load_yaml

_DATE = r"^\d{4}(-\d{2}(-\d{2})?)?$"
SOURCE_ID = re.compile(r"^[a-z0-9][a-z0-9-]*$")


class Source(StrictModel):
    """One entry of the bibliography."""

    title: str = Field(min_length=1)
    publisher: str | None = None
    author: str | None = None
    date: str = Field(pattern=_DATE)
    url: str | None = Field(default=None, pattern=r"^https?://")
    accessed: str | None = Field(default=None, pattern=_DATE)
    seen: Literal["primary", "secondary"]
    used_for: str = Field(min_length=1)
    note: str | None = None

    def citation(self) -> str:
        """A one-line citation: Author/publisher, "Title", date, URL."""
        who = ", ".join(x for x in (self.author, self.publisher) if x)
        parts = [who, f"\u201c{self.title.strip()}\u201d", self.date]
        if self.url:
            parts.append(self.url)
        if self.accessed:
            parts.append(f"accessed {self.accessed}")
        if self.seen == "secondary":
            parts.append("seen only as relayed by another source")
        return ", ".join(p for p in parts if p)


class _BibliographyFile(StrictModel):
    sources: dict[str, Source]


class Bibliography:
    """All sources by id."""

    def __init__(self, sources: dict[str, Source], file: str):
        self.sources = sources
        self.file = file

    def __contains__(self, source_id: str) -> bool:
        return source_id in self.sources

    def __getitem__(self, source_id: str) -> Source:
        try:
            return self.sources[source_id]
        except KeyError:
            raise problem(self.file, f"sources.{source_id}", "no such source in the bibliography.") from None

    def cite(self, source_id: str) -> str:
        if source_id == ASSUMPTION:
            return "Assumption of the mogok-econ authors (see the note beside the value)."
        return self[source_id].citation()

    def table(self, ids: list[str] | None = None) -> pd.DataFrame:
        """The bibliography (or the listed ids) as a table, one row per source."""
        chosen = ids if ids is not None else sorted(self.sources)
        rows = [{"id": i, **self[i].model_dump(), "citation": self[i].citation()} for i in chosen if i != ASSUMPTION]
        return pd.DataFrame(rows).set_index("id") if rows else pd.DataFrame()


def load_bibliography(path: Path | None = None, data: Path | None = None) -> Bibliography:
    """Load `path`, or by default the bibliography of the data folder `data` (paths.sources_files(): the shipped
    sources.yaml, plus the data folder's own when it is not the shipped one); raises InputError naming
    every problem."""
    files = [Path(path)] if path else paths.sources_files(paths.chosen(data))
    loaded = [_load(f.resolve(), content_key(f)) for f in files]
    if len(loaded) == 1:
        return loaded[0]
    return Bibliography({k: v for b in loaded for k, v in b.sources.items()}, loaded[-1].file)


@lru_cache(maxsize=8)
def _load(path: Path, _content: str) -> Bibliography:
    shown = paths.display(path)
    raw = load_yaml(path, "bibliography")
    try:
        parsed = _BibliographyFile.model_validate(raw)
    except ValidationError as exc:
        raise InputError(problems_from(exc, shown)) from None
    bad = [i for i in parsed.sources if not SOURCE_ID.match(i) or i == ASSUMPTION]
    if bad:
        raise problem(shown, f"sources.{bad[0]}",
                      "a source id is lower case letters, digits and hyphens, and 'assumption' is reserved.",
                      bad[0])
    dates = [date_problem(day, shown, f"sources.{i}.{key}") for i, source in parsed.sources.items()
             for key, day in (("date", source.date), ("accessed", source.accessed)) if day is not None]
    if any(dates):
        raise InputError([p for p in dates if p])
    return Bibliography(dict(parsed.sources), shown)


def data_current_to(bibliography: Bibliography) -> str:
    """What the data is current to, as every report says: the newest source's date (YYYY[-MM[-DD]])."""
    return max(s.date for s in bibliography.sources.values())


def as_day(date: str) -> dt.date:
    """A YYYY[-MM[-DD]] date as a day (a month or year given alone: its first day)."""
    parts = [int(p) for p in date.split("-")] + [1, 1]
    return dt.date(parts[0], parts[1], parts[2])

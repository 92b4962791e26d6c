"""The references section of every report, from the ids a results bundle cites."""
from __future__ import annotations

import datetime as dt

from ..inputs.schema import ASSUMPTION
from ..inputs.sources import Bibliography
from ..inputs.world import World, shipped_world
from .display import code, text


def data_current_to(bibliography: Bibliography) -> str:
    """What the data is current to, as every report says: the newest source's date (YYYY[-MM[-DD]])."""
    return max(s.date for s in bibliography.sources.values())


def newest_evidence(world: World) -> dt.date:
    """The day of the newest evidence in `world` (what the data is current to, a month's first day if the
    source gives a month): totals after it are projections."""
    return as_day(data_current_to(world.bibliography))


def as_day(date: str) -> dt.date:
    """A YYYY[-MM[-DD]] date as a day (a month or year given alone: its first day)."""
    parts = [int(p) for p in date.split("-")] + [1, 1]
    return dt.date(parts[0], parts[1], parts[2])


def references_markdown(ids: list[str], bibliography: Bibliography) -> str:
    """A numbered list of full citations, sorted by id; URLs shown as code (the reports link nowhere). Every
    part of a citation comes from the data: escaped (display.text, display.code)."""
    bib = bibliography
    lines = []
    for n, i in enumerate(sorted(ids), 1):
        citation = bib.cite(i)
        url = bib[i].url if i != ASSUMPTION else None
        if url and url in citation:  # shown as code, not a link: the reports make no reference to the network
            before, _, after = citation.partition(url)
            shown = " ".join(x for x in (text(before), code(url), text(after)) if x)
            shown = shown.replace(f"{code(url)} ,", f"{code(url)},")
        else:
            shown = text(citation)
        lines.append(f"{n}. **{text(i)}**: {shown}")
    return "\n".join(lines) + ("\n\nValues marked *assumption* are judgements of the mogok-econ authors; "
                               "the note beside each says why, and its range says how unsure it is.")


def references(bundle) -> str:
    """The references of a results bundle (anything with `cited_ids()`, and the `world` it came from)."""
    world = getattr(bundle, "world", None) or shipped_world()
    return references_markdown(bundle.cited_ids(), world.bibliography)

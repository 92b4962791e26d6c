"""The references section of every report, from the ids a results bundle cites."""
from __future__ import annotations

from ..inputs.schema import ASSUMPTION
from ..inputs.sources import Bibliography
from ..inputs.world import shipped_world
from .display import code, text


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

"""The references section of every report, from the ids a results bundle cites."""
from __future__ import annotations

from ..inputs.sources import Bibliography, load_bibliography


def references_markdown(ids: list[str], bibliography: Bibliography | None = None) -> str:
    """A numbered list of full citations, sorted by id; URLs shown as text (the reports link nowhere)."""
    bib = bibliography or load_bibliography()
    lines = []
    for n, i in enumerate(sorted(ids), 1):
        citation = bib.cite(i)
        url = bib[i].url
        if url:  # shown as text, not a link: the reports make no reference to the network
            citation = citation.replace(url, f"`{url}`")
        lines.append(f"{n}. **{i}**: {citation}")
    return "\n".join(lines) + ("\n\nValues marked *assumption* are judgements of the mogok-econ authors; "
                               "the note beside each says why, and its range says how unsure it is.")


def references(bundle) -> str:
    """The references of a results bundle (anything with `cited_ids()`)."""
    return references_markdown(bundle.cited_ids())

"""The back matter that is not about the numbers: what changed since the last versions, quoted from
CHANGELOG.md (in the checkout, or shipped with the package)."""
from __future__ import annotations

import re

from ... import paths

CHANGELOG = "CHANGELOG.md"


def changelog_file():
    return paths.ROOT / CHANGELOG


def changes_markdown(versions: int = 2) -> str:
    """The newest `versions` entries of the changelog, each version's heading in bold, as Markdown."""
    path = changelog_file()
    if not path.exists():
        return "The list of changes (CHANGELOG.md) is not part of this copy of the project."
    sections = re.split(r"^## ", path.read_text(encoding="utf-8"), flags=re.M)[1:versions + 1]
    out = []
    for section in sections:
        heading, _, body = section.partition("\n")
        title = "Not yet released (this version)" if heading.strip().lower() == "unreleased" else f"Version {heading.strip()}"
        out.append(f"**{title}**\n\n{body.strip()}")
    return "\n\n".join(out)

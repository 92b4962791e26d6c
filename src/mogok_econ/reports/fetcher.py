"""What WeasyPrint may read while it prints a report: the package's own files (its report templates, with
their stylesheets and any fonts or images shipped beside them) and `data:` URLs (the charts, inlined).
Everything else (other local files, http(s), ftp, a link marked rel="attachment") is refused before
anything is read: a page made from a stranger's data folder cannot embed /etc/passwd or a cloud metadata
answer in its PDF, nor make the printer call anyone."""
from __future__ import annotations

from pathlib import Path
from urllib.parse import unquote, urlsplit

#: The folders whose files the printer may read (resolved: no symbolic link or .. leads out of them).
ALLOWED_FOLDERS = (Path(__file__).resolve().parent / "templates",)


class RefusedURL(ValueError):
    """The printer was asked for something outside the package (WeasyPrint shows it as a warning and goes on
    without it)."""


def allowed(url: str) -> bool:
    """Whether the printer may read `url`: a data: URL, or a file: URL inside ALLOWED_FOLDERS."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return False
    scheme = parts.scheme.lower()
    if scheme == "data":
        return True
    if scheme != "file" or parts.netloc not in ("", "localhost"):
        return False
    try:
        path = Path(unquote(parts.path)).resolve()
    except (OSError, ValueError):
        return False
    return any(path.is_relative_to(folder) for folder in ALLOWED_FOLDERS) and path.is_file()


def url_fetcher():
    """A WeasyPrint URL fetcher (for HTML() and CSS()) that reads only what `allowed` allows, follows no
    redirect, and raises RefusedURL for anything else."""
    from weasyprint.urls import URLFetcher

    class PackageFetcher(URLFetcher):
        def fetch(self, url, headers=None):
            if not allowed(url):
                raise RefusedURL(f"not printed: {url[:200]} (the printer reads only the package's files and data: URLs)")
            return super().fetch(url, headers)

    return PackageFetcher(allowed_protocols=("data", "file"), allow_redirects=False)

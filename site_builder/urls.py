"""Every site URL is made here: pages, their output files, and the way back to the root."""

from __future__ import annotations


def tag_url(slug: str) -> str:
    return f"/tags/{slug}/"


def year_url(year: int) -> str:
    return f"/{year:04d}/"


def month_url(year: int, month: int) -> str:
    return f"/{year:04d}/{month:02d}/"


def output_path(url: str) -> str:
    """`/2025/09/x/` -> `2025/09/x/index.html`; `/feed.xml` -> `feed.xml`."""
    relative = url.lstrip("/")
    return relative + "index.html" if relative.endswith("/") or not relative else relative


def page_root(url: str) -> str:
    """The relative way back to the site root from a page, so links work under any sub-path."""
    return "../" * (url.count("/") - 1)

"""Issue 7, dates: the day written is the day shown, whatever TZ builds it; feeds carry offsets.

tests/unit/test_build.py::test_dates_do_not_depend_on_the_machine_time_zone checks a French
thread page under two TZ values. Here an English site, under the same two extremes (UTC-8 and
UTC+14), is checked on the thread page, the lists' cards, both feeds and the sitemap, parsed.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from helpers import SITE_YAML, read_page, site_files, thread, write_tree

ATOM = "{http://www.w3.org/2005/Atom}"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
RFC3339 = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}"
                     r"(?:\.[0-9]+)?(?:Z|[+-][0-9]{2}:[0-9]{2})")
ZONES = ("America/Los_Angeles", "Pacific/Kiritimati")

FILES = {  # the site's zone is Europe/Paris: +01:00 in winter, +02:00 in summer
    "content/winter.md": thread("2024-01-05", "Body.", title="Winter", tags="[t]"),
    "content/summer.md": thread("2024-07-14", "Body.", title="Summer", tags="[t]"),
    "content/late.md": thread("2024-01-05T23:30:00-08:00", "Body.", title="Late", tags="[t]"),
    "content/naive.md": thread("2024-01-05 23:30", "Body.", title="Naive",
                               updated="2024-03-31T02:30:00Z"),
}


@pytest.fixture(scope="module")
def outputs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The same site built by `site-builder build` under each TZ, in a process of its own."""
    built = {}
    for zone in ZONES:
        root = write_tree(tmp_path_factory.mktemp(zone.replace("/", "-")),
                          {"site.yaml": SITE_YAML, **FILES})
        subprocess.run([sys.executable, "-c", "from site_builder.cli import cli; cli()",
                        "build", "-q"], env={**os.environ, "TZ": zone}, cwd=root, check=True,
                       timeout=120)
        built[zone] = root / "output"
    return built


def test_builds_under_both_zones_are_byte_identical(outputs: dict[str, Path]) -> None:
    first, second = (site_files(outputs[zone]) for zone in ZONES)
    assert first == second


@pytest.mark.parametrize("zone", ZONES)
def test_thread_pages_show_the_day_written(outputs: dict[str, Path], zone: str) -> None:
    shown = {}
    for slug in ("winter", "summer", "late", "naive"):
        time = read_page(outputs[zone], f"2024/{'07' if slug == 'summer' else '01'}/{slug}/"
                         "index.html").find("time", class_="dt-published")
        shown[slug] = (time.text(), time.get("datetime"))
    assert shown == {
        "winter": ("January 5, 2024", "2024-01-05T00:00:00+01:00"),
        "summer": ("July 14, 2024", "2024-07-14T00:00:00+02:00"),
        # 23:30 in Los Angeles is 08:30 the next morning in Paris, the site's zone.
        "late": ("January 6, 2024", "2024-01-05T23:30:00-08:00"),
        "naive": ("January 5, 2024", "2024-01-05T23:30:00+01:00"),
    }


@pytest.mark.parametrize("zone", ZONES)
def test_cards_show_the_day_written(outputs: dict[str, Path], zone: str) -> None:
    for rel in ("index.html", "2024/01/index.html", "tags/t/index.html"):
        cards = {}
        for card in read_page(outputs[zone], rel).find_all("li", class_="thread-card"):
            time = card.find("time")
            (title,) = [node for node in card.iter()
                        if "thread-card-title" in (node.get("class") or "").split()]
            cards[title.text()] = (time.text(), time.get("datetime"))
        assert cards["Winter"] == ("January 5, 2024", "2024-01-05"), rel
        if "Late" in cards:
            assert cards["Late"] == ("January 6, 2024", "2024-01-06"), rel


@pytest.mark.parametrize("zone", ZONES)
@pytest.mark.parametrize("feed", ["feed.xml", "tags/t/feed.xml"])
def test_feed_dates_carry_offsets(outputs: dict[str, Path], zone: str, feed: str) -> None:
    root = ET.fromstring((outputs[zone] / feed).read_bytes())
    stamps = [node.text or "" for node in root.iter()
              if node.tag in (f"{ATOM}published", f"{ATOM}updated")]
    assert stamps and all(RFC3339.fullmatch(stamp) for stamp in stamps), stamps
    published = {entry.findtext(f"{ATOM}title"): entry.findtext(f"{ATOM}published")
                 for entry in root.iter(f"{ATOM}entry")}
    assert published["Winter"] == "2024-01-05T00:00:00+01:00"
    assert published["Summer"] == "2024-07-14T00:00:00+02:00"
    assert published["Late"] == "2024-01-05T23:30:00-08:00"
    if feed == "feed.xml":
        entries = {entry.findtext(f"{ATOM}title"): entry for entry in root.iter(f"{ATOM}entry")}
        assert entries["Naive"].findtext(f"{ATOM}updated") == "2024-03-31T02:30:00+00:00"


@pytest.mark.parametrize("zone", ZONES)
def test_sitemap_dates_carry_offsets(outputs: dict[str, Path], zone: str) -> None:
    root = ET.fromstring((outputs[zone] / "sitemap.xml").read_bytes())
    lastmods = {url.findtext(f"{SITEMAP}loc"): url.findtext(f"{SITEMAP}lastmod")
                for url in root.iter(f"{SITEMAP}url")}
    dated = {loc: mod for loc, mod in lastmods.items() if mod}
    assert dated["https://example.org/2024/01/winter/"] == "2024-01-05T00:00:00+01:00"
    assert all(RFC3339.fullmatch(mod) for mod in dated.values()), dated

"""model and slugs: URLs, calendar days in the site's zone, tags, periods, collisions."""

from __future__ import annotations

import dataclasses
import datetime as dt
import unicodedata
from pathlib import Path

import pytest
from helpers import thread as thread_file

from site_builder.config import SiteConfig
from site_builder.errors import Diagnostics
from site_builder.model import Archive, build_archive
from site_builder.parse import ParsedThread, parse_thread
from site_builder.slugs import MAX_SLUG_LENGTH, slugify

CONFIG = SiteConfig(root=Path("/site"))


def parsed(path: str, text: str) -> ParsedThread:
    result, diagnostics = parse_thread(text.encode(), f"content/{path}", False, "en")
    assert result is not None, [str(e) for e in diagnostics.errors]
    return result


def archive_of(files: dict[str, str], config: SiteConfig = CONFIG) -> tuple[Archive, list[str]]:
    diagnostics = Diagnostics()
    archive = build_archive([parsed(path, text) for path, text in files.items()], config,
                            diagnostics)
    return archive, [str(error) for error in diagnostics.errors]


# --- slugs ------------------------------------------------------------------------------------

@pytest.mark.parametrize(("text", "slug"), [
    ("L'économie, c'est…", "l-economie-c-est"),
    ("Ça va ? Oui !", "ca-va-oui"),
    ("../../etc/passwd", "etc-passwd"),
    ("%2e%2e%2f", "2e-2e-2f"),
    ("/abs", "abs"),
    ("a/b\\c", "a-b-c"),
    ("con", "con-1"),
    ("NUL", "nul-1"),
    ("lpt1", "lpt1-1"),
    ("...", ""),
])
def test_slugify(text: str, slug: str) -> None:
    assert slugify(text) == slug


def test_slugs_are_short_and_one_path_segment() -> None:
    slug = slugify("mot " * 100)
    assert len(slug) <= MAX_SLUG_LENGTH and not slug.endswith("-")
    assert len(slugify("x" * 300)) == MAX_SLUG_LENGTH


def test_decomposed_and_composed_accents_give_one_slug() -> None:
    composed = "L'économie à Noël"
    assert slugify(unicodedata.normalize("NFD", composed)) == slugify(composed) == \
        "l-economie-a-noel"


# --- threads placed ---------------------------------------------------------------------------

def test_url_slug_and_read_time() -> None:
    archive, errors = archive_of({"a.md": thread_file("2025-09-26", "word " * 401,
                                                      title="Économie, industrie")})
    assert errors == []
    (only,) = archive.threads
    assert (only.url, only.slug, only.day, only.read_time) == (
        "/2025/09/economie-industrie/", "economie-industrie", dt.date(2025, 9, 26), 3)


@pytest.mark.parametrize("language", ["en", "fr"])
@pytest.mark.parametrize("text", [
    thread_file("2025-09-26", "Corps.", title="L'économie, c'est…"),
    thread_file("2025-09-26", "L'économie, c'est…"),
], ids=["title", "first sentence"])
def test_apostrophes_separate_slug_words(text: str, language: str) -> None:
    """Issue 2's own example: `L'économie, c'est…` -> `l-economie-c-est`."""
    result, _ = parse_thread(text.encode(), "content/a.md", False, language)
    assert result is not None
    archive = build_archive([result], CONFIG, Diagnostics())
    assert archive.threads[0].url == "/2025/09/l-economie-c-est/"


def test_hostile_slugs_stay_one_segment_under_the_permalink() -> None:
    archive, errors = archive_of({
        "a.md": thread_file(slug="../../etc/passwd"), "b.md": thread_file(slug="'%2e%2e%2f'"),
        "c.md": thread_file(slug="/abs"), "d.md": thread_file(slug="con"),
        "e.md": thread_file(slug="x" * 300), "f.md": thread_file(title="'...'"),
    })
    assert errors == []
    assert sorted(t.url for t in archive.threads) == sorted([
        "/2024/01/etc-passwd/", "/2024/01/2e-2e-2f/", "/2024/01/abs/", "/2024/01/con-1/",
        f"/2024/01/{'x' * MAX_SLUG_LENGTH}/", "/2024/01/thread/"])


def test_permalink_fields() -> None:
    config = CONFIG._replace(permalink="/{year}/{month}/{day}/{slug}/")
    archive, _ = archive_of({"a.md": thread_file("2024-03-07", title="X")}, config)
    assert archive.threads[0].url == "/2024/03/07/x/"


@pytest.mark.parametrize("zone", ["Pacific/Kiritimati", "America/Los_Angeles", "Europe/Paris",
                                  "Pacific/Pago_Pago"])
def test_a_calendar_date_is_never_shifted(zone: str) -> None:
    config = CONFIG._replace(timezone=zone)
    archive, _ = archive_of({"a.md": thread_file("2024-01-05", title="X")}, config)
    (only,) = archive.threads
    assert only.day == dt.date(2024, 1, 5) and only.url == "/2024/01/x/"
    assert only.published.date() == dt.date(2024, 1, 5)
    assert only.published.utcoffset() is not None


def test_timestamps_land_on_the_site_zone_day() -> None:
    archive, _ = archive_of({
        "a.md": thread_file("2024-01-05T23:30:00-08:00", title="Offset"),  # 08:30 in Paris
        "b.md": thread_file("2024-01-31 23:30", title="Naive"),  # in the site's zone
    })
    by_title = {t.title: t for t in archive.threads}
    assert by_title["Offset"].day == dt.date(2024, 1, 6)
    assert by_title["Naive"].day == dt.date(2024, 1, 31)
    assert by_title["Naive"].published.utcoffset() == dt.timedelta(hours=1)


def test_tags_differing_by_case_or_accents_are_one() -> None:
    archive, errors = archive_of({
        "a.md": thread_file("2024-01-01", title="A", tags="[Économie, Chine]"),
        "b.md": thread_file("2024-01-02", title="B", tags="[economie, chine]"),
        "c.md": thread_file("2024-01-03", title="C", tags="[Chine, CHINE]"),
    })
    assert errors == []
    assert [(tag.slug, tag.name, len(tag.threads)) for tag in archive.tags] == [
        ("chine", "Chine", 3), ("economie", "economie", 2)]
    assert [ref.slug for ref in archive.threads[0].tags] == ["chine"]


def test_a_tag_without_letters_is_an_error() -> None:
    _, errors = archive_of({"a.md": thread_file(tags="['!!!', ok]")})
    assert errors == ["content/a.md:3: tag '!!!' has no letters or digits to make a URL from"]


def test_same_url_is_an_error_naming_both_files() -> None:
    _, errors = archive_of({"a.md": thread_file(title="Same"), "b.md": thread_file(title="same"),
                            "c.md": thread_file(title="Other", slug="SAME")})
    assert errors == [
        "content/b.md:1: same URL /2024/01/same/ as content/a.md "
        "(give one of them another 'slug' or 'title')",
        "content/c.md:1: same URL /2024/01/same/ as content/a.md "
        "(give one of them another 'slug' or 'title')"]


def test_drafts_are_left_out_unless_asked() -> None:
    files = {"a.md": thread_file(title="Draft", draft="true"), "b.md": thread_file(title="Kept")}
    archive, _ = archive_of(files)
    assert [t.title for t in archive.threads] == ["Kept"]
    archive, _ = archive_of(files, CONFIG._replace(drafts=True))
    assert sorted(t.title for t in archive.threads) == ["Draft", "Kept"]


def test_order_neighbours_and_periods() -> None:
    archive, _ = archive_of({
        "a.md": thread_file("2023-12-31", title="Oldest"),
        "b.md": thread_file("2024-01-05", title="Middle"),
        "c.md": thread_file("2024-03-01", title="Newest"),
        "d.md": thread_file("2024-01-05", title="Also middle"),
    })
    assert [t.title for t in archive.threads] == ["Newest", "Middle", "Also middle", "Oldest"]
    assert archive.neighbours(0) == (archive.threads[1], None)
    assert archive.neighbours(3) == (None, archive.threads[2])
    assert [(y.year, y.count, [(m.month, len(m.threads)) for m in y.months])
            for y in archive.years] == [(2024, 3, [(3, 1), (1, 2)]), (2023, 1, [(12, 1)])]


def test_model_is_frozen() -> None:
    archive, _ = archive_of({"a.md": thread_file()})
    with pytest.raises(dataclasses.FrozenInstanceError):
        archive.threads[0].title = "changed"  # type: ignore[misc]

"""X (Twitter) data archives -> content files: the user's own threads, rebuilt from self-replies."""

from __future__ import annotations

import datetime as dt
import html
import logging
import posixpath
import re
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from site_builder.errors import BuildFailed, Diagnostics
from site_builder.importers import (
    ImportedThread,
    ImportPlan,
    markdown_paragraphs,
    plan_thread_files,
)
from site_builder.importers.x_archive_files import (
    ACCOUNT_FILE,
    ArchiveFiles,
    load_ytd,
    open_archive,
)
from site_builder.markdown import TWEET_BREAK

log = logging.getLogger(__name__)

# `Fri Sep 26 16:04:00 +0000 2025`, read without the locale-dependent %a/%b of strptime.
_CREATED_AT = re.compile(
    r"[A-Z][a-z]{2} (?P<month>[A-Z][a-z]{2}) (?P<day>[0-9]{2}) "
    r"(?P<time>[0-9]{2}:[0-9]{2}:[0-9]{2}) (?P<offset>[+-][0-9]{4}) (?P<year>[0-9]{4})"
)
_MONTHS = {name: n for n, name in enumerate(
    ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"], start=1)}
_TCO = re.compile(r"https?://t\.co/[A-Za-z0-9]+")
_ID = re.compile(r"[0-9]{1,30}")
_ID_STR = re.compile(r'"id_str"\s*:\s*"([0-9]{1,30})"')
_USERNAME = re.compile(r"[A-Za-z0-9_]{1,50}")
_MEDIA_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,200}")
_VIDEO_SUFFIXES = (".mp4", ".mov", ".webm", ".m4v")


@dataclass(frozen=True, slots=True)
class _Media:
    """A picture or video of a tweet: where the archive may keep it, and its description."""

    names: tuple[str, ...]  # candidate files in the archive, best first
    alt: str


@dataclass(frozen=True, slots=True)
class _Tweet:
    """A tweet as the thread needs it: text already decoded, links expanded."""

    id: str
    text: str
    created: dt.datetime
    reply_to: str | None
    retweet: bool
    hashtags: tuple[str, ...]
    media: tuple[_Media, ...]
    file: str  # where the tweet was read, for messages
    line: int


def _dicts(value: object, *keys: str) -> list[dict[str, object]]:
    """The dicts at value[k1][k2]...; optional parts of a tweet may be missing or odd-shaped."""
    for key in keys:
        value = value.get(key) if isinstance(value, dict) else None
    return [item for item in value if isinstance(item, dict)] if isinstance(value, list) else []


def _text(entry: dict[str, object], key: str) -> str:
    value = entry.get(key)
    return value if isinstance(value, str) else ""


def _created(raw: str) -> dt.datetime | None:
    match = _CREATED_AT.fullmatch(raw.strip())
    month = _MONTHS.get(match["month"]) if match else None
    if match is None or month is None:
        return None
    try:
        stamp = f"{match['year']}-{month:02d}-{match['day']}T{match['time']}{match['offset']}"
        return dt.datetime.fromisoformat(stamp)
    except ValueError:
        return None


def _media(tweet: dict[str, object], tweet_id: str) -> tuple[list[_Media], set[str]]:
    """The tweet's media and the t.co links that stand for them in its text."""
    entries = _dicts(tweet, "extended_entities", "media") or _dicts(tweet, "entities", "media")
    media, links = [], set()
    for entry in entries:
        links.add(_text(entry, "url"))
        urls = [_text(entry, "media_url_https") or _text(entry, "media_url")]
        urls += [_text(v, "url") for v in _dicts(entry, "video_info", "variants")
                 if _text(v, "content_type").startswith("video/")]
        names = [posixpath.basename(urlsplit(url).path) for url in urls if url]
        names = [f"data/tweets_media/{tweet_id}-{n}" for n in names if _MEDIA_NAME.fullmatch(n)]
        # A video's file beats its thumbnail picture.
        names.sort(key=lambda name: not name.endswith(_VIDEO_SUFFIXES))
        media.append(_Media(tuple(dict.fromkeys(names)), _text(entry, "ext_alt_text")))
    return media, links


def _id_lines(text: str) -> dict[str, int]:
    """The line of each `"id_str" : "..."` in a tweets file, in one pass, for messages."""
    lines: dict[str, int] = {}
    line, position = 1, 0
    for found in _ID_STR.finditer(text):
        line += text.count("\n", position, found.start())
        position = found.start()
        lines.setdefault(found[1], line)
    return lines


def _read_tweet(
    entry: object, index: int, where: str, lines: dict[str, int], username: str,
    diagnostics: Diagnostics,
) -> _Tweet | None:
    tweet = entry.get("tweet", entry) if isinstance(entry, dict) else None
    if not isinstance(tweet, dict) or not _ID.fullmatch(_text(tweet, "id_str")):
        diagnostics.error(where, 0, f"entry {index + 1} is not a tweet with an `id_str`")
        return None
    tweet_id = tweet["id_str"]
    line = lines.get(tweet_id, 0)
    created = _created(_text(tweet, "created_at"))
    if created is None:
        diagnostics.error(where, line, f"tweet {tweet_id}: unknown date format "
                          f"{tweet.get('created_at')!r} in `created_at`",
                          "expected like 'Fri Sep 26 16:04:00 +0000 2025'")
    if not isinstance(tweet.get("full_text"), str):
        diagnostics.error(where, line, f"tweet {tweet_id}: no `full_text`")
    if created is None or not isinstance(tweet.get("full_text"), str):
        return None
    reply_to = _text(tweet, "in_reply_to_status_id_str") or None
    media, media_links = _media(tweet, tweet_id)
    links = {_text(u, "url"): _text(u, "expanded_url") for u in _dicts(tweet, "entities", "urls")}
    links = {short: long for short, long in links.items() if short and long}
    links |= dict.fromkeys(media_links - {""}, "")  # the picture is shown, its link goes
    # Decode entities before expanding: an expanded URL may hold a raw `&copy=` to keep as is.
    full_text = html.unescape(tweet["full_text"])
    if reply_to:  # a reply starts with the handles it answers; in a thread that is the author
        full_text = re.sub(rf"^(?:@{username}\s+)+", "", full_text, flags=re.IGNORECASE)
    full_text = _TCO.sub(lambda m: links.get(m[0], m[0]), full_text)
    return _Tweet(
        id=tweet_id,
        text=full_text,
        created=created,
        reply_to=reply_to,
        retweet=tweet["full_text"].startswith("RT @"),
        hashtags=tuple(_text(h, "text") for h in _dicts(tweet, "entities", "hashtags")),
        media=tuple(media),
        file=where,
        line=line,
    )


def _read_username(archive: ArchiveFiles, diagnostics: Diagnostics) -> str | None:
    where = archive.where(ACCOUNT_FILE)
    data = archive.read(ACCOUNT_FILE, diagnostics)
    loaded = load_ytd(data, where, diagnostics) if data is not None else None
    if loaded is None:
        return None
    first = loaded[0][0] if loaded[0] else None
    account = first.get("account") if isinstance(first, dict) else None
    username = account.get("username") if isinstance(account, dict) else None
    if not isinstance(username, str) or not _USERNAME.fullmatch(username):
        diagnostics.error(where, 1, "no valid `account.username`",
                          "is this file from an X archive?")
        return None
    return username


def _read_tweets(archive: ArchiveFiles, username: str, diagnostics: Diagnostics) -> list[_Tweet]:
    """Every tweet of every tweets file; a tweet listed twice counts once."""
    tweets: dict[str, _Tweet] = {}
    for name in archive.tweet_files():
        where = archive.where(name)
        data = archive.read(name, diagnostics)
        loaded = load_ytd(data, where, diagnostics) if data is not None else None
        if loaded is None:
            continue
        entries, text = loaded
        lines = _id_lines(text)
        for index, entry in enumerate(entries):
            tweet = _read_tweet(entry, index, where, lines, username, diagnostics)
            if tweet is not None:
                tweets.setdefault(tweet.id, tweet)
    return list(tweets.values())


def _order(tweet: _Tweet) -> tuple[dt.datetime, int]:
    return tweet.created, int(tweet.id)


def _chains(tweets: list[_Tweet]) -> list[tuple[list[_Tweet], list[str]]]:
    """Each thread from its root (a tweet that answers nobody), with notes on forks it passed."""
    own = {tweet.id: tweet for tweet in tweets if not tweet.retweet}
    replies: dict[str, list[_Tweet]] = defaultdict(list)
    for tweet in own.values():
        if tweet.reply_to in own:  # only one's own tweets are in the archive: a self-reply
            replies[tweet.reply_to].append(tweet)
    chains = []
    for root in sorted((t for t in own.values() if t.reply_to is None), key=_order):
        chain, forks = [root], []
        while nexts := sorted(replies.get(chain[-1].id, ()), key=_order):
            if len(nexts) > 1:
                forks.append(f"tweet {chain[-1].id} has {len(nexts)} replies from you; "
                             f"the thread follows the first, {nexts[0].id}")
            chain.append(nexts[0])
        chains.append((chain, forks))
    return chains


def _media_markdown(
    tweet: _Tweet, archive: ArchiveFiles, files: dict[str, bytes], diagnostics: Diagnostics
) -> list[str]:
    """Copy each medium of the tweet into `files` and return the lines that show it."""
    lines = []
    for media in tweet.media:
        name = next((n for n in media.names if n in archive.names), None)
        if name is None:
            looked_for = media.names[0] if media.names else "a file name in its URL"
            diagnostics.warn(tweet.file, tweet.line, f"tweet {tweet.id}: media not in the archive "
                             f"(looked for {looked_for}); left out")
            continue
        file_name = posixpath.basename(name)
        if file_name not in files and (data := archive.read(name, diagnostics)) is not None:
            files[file_name] = data
        if file_name.endswith(_VIDEO_SUFFIXES):
            lines.append(f"[{file_name}]({file_name})")
        else:
            alt = re.sub(r"([\\\[\]<&])", r"\\\1", " ".join(media.alt.split()))
            lines.append(f"![{alt}]({file_name})")
    return lines


def _thread(
    chain: list[_Tweet], start: dt.datetime, username: str, archive: ArchiveFiles,
    diagnostics: Diagnostics,
) -> ImportedThread:
    files: dict[str, bytes] = {}
    blocks = []
    for tweet in chain:
        paragraphs = markdown_paragraphs(tweet.text)
        paragraphs += _media_markdown(tweet, archive, files, diagnostics)
        # An empty tweet would vanish between two breaks and shift every tweet after it.
        blocks.append(paragraphs or [f"https://x.com/{username}/status/{tweet.id}"])
    tags: dict[str, str] = {}  # hashtags in order of use; `#Chine` and `#chine` are one tag
    for tweet in chain:
        for tag in tweet.hashtags:
            tags.setdefault(tag.casefold(), tag)
    tags.pop("", None)
    meta: dict[str, object] = {"date": start, "tweets": len(chain)}
    if tags:
        meta["tags"] = list(tags.values())
    meta["source"] = f"https://x.com/{username}/status/{chain[0].id}"
    meta["tweet_ids"] = [tweet.id for tweet in chain]
    body = f"\n\n{TWEET_BREAK}\n\n".join("\n\n".join(block) for block in blocks)
    return ImportedThread(start.date(), meta, body, tuple(sorted(files.items())))


def plan_x_archive_import(
    path: Path, content_dir: Path, *, timezone: str, min_tweets: int = 2,
    since: dt.date | None = None,
) -> ImportPlan:
    """Everything an import of the archive would write; raises BuildFailed with every problem."""
    zone = ZoneInfo(timezone)
    diagnostics = Diagnostics()
    threads = []
    with open_archive(path, diagnostics) as archive:
        username = _read_username(archive, diagnostics) if archive else None
        if archive is None or username is None:
            raise BuildFailed(diagnostics.errors)
        tweets = _read_tweets(archive, username, diagnostics)
        diagnostics.raise_if_errors()
        for chain, forks in _chains(tweets):
            start = chain[0].created.astimezone(zone)
            if len(chain) < min_tweets or (since and start.date() < since):
                continue
            for fork in forks:
                diagnostics.warn(chain[0].file, chain[0].line, fork)
            threads.append(_thread(chain, start, username, archive, diagnostics))
        diagnostics.raise_if_errors()
    log.debug("%s: %d tweets, %d threads kept", path, len(tweets), len(threads))
    return ImportPlan(tuple(plan_thread_files(threads, content_dir)), tuple(diagnostics.warnings))

from __future__ import annotations

import datetime as dt
import json
import shutil
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import given
from hypothesis import strategies as st

from site_builder.errors import BuildFailed
from site_builder.importers import ImportPlan
from site_builder.importers.commands import import_group
from site_builder.importers.x_archive import plan_x_archive_import
from site_builder.markdown import render_markdown

FIXTURES = Path(__file__).parents[1] / "fixtures" / "x_archive"
BUNDLE = "2025-09-26-les-terres-rares-c-est-le-plancher-du-monde"  # apostrophes separate words
OLDER = "2024-01-15-un-autre-fil-plus-ancien.md"
ALONE = "2025-02-04-un-tweet-seul-sans-suite.md"

THREAD_A = """\
---
date: 2025-09-26T18:04:00+02:00
tweets: 3
tags: [Chine, industrie]
source: https://x.com/essayiste/status/2001
tweet_ids: ["2001", "2002", "2003"]
---

Les terres rares, c'est le plancher du monde. #Chine #industrie & plus \
https://example.org/terres-rares?a=1&copy=2

***

Deuxième point : \\<script>alert(1)\\</script> reste du texte. #chine

![Une carte \\[des mines\\]](2002-Fabc.jpg)

***

Troisième et dernier.

1\\. une liste

\\# pas un titre

\\***
"""


def archive_copy(tmp_path: Path, name: str = "basic") -> Path:
    target = tmp_path / name
    shutil.copytree(FIXTURES / name, target)
    return target


def zip_of(folder: Path, target: Path, prefix: str = "") -> Path:
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
        for file in sorted(folder.rglob("*")):
            if file.is_file():
                archive.write(file, prefix + file.relative_to(folder).as_posix())
    return target


def plan(path: Path, min_tweets: int = 2, since: dt.date | None = None) -> ImportPlan:
    return plan_x_archive_import(path, Path("/site/content"), timezone="Europe/Paris",
                                 min_tweets=min_tweets, since=since)


def names(result: ImportPlan) -> list[str]:
    return [file.path.relative_to("/site/content").as_posix() for file in result.files]


def errors_of(path: Path) -> list[str]:
    with pytest.raises(BuildFailed) as failed:
        plan(path)
    return [str(error) for error in failed.value.errors]


def test_threads_rebuilt_from_self_replies() -> None:
    # Out of order over two files; the standalone tweet, the reply to someone else (and the
    # self-reply under it) and the retweet are left out.
    result = plan(FIXTURES / "basic")
    assert names(result) == [OLDER, f"{BUNDLE}/index.md", f"{BUNDLE}/2002-Fabc.jpg"]
    assert result.files[1].data.decode() == THREAD_A
    assert result.warnings == ()


def test_flat_file_without_media() -> None:
    assert plan(FIXTURES / "basic").files[0].data.decode() == (
        "---\ndate: 2024-01-15T09:30:00+01:00\ntweets: 2\n"
        "source: https://x.com/essayiste/status/3001\ntweet_ids: [\"3001\", \"3002\"]\n---\n\n"
        "Un autre fil, plus ancien. Il parle d'autre chose.\n\n***\n\nSuite de l'autre fil.\n"
    )


def test_media_copied_byte_for_byte() -> None:
    media = plan(FIXTURES / "basic").files[2]
    assert media.data == (FIXTURES / "basic/data/tweets_media/2002-Fabc.jpg").read_bytes()


def test_build_sees_every_tweet_and_escapes_script() -> None:
    body = THREAD_A.split("---\n\n", 1)[1]
    rendered = render_markdown(body)
    assert len(rendered.tweets) == 3
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in rendered.tweets[1]
    assert "<script" not in "".join(rendered.tweets)
    assert '<img src="2002-Fabc.jpg" alt="Une carte [des mines]" />' in rendered.tweets[1]


def test_min_tweets_and_since() -> None:
    assert names(plan(FIXTURES / "basic", min_tweets=1))[:2] == [OLDER, ALONE]
    assert names(plan(FIXTURES / "basic", min_tweets=3)) == [
        f"{BUNDLE}/index.md", f"{BUNDLE}/2002-Fabc.jpg"]
    assert names(plan(FIXTURES / "basic", since=dt.date(2025, 9, 26))) == [
        f"{BUNDLE}/index.md", f"{BUNDLE}/2002-Fabc.jpg"]
    assert names(plan(FIXTURES / "basic", since=dt.date(2025, 9, 27))) == []


def test_date_is_in_the_site_time_zone() -> None:
    result = plan_x_archive_import(FIXTURES / "basic", Path("/c"), timezone="America/New_York")
    assert result.files[1].data.decode().startswith("---\ndate: 2025-09-26T12:04:00-04:00\n")


def test_older_archives_name_the_file_tweet_js() -> None:
    result = plan(FIXTURES / "legacy")
    assert names(result) == [
        "2019-06-01-un-fil-de-2019-avant-que-les-fichiers-ne-changent-de-nom.md"]
    assert result.files[0].data.decode().endswith(
        "nom.\n\n***\n\nLa suite, même soirée.\n")  # the leading @self of a reply is dropped


@pytest.mark.parametrize("prefix", ["", "twitter-2025-10-10-abc/"])
def test_zip_gives_the_same_files_as_the_folder(tmp_path: Path, prefix: str) -> None:
    archive = zip_of(FIXTURES / "basic", tmp_path / "archive.zip", prefix)
    assert plan(archive).files == plan(FIXTURES / "basic").files


def test_data_folder_itself_is_accepted() -> None:
    assert plan(FIXTURES / "basic" / "data").files == plan(FIXTURES / "basic").files


def test_truncated_zip(tmp_path: Path) -> None:
    archive = zip_of(FIXTURES / "basic", tmp_path / "archive.zip")
    archive.write_bytes(archive.read_bytes()[:-200])
    assert errors_of(archive) == [
        f"{archive}: not a readable zip file (File is not a zip file) (the download may be "
        "truncated; download the archive again)"
    ]


def test_damaged_zip_member(tmp_path: Path) -> None:
    archive = zip_of(FIXTURES / "basic", tmp_path / "archive.zip")
    data = bytearray(archive.read_bytes())
    offset = data.index(b"data/tweets.js") + len(b"data/tweets.js") + 40
    data[offset:offset + 20] = b"\x00" * 20  # inside the compressed tweets.js
    archive.write_bytes(bytes(data))
    [error] = errors_of(archive)
    assert error.startswith(f"{archive}/data/tweets.js: cannot read from the zip: ")
    assert error.endswith("(the archive may be truncated; download it again)")


def test_malformed_json_names_file_line_and_column(tmp_path: Path) -> None:
    folder = archive_copy(tmp_path)
    tweets = folder / "data" / "tweets-part1.js"
    lines = tweets.read_text(encoding="utf-8").split("\n")
    lines[9] = lines[9].rstrip(",")  # drop a comma between two keys
    tweets.write_text("\n".join(lines), encoding="utf-8")
    assert errors_of(folder) == [
        f"{folder}/data/tweets-part1.js:11: malformed JSON: Expecting ',' delimiter (column 11)"
    ]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("var x = [];", ":1: expected `window.YTD.<name>.part0 = [...]` (is this file from an "
                        "X archive?)"),
        ("window.YTD.tweets.part0 = {}", ":1: expected a list after `=`, found dict"),
        ("window.YTD.tweets.part0 = [", ":1: malformed JSON: Expecting value (column 28)"),
        ('window.YTD.tweets.part0 = [{"tweet": {"full_text": "x"}}]',
         ": entry 1 is not a tweet with an `id_str`"),
        ('window.YTD.tweets.part0 = [{"tweet": {\n"id_str": "1",\n"full_text": "",\n'
         '"created_at": "2025-09-26"}}]',
         ":2: tweet 1: unknown date format '2025-09-26' in `created_at` (expected like "
         "'Fri Sep 26 16:04:00 +0000 2025')"),
    ],
)
def test_bad_tweets_file(tmp_path: Path, content: str, message: str) -> None:
    folder = archive_copy(tmp_path)
    (folder / "data" / "tweets-part1.js").unlink()
    (folder / "data" / "tweets.js").write_text(content, encoding="utf-8")
    assert errors_of(folder) == [f"{folder}/data/tweets.js{message}"]


def test_every_bad_file_is_reported(tmp_path: Path) -> None:
    folder = archive_copy(tmp_path)
    (folder / "data" / "tweets.js").write_text("nope", encoding="utf-8")
    (folder / "data" / "tweets-part1.js").write_text("window.YTD.tweets.part1 = 3",
                                                     encoding="utf-8")
    assert errors_of(folder) == [
        f"{folder}/data/tweets-part1.js:1: expected a list after `=`, found int",
        f"{folder}/data/tweets.js:1: expected `window.YTD.<name>.part0 = [...]` "
        "(is this file from an X archive?)",
    ]


def test_missing_account_js(tmp_path: Path) -> None:
    folder = archive_copy(tmp_path)
    (folder / "data" / "account.js").unlink()
    assert errors_of(folder) == [
        f"{folder}: no data/account.js: not an X archive (give the archive's zip or the folder "
        "it was extracted to)"
    ]


def test_account_without_username(tmp_path: Path) -> None:
    folder = archive_copy(tmp_path)
    (folder / "data" / "account.js").write_text(
        'window.YTD.account.part0 = [{"account": {"username": "../x"}}]', encoding="utf-8")
    assert errors_of(folder) == [
        f"{folder}/data/account.js:1: no valid `account.username` (is this file from an X "
        "archive?)"
    ]


def test_not_an_archive(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("hello", encoding="utf-8")
    assert errors_of(tmp_path / "notes.txt")[0].startswith(
        f"{tmp_path / 'notes.txt'}: not a readable zip file")
    assert errors_of(tmp_path / "missing.zip") == [
        f"{tmp_path / 'missing.zip'}: no such file or folder (give the archive's zip or the "
        "folder it was extracted to)"
    ]


def test_missing_media_is_a_warning(tmp_path: Path) -> None:
    folder = archive_copy(tmp_path)
    (folder / "data" / "tweets_media" / "2002-Fabc.jpg").unlink()
    result = plan(folder)
    assert names(result) == [OLDER, f"{BUNDLE}.md"]
    assert "![" not in result.files[1].data.decode()
    assert [str(w) for w in result.warnings] == [
        f"{folder}/data/tweets.js:167: tweet 2002: media not in the archive (looked for "
        "data/tweets_media/2002-Fabc.jpg); left out"
    ]


def test_a_fork_follows_the_first_reply(tmp_path: Path) -> None:
    folder = archive_copy(tmp_path, "legacy")
    tweets = folder / "data" / "tweet.js"
    entries = json.loads(tweets.read_text(encoding="utf-8").split("=", 1)[1])
    entries.append({**entries[1], "id_str": "13", "created_at": "Sat Jun 01 21:35:00 +0000 2019",
                    "full_text": "Une autre réponse au premier."})
    tweets.write_text("window.YTD.tweet.part0 = " + json.dumps(entries, indent=1), encoding="utf-8")
    result = plan(folder)
    assert result.files[0].data.decode().count("\n***\n") == 1
    assert [str(w) for w in result.warnings] == [
        f"{folder}/data/tweet.js:3: tweet 11 has 2 replies from you; the thread follows the "
        "first, 12"
    ]


_json = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=8)
    | st.sampled_from(["2001", "Fri Sep 26 16:04:00 +0000 2025", "RT @x", "https://t.co/a"]),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(
        st.sampled_from(["tweet", "id_str", "full_text", "created_at", "entities", "urls", "url",
                         "expanded_url", "hashtags", "text", "media", "extended_entities",
                         "media_url_https", "in_reply_to_status_id_str"]), inner, max_size=5),
    max_leaves=20,
)


@given(st.lists(_json, max_size=5), st.text())
def test_any_tweets_give_a_plan_or_build_failed(tmp_path_factory: pytest.TempPathFactory,
                                                entries: list[object], raw: str) -> None:
    folder = archive_copy(tmp_path_factory.mktemp("any"), "legacy")
    (folder / "data" / "tweet.js").write_text("window.YTD.tweet.part0 = " + json.dumps(entries),
                                              encoding="utf-8")
    (folder / "data" / "tweets.js").write_text(raw, encoding="utf-8")
    try:
        result = plan(folder, min_tweets=1)
    except BuildFailed as failed:
        assert failed.errors
        return
    for file in result.files:
        assert file.path.is_relative_to("/site/content")


# The command: what it prints, what it writes, and that a re-run is harmless.


def run(args: list[str]) -> tuple[int, str, str]:
    result = CliRunner().invoke(import_group, args)
    if result.exception and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result.exit_code, result.stdout, result.stderr


def test_command_imports_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    archive = zip_of(FIXTURES / "basic", tmp_path / "archive.zip")
    code, out, err = run(["x-archive", str(archive)])
    assert (code, err) == (0, "")
    assert out.splitlines() == [
        f"created content/{OLDER}",
        f"created content/{BUNDLE}/index.md",
        f"created content/{BUNDLE}/2002-Fabc.jpg",
        "3 created",
    ]
    index = tmp_path / "content" / BUNDLE / "index.md"
    assert index.read_text(encoding="utf-8") == THREAD_A

    code, out, _ = run(["x-archive", str(archive)])
    assert out.splitlines()[-1] == "3 unchanged"

    index.write_text(THREAD_A.replace("[Chine, industrie]", "[chine]"), encoding="utf-8")
    code, out, _ = run(["x-archive", str(archive), "--min-tweets", "1"])
    assert out.splitlines() == [
        f"unchanged content/{OLDER}",
        f"created content/{ALONE}",
        f"skipped content/{BUNDLE}/index.md (edited since the last import; --force overwrites it)",
        f"unchanged content/{BUNDLE}/2002-Fabc.jpg",
        "1 created, 2 unchanged, 1 skipped",
    ]
    code, out, _ = run(["x-archive", str(archive), "--force", "--since", "2025-09-01"])
    assert out.splitlines() == [
        f"overwritten content/{BUNDLE}/index.md",
        f"unchanged content/{BUNDLE}/2002-Fabc.jpg",
        "1 unchanged, 1 overwritten",
    ]
    assert index.read_text(encoding="utf-8") == THREAD_A


def test_command_writes_nothing_on_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    folder = archive_copy(tmp_path)
    (folder / "data" / "tweets.js").write_text("window.YTD.tweets.part0 = [", encoding="utf-8")
    code, out, err = run(["x-archive", "basic"])
    assert (code, out) == (1, "")
    assert err == ("basic/data/tweets.js:1: malformed JSON: Expecting value (column 28)\n"
                   "1 problem; nothing was written.\n")
    assert not (tmp_path / "content").exists()


def test_command_rejects_min_tweets_zero(tmp_path: Path) -> None:
    code, _, err = run(["x-archive", str(tmp_path), "--min-tweets", "0"])
    assert code == 2
    assert "0 is not in the range x>=1" in err

from __future__ import annotations

import contextlib
import datetime as dt
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import given
from hypothesis import strategies as st
from markdown_it import MarkdownIt
from mdit_py_plugins.footnote import footnote_plugin

from site_builder.errors import BuildFailed
from site_builder.importers import ImportPlan, escape_markdown_line
from site_builder.importers.commands import import_group
from site_builder.importers.threadreader import plan_threadreader_import
from site_builder.markdown import render_markdown

# A copy of ../shared/samples/threadreader-export.txt, so a clean clone tests the same bytes.
SAMPLE = Path(__file__).parents[1] / "fixtures" / "threadreader" / "export.txt"
AS_OF = dt.date(2025, 10, 10)
FIRST = "2025-10-10-trump-vient-de-reagir-a-la-decision-chinoise-sur-les-terres-rares.md"
SECOND = "2025-09-26-et-encore-une-autre.md"
THIRD = "2023-11-19-il-n-y-a-pas-de-crise-des-talents-il-y-a-une-profonde-crise-de-l-ambition.md"


def plan_text(tmp_path: Path, text: str | bytes, as_of: dt.date = AS_OF) -> ImportPlan:
    export = tmp_path / "export.txt"
    export.write_bytes(text.encode() if isinstance(text, str) else text)
    return plan_threadreader_import(export, tmp_path / "content", as_of=as_of)


def errors_of(tmp_path: Path, text: str | bytes, as_of: dt.date = AS_OF) -> list[str]:
    with pytest.raises(BuildFailed) as failed:
        plan_text(tmp_path, text, as_of)
    return [str(error) for error in failed.value.errors]


def test_sample_gives_three_threads(tmp_path: Path) -> None:
    plan = plan_threadreader_import(SAMPLE, tmp_path, as_of=AS_OF, tags=("chine",))
    assert [file.path.name for file in plan.files] == [FIRST, SECOND, THIRD]
    texts = [file.data.decode() for file in plan.files]
    assert texts[0].startswith("---\ndate: 2025-10-10\ntags: [chine]\n---\n\nTrump vient de ")
    assert texts[1].startswith(
        "---\ndate: 2025-09-26\ntweets: 18\nread_time: 6\ntags: [chine]\n---\n\nEt encore une")
    assert texts[2] == (
        "---\ndate: 2023-11-19\ntweets: 4\nread_time: 1\ntags: [chine]\n---\n\n"
        "Il n’y a pas de crise des talents, il y a une profonde crise de l’ambition.\n\n"
        "Chez SpaceX vous comprenez que les profils les plus ingénieux ne sont pas vraiment les "
        "Ivy mais plutôt des fous en recherche de démesure à qui on offre l’opportunité de "
        "libérer toute leur folie pour créer des choses incroyables.\n\n"
        "Si vous êtes fondateur élevez votre niveau d’ambition pour aller faire des choses "
        "difficiles, vous allez automatiquement éliminer les touristes et les conformistes afin "
        "de créer une culture puissante avec des psychopathes qui vous feront exécuter vos idées "
        "d’une manière totalement singulière.\n"
    )
    assert [str(warning) for warning in plan.warnings] == [
        f"{SAMPLE}:1: this thread has no header line (cut off from the export?): dated "
        "2025-10-10 from --as-of, without a tweet count (check its date)"
    ]


def test_each_line_is_one_paragraph_and_no_tweet_is_marked(tmp_path: Path) -> None:
    plan = plan_threadreader_import(SAMPLE, tmp_path, as_of=AS_OF)
    body = plan.files[1].data.decode().split("---\n\n", 1)[1]
    assert len(body.split("\n\n")) == 14  # 18 tweets, but the export has 14 lines
    assert not render_markdown(body).marked_tweets


@pytest.mark.parametrize(
    ("header", "as_of", "expected"),
    [
        ("Sep 26", AS_OF, dt.date(2025, 9, 26)),
        ("Oct 10", AS_OF, dt.date(2025, 10, 10)),
        ("Oct 11", AS_OF, dt.date(2024, 10, 11)),
        ("Dec 31", dt.date(2026, 1, 2), dt.date(2025, 12, 31)),
        ("Feb 29", dt.date(2025, 3, 1), dt.date(2024, 2, 29)),
        ("Feb 29", dt.date(2024, 3, 1), dt.date(2024, 2, 29)),
        ("Nov 19, 2023", AS_OF, dt.date(2023, 11, 19)),
        ("Dec 25, 2025", AS_OF, dt.date(2025, 12, 25)),
        ("September 3", AS_OF, dt.date(2025, 9, 3)),
        ("sept 3", AS_OF, dt.date(2025, 9, 3)),
    ],
)
def test_year_inferred_from_as_of(tmp_path: Path, header: str, as_of: dt.date,
                                  expected: dt.date) -> None:
    plan = plan_text(tmp_path, f"{header} • 2 tweets • 1 min read\nHello.\n", as_of)
    assert plan.files[0].data.decode().startswith(f"---\ndate: {expected.isoformat()}\ntweets: 2\n")
    assert plan.warnings == ()


def test_bad_headers_are_all_reported(tmp_path: Path) -> None:
    text = ("Sept 26th • 3 tweets • 1 min read\nA.\n"
            "Feb 30 • 3 tweets • 1 min read\nB.\n"
            "Sep 26 • many tweets • 0 min read\nC.\n"
            "Sep 25 • 3 tweets • 1 min read\n\n")
    path = tmp_path / "export.txt"
    hint = "(expected a date like 'Sep 26' or 'Nov 19, 2023')"
    assert errors_of(tmp_path, text) == [
        f"{path}:1: unknown date format 'Sept 26th' in thread header {hint}",
        f"{path}:3: 'Feb 30' in thread header is not a date {hint}",
        f"{path}:5: read time '0' in thread header is not a number >= 1",
        f"{path}:5: tweet count 'many' in thread header is not a number >= 1",
        f"{path}:7: thread header is followed by no text",
    ]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", ": empty file: no threads to import"),
        (b"\n  \n", ": empty file: no threads to import"),
        (b"ok\ncaf\xe9\n", ":2: not UTF-8 text: not a Thread Reader export"),
        (b"ok\nPK\x03\x04\x00\x00", ":2: binary data: not a Thread Reader export"),
    ],
)
def test_not_an_export(tmp_path: Path, data: bytes, message: str) -> None:
    assert errors_of(tmp_path, data) == [f"{tmp_path / 'export.txt'}{message}"]


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(BuildFailed) as failed:
        plan_threadreader_import(tmp_path / "nope.txt", tmp_path, as_of=AS_OF)
    assert str(failed.value) == f"{tmp_path / 'nope.txt'}: cannot read: No such file or directory"


def test_text_is_data_but_never_markdown_structure(tmp_path: Path) -> None:
    lines = ["Sep 26 • 9 tweets • 2 min read", "# pas un titre", "#hashtag en tête",
             "> pas une citation", "- pas une liste", "* ni ça", "+ ni ça", "1. pas numéroté",
             "2) non plus", "***", "---", "___", "    pas du code", "```",
             "[ref]: https://example.org", "<script>alert(1)</script>", r"¯\_(ツ)_/¯",
             "&amp; reste &amp;", "*emphase* gardée"]
    body = plan_text(tmp_path, "\n".join(lines)).files[0].data.decode().split("---\n\n", 1)[1]
    assert body.split("\n\n") == [
        r"\# pas un titre", "#hashtag en tête", r"\> pas une citation", r"\- pas une liste",
        r"\* ni ça", r"\+ ni ça", r"1\. pas numéroté", r"2\) non plus", r"\***", r"\---",
        r"\___", "pas du code", r"\```", r"\[ref]: https://example.org",
        r"\<script>alert(1)\</script>", r"¯\\_(ツ)_/¯", r"\&amp; reste \&amp;",
        "*emphase* gardée\n",
    ]
    html = render_markdown(body).tweets[0]
    assert "<p># pas un titre</p>" in html
    assert "<p>***</p>" in html
    assert "<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>" in html
    assert "<p>¯\\<em>(ツ)</em>/¯</p>" in html  # the backslash stays; inline Markdown is kept
    assert "<p>&amp;amp; reste &amp;amp;</p>" in html
    assert "<p>[ref]: <a href" in html


_MD = MarkdownIt("commonmark", {"html": True}).enable("table").use(footnote_plugin)


_MARKDOWNISH = st.text(alphabet="#>-*+_=`~[]():<>!&;#.)0123456789 \tax\\|^")


@given(st.one_of(st.text(), _MARKDOWNISH).filter(lambda s: "\n" not in s and "\r" not in s
                                                  and s.strip()))
def test_an_escaped_line_is_always_one_paragraph(line: str) -> None:
    tokens = _MD.parse(escape_markdown_line(line))
    assert [token.type for token in tokens] == ["paragraph_open", "inline", "paragraph_close"]
    assert all(child.type != "html_inline" for child in tokens[1].children or ())


@given(st.binary())
def test_any_bytes_give_a_plan_or_build_failed(tmp_path_factory: pytest.TempPathFactory,
                                              data: bytes) -> None:
    tmp = tmp_path_factory.mktemp("bytes")
    with contextlib.suppress(BuildFailed):
        plan_text(tmp, data)


@given(st.text(), st.dates())
def test_any_text_gives_a_plan_or_build_failed(tmp_path_factory: pytest.TempPathFactory,
                                               text: str, as_of: dt.date) -> None:
    tmp = tmp_path_factory.mktemp("text")
    try:
        plan = plan_text(tmp, text, as_of)
    except BuildFailed:
        return
    for file in plan.files:
        assert file.path.parent == tmp / "content"
        assert render_markdown(file.data.decode()).marked_tweets is False


# The command: what it prints, what it writes, and that a re-run is harmless.


def run(args: list[str]) -> tuple[int, str, str]:
    result = CliRunner().invoke(import_group, args)
    if result.exception and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result.exit_code, result.stdout, result.stderr


def test_command_imports_then_reimports_idempotently(tmp_path: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    args = ["threadreader", str(SAMPLE), "--as-of", "2025-10-10", "--tag", "chine", "--tag",
            "industrie,économie"]
    code, out, err = run(args)
    assert code == 0
    assert out.splitlines() == [f"created content/{name}" for name in (FIRST, SECOND, THIRD)] + [
        "3 created"]
    assert err.startswith(f"warning: {SAMPLE}:1: this thread has no header line")
    first = tmp_path / "content" / FIRST
    assert "tags: [chine, industrie, économie]\n" in first.read_text(encoding="utf-8")

    code, out, _ = run(args)
    assert (code, out.splitlines()[-1]) == (0, "3 unchanged")

    first.write_text(first.read_text(encoding="utf-8") + "\nMa note.\n", encoding="utf-8")
    code, out, _ = run(args)
    assert out.splitlines() == [
        f"skipped content/{FIRST} (edited since the last import; --force overwrites it)",
        f"unchanged content/{SECOND}",
        f"unchanged content/{THIRD}",
        "2 unchanged, 1 skipped",
    ]
    assert first.read_text(encoding="utf-8").endswith("Ma note.\n")

    code, out, _ = run([*args, "--force"])
    assert out.splitlines()[0] == f"overwritten content/{FIRST}"
    assert out.splitlines()[-1] == "2 unchanged, 1 overwritten"
    assert "Ma note." not in first.read_text(encoding="utf-8")
    assert {p.name for p in (tmp_path / "content").iterdir()} == {FIRST, SECOND, THIRD}


def test_command_writes_nothing_on_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    Path("export.txt").write_text("Sep 26 • 2 tweets • 1 min read\nGood.\n"
                                  "Sept 26th • 2 tweets • 1 min read\nBad.\n", encoding="utf-8")
    code, out, err = run(["threadreader", "export.txt", "--as-of", "2025-10-10"])
    assert (code, out) == (1, "")
    assert err == ("export.txt:3: unknown date format 'Sept 26th' in thread header "
                   "(expected a date like 'Sep 26' or 'Nov 19, 2023')\n"
                   "1 problem; nothing was written.\n")
    assert not Path("content").exists()


def test_command_reads_content_folder_from_site_yaml(tmp_path: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    Path("site.yaml").write_text("title: Archive\nbase_url: https://example.org/\n"
                                 "content: threads\n", encoding="utf-8")
    code, out, _ = run(["threadreader", str(SAMPLE), "--as-of", "2025-10-10"])
    assert code == 0
    assert out.splitlines()[0] == f"created threads/{FIRST}"


def test_command_reports_a_bad_site_yaml(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    Path("site.yaml").write_text("timezone: Mars/Olympus\n", encoding="utf-8")
    code, out, err = run(["threadreader", str(SAMPLE)])
    assert (code, out) == (1, "")
    assert err.startswith("site.yaml:1: 'timezone' is not a known time zone: 'Mars/Olympus'")
    assert err.endswith("\n1 problem; nothing was written.\n")
    assert not Path("content").exists()


def test_command_refuses_a_missing_config_it_was_given(tmp_path: Path,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    code, _, err = run(["threadreader", str(SAMPLE), "--config", "other.yaml"])
    assert code == 1
    assert err.startswith("other.yaml: not found")
    assert not Path("content").exists()

"""The preview's one builder: debounce on a fake clock, one line per build, reload decisions."""

from __future__ import annotations

from pathlib import Path

import pytest

from site_builder.build import BuildReport
from site_builder.config import load_config
from site_builder.errors import BuildFailed, ContentError, SourceLocation
from site_builder.serve_http import PreviewState
from site_builder.serve_rebuild import Debouncer, Rebuilder

POLL = 0.1


class Site:
    """A fake disk the fake clock writes to: each write bumps a version, as a save would."""

    def __init__(self) -> None:
        self.version = 0
        self.seen = 0

    def write(self) -> None:
        self.version += 1

    def poll(self) -> set[str]:
        changed = {"content/a.md"} if self.version != self.seen else set()
        self.seen = self.version
        return changed


def run(debouncer: Debouncer, site: Site, writes: list[float], until: float,
        build_seconds: float = 0.0) -> list[int]:
    """Poll every POLL seconds on a fake clock; a build blocks polling like it blocks the loop."""
    builds: list[int] = []
    pending = sorted(writes)
    now = 0.0
    while now <= until:
        while pending and pending[0] <= now:
            pending.pop(0)
            site.write()
        if debouncer.observe(site.poll(), now) is not None:
            builds.append(site.version)  # the build reads the files as they are now
            end = now + build_seconds
            while pending and pending[0] <= end:  # saves made while building
                pending.pop(0)
                site.write()
            now = end
        now = round(now + POLL, 6)
    return builds


def test_a_burst_of_fifty_saves_in_a_second_builds_once_from_the_last_state() -> None:
    site = Site()
    builds = run(Debouncer(), site, [0.02 * i for i in range(50)], until=3.0)
    assert len(builds) <= 2
    assert builds[-1] == 50


def test_saves_during_a_build_give_one_more_build_and_the_last_state_wins() -> None:
    site = Site()
    writes = [0.0] + [0.35 + 0.02 * i for i in range(20)]  # a save, then a burst mid-build
    builds = run(Debouncer(), site, writes, until=5.0, build_seconds=0.5)
    assert len(builds) == 2
    assert builds[-1] == 21


def test_a_single_save_builds_on_the_first_quiet_poll() -> None:
    debouncer = Debouncer()
    assert debouncer.observe({"content/a.md"}, 1.0) is None
    assert debouncer.observe(set(), 1.1) == {"content/a.md"}
    assert debouncer.observe(set(), 1.2) is None


def test_changes_are_gathered_until_they_settle() -> None:
    debouncer = Debouncer()
    assert debouncer.observe({"content/a.md"}, 0.0) is None
    assert debouncer.observe({"content/b.md"}, 0.1) is None
    assert debouncer.observe({"templates/thread.html"}, 0.2) is None
    assert debouncer.observe(set(), 0.3) == {"content/a.md", "content/b.md",
                                             "templates/thread.html"}


def test_changes_that_never_stop_still_build_after_max_wait() -> None:
    debouncer = Debouncer(max_wait=2.0)
    due = [debouncer.observe({f"content/{i}.md"}, i * POLL) for i in range(25)]
    built = [i for i, paths in enumerate(due) if paths is not None]
    assert built == [20]
    assert len(due[20] or ()) == 21


def test_nothing_to_build_when_nothing_changed() -> None:
    debouncer = Debouncer()
    assert all(debouncer.observe(set(), t * POLL) is None for t in range(30))


# --- Rebuilder -----------------------------------------------------------------------------


def write_site(root: Path, base_url: str = "https://example.org/") -> Path:
    (root / "content").mkdir(parents=True)
    (root / "site.yaml").write_text(f"title: T\nbase_url: {base_url}\nlanguage: en\n"
                                    "timezone: Europe/London\nsearch: false\n", encoding="utf-8")
    return root / "site.yaml"


class FakeBrowsers(PreviewState):
    def __init__(self, output_dir: Path, base_path: str) -> None:
        super().__init__(output_dir, base_path)
        self.reloads: list[str] = []

    def reload(self, path: str = "*") -> None:
        self.reloads.append(path)


def rebuilder_for(tmp_path: Path, results: list[object]) -> tuple[Rebuilder, FakeBrowsers,
                                                                   list[tuple[str, bool]]]:
    """A Rebuilder whose builds return (or raise) `results` in turn."""
    config_path = write_site(tmp_path)
    config = load_config(config_path)
    state = FakeBrowsers(config.output_dir, config.base_path)
    lines: list[tuple[str, bool]] = []

    def fake_build(config: object, diagnostics: object) -> BuildReport:
        result = results.pop(0)
        if isinstance(result, BaseException):
            raise result
        assert isinstance(result, BuildReport)
        return result

    rebuilder = Rebuilder(config_path, config, state, lambda line, bad: lines.append((line, bad)),
                          build_site=fake_build)
    return rebuilder, state, lines


def report(written: list[str], removed: list[str] | None = None) -> BuildReport:
    return BuildReport(threads=1, pages=5, written=written, removed=removed or [])


def failure(*messages: str) -> BuildFailed:
    return BuildFailed([ContentError(SourceLocation("content/a.md", 3), m) for m in messages])


def test_a_rebuild_prints_one_line_with_what_changed_pages_and_milliseconds(
        tmp_path: Path) -> None:
    rebuilder, state, lines = rebuilder_for(tmp_path, [report(["a/index.html", "index.html"])])
    assert rebuilder.rebuild({"content/a.md"})
    assert len(lines) == 1
    line, is_problem = lines[0]
    assert not is_problem
    assert line.startswith("content/a.md changed: 2 pages written, 0 removed, ")
    assert line.endswith(" ms")
    assert state.reloads == ["*"]


def test_a_build_that_changed_nothing_does_not_reload(tmp_path: Path) -> None:
    rebuilder, state, lines = rebuilder_for(tmp_path, [report([])])
    rebuilder.rebuild({"content/a.md", "content/b.md"})
    assert lines[0][0].startswith("content/a.md and 1 other file changed: 0 pages written")
    assert state.reloads == []


def test_a_stylesheet_alone_is_swapped_in_place(tmp_path: Path) -> None:
    rebuilder, state, _ = rebuilder_for(tmp_path, [report(["static/style.css"])])
    rebuilder.rebuild({"templates/static/style.css"})
    assert state.reloads == ["/static/style.css"]


def test_a_failed_build_shows_every_problem_and_reloads_to_the_error_page(
        tmp_path: Path) -> None:
    rebuilder, state, lines = rebuilder_for(tmp_path, [failure("bad <b>", "worse")])
    assert not rebuilder.rebuild({"content/a.md"})
    assert state.problems == ["content/a.md:3: bad <b>", "content/a.md:3: worse"]
    assert [line for line, bad in lines if bad][:2] == state.problems
    assert "build failed, 2 problems" in lines[-1][0]
    assert state.reloads == ["*"]


def test_the_same_failure_again_does_not_reload_and_the_fix_always_does(tmp_path: Path) -> None:
    rebuilder, state, _ = rebuilder_for(tmp_path, [failure("bad"), failure("bad"), report([])])
    rebuilder.rebuild({"content/a.md"})
    rebuilder.rebuild({"content/a.md"})
    assert state.reloads == ["*"]
    rebuilder.rebuild({"content/a.md"})  # fixed back to the last good bytes: nothing written
    assert state.problems == []
    assert state.reloads == ["*", "*"]


def test_a_crash_in_the_build_keeps_serving_and_shows_it(tmp_path: Path) -> None:
    rebuilder, state, lines = rebuilder_for(tmp_path, [FileNotFoundError("content/gone.md"),
                                                       report(["a/index.html"])])
    assert not rebuilder.rebuild({"content/gone.md"})
    assert state.problems[0].startswith("internal error: FileNotFoundError: content/gone.md")
    assert any("Traceback" in line for line, _ in lines)
    assert rebuilder.rebuild({"content/gone.md"})
    assert state.problems == []


def test_moving_the_output_folder_while_serving_asks_for_a_restart(tmp_path: Path) -> None:
    rebuilder, state, _ = rebuilder_for(tmp_path, [])
    with (tmp_path / "site.yaml").open("a", encoding="utf-8") as config:
        config.write("output: public\n")
    assert not rebuilder.rebuild({"site.yaml"})
    assert state.problems == ["site.yaml: output changed while serving "
                              "(stop and restart `site-builder serve` to use it)"]


def test_a_broken_site_yaml_is_reported_with_its_line(tmp_path: Path) -> None:
    rebuilder, state, _ = rebuilder_for(tmp_path, [])
    (tmp_path / "site.yaml").write_text("title: T\nper_page: many\n", encoding="utf-8")
    assert not rebuilder.rebuild({"site.yaml"})
    assert any(problem.startswith("site.yaml:2: ") for problem in state.problems)


@pytest.mark.parametrize("drafts", [False, True])
def test_drafts_reach_the_build(tmp_path: Path, drafts: bool) -> None:
    config_path = write_site(tmp_path)
    seen: list[bool] = []

    def fake_build(config, diagnostics):  # type: ignore[no-untyped-def]
        seen.append(config.drafts)
        return report([])

    config = load_config(config_path)
    Rebuilder(config_path, config, PreviewState(config.output_dir, "/"), lambda *_: None,
              drafts=drafts, build_site=fake_build).rebuild()
    assert seen == [drafts]


def test_search_is_indexed_once_at_start_not_on_every_save(tmp_path: Path) -> None:
    config_path = write_site(tmp_path)
    config_path.write_text(config_path.read_text(encoding="utf-8").replace(
        "search: false", "search: true"), encoding="utf-8")
    indexed: list[int] = []
    config = load_config(config_path)
    lines: list[str] = []
    rebuilder = Rebuilder(config_path, config, PreviewState(config.output_dir, "/"),
                          lambda line, _: lines.append(line),
                          build_site=lambda config, diagnostics: report(["index.html"]),
                          index=lambda config, built: indexed.append(len(built.written)))
    rebuilder.rebuild()
    rebuilder.rebuild({"content/a.md"})
    assert indexed == [1]


def test_notices_are_printed_as_warnings(tmp_path: Path) -> None:
    notice = BuildReport(notices=["search: pagefind is not installed"])
    rebuilder, _, lines = rebuilder_for(tmp_path, [notice])
    rebuilder.rebuild({"content/a.md"})
    assert ("warning: search: pagefind is not installed", True) in lines

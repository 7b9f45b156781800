"""Build one generated archive with site-builder, Hugo, Pelican and Eleventy; print medians.

    .venv/bin/python benchmarks/run.py [--sizes 1000,10000] [--runs 5] [--rev HEAD]

For each size: site-builder cold (fresh output and cache each run), no-op (again, nothing
changed) and one-edit (one thread's body changed), then body edits and title edits inside one
warm process, as `serve` rebuilds after a save; the peers cold, when installed; and
Pagefind indexing of site-builder's output, timed on its own. Every number is the wall time of
the whole command as a subprocess, and its peak memory (PSS summed over all its processes).
Cold builds of the generators alternate within each round, so a noisy neighbour hits all alike.
Results also go to benchmarks/.work/results/ as Markdown and JSON.
"""

from __future__ import annotations

import argparse
import compileall
import contextlib
import datetime as dt
import fcntl
import io
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tarfile
import tempfile
import threading
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
WORK = HERE / ".work"
PEERS_VENV = WORK / "peers-venv"
PEERS_NODE = WORK / "peers-node"
ELEVENTY_PROGRAM = PEERS_NODE / "node_modules" / "@11ty" / "eleventy" / "cmd.cjs"
sys.path.insert(0, str(HERE))

import corpus  # noqa: E402

INSTALL_HUGO = "apt-get install hugo"
INSTALL_PELICAN = (f"python3 -m venv {PEERS_VENV.relative_to(REPO)} && "
                   f"{(PEERS_VENV / 'bin' / 'pip').relative_to(REPO)} install pelican markdown")
INSTALL_ELEVENTY = (f"npm install --prefix {PEERS_NODE.relative_to(REPO)} @11ty/eleventy@3 "
                    "@11ty/eleventy-plugin-syntaxhighlight@5")


# No-op and one-edit builds take well under a second, and this kind of machine moves such a
# time by 10-20% from one run to the next: their medians take at least this many runs, which
# cost seconds where the cold builds cost minutes.
SHORT_RUNS = 11


class BuildError(Exception):
    """A generator exited non-zero: the benchmark says so instead of timing a failure."""


@dataclass(slots=True)
class Run:
    seconds: float  # wall time
    peak_mib: float  # all the command's processes together (TreeMemory)
    cpu: float = 0.0  # user + system seconds, all processes: what contention barely changes
    busy: bool = False  # the machine was busy with other work when the run started
    largest_mib: float = 0.0  # the largest single process's peak RSS, as wait4 reports it


@dataclass(slots=True)
class Result:
    generator: str
    size: int
    cold: list[Run] = field(default_factory=list)
    noop: list[Run] = field(default_factory=list)
    edit: list[Run] = field(default_factory=list)
    serve_edit: list[float] = field(default_factory=list)  # one-edit in a warm process
    serve_title: list[float] = field(default_factory=list)  # a new title, in a warm process
    pages: int | None = None  # HTML files in the output, to see the outputs are comparable
    written: dict[str, list[int]] = field(default_factory=dict)  # files rewritten per run
    missing: str | None = None  # why the generator was not measured
    failures: list[str] = field(default_factory=list)

    def median(self, runs: str, what: str = "seconds") -> float | None:
        values = [getattr(run, what) for run in getattr(self, runs)]
        return statistics.median(values) if values else None

    @property
    def busy_runs(self) -> int:
        return sum(run.busy for run in self.cold + self.noop + self.edit)

    @property
    def peak_mib(self) -> float | None:
        runs = self.cold + self.noop + self.edit
        return max(run.peak_mib for run in runs) if runs else None


IDLE_WAIT = 20.0  # seconds to wait, at most, for other work on the machine to stop
IDLE_SHARE = 0.85  # the machine counts as quiet when this share of its CPU time is idle


def cpu_idle_share(interval: float = 0.5) -> float:
    """Share of all cores' time spent idle over `interval`, from /proc/stat."""
    def sample() -> tuple[int, int]:
        fields = [int(x) for x in Path("/proc/stat").read_text().split("\n")[0].split()[1:]]
        return fields[3] + fields[4], sum(fields[:8])  # idle + iowait, total

    try:
        idle_before, total_before = sample()
        time.sleep(interval)
        idle_after, total_after = sample()
    except (OSError, ValueError, IndexError):
        return 1.0
    return (idle_after - idle_before) / max(1, total_after - total_before)


def wait_for_quiet() -> bool:
    """Wait (a while) until other work leaves the CPUs alone; True if it never did."""
    deadline = time.monotonic() + IDLE_WAIT
    while cpu_idle_share() < IDLE_SHARE:
        if time.monotonic() > deadline:
            return True
    return False


class TreeMemory(threading.Thread):
    """The peak of the memory a command's processes use together, sampled while it runs.

    Each sample sums the PSS of the process and its descendants: a page shared by forked
    workers counts once in all, split between them. wait4's ru_maxrss gives only the largest
    single process's peak, which leaves out the workers of a build that forks them.
    """

    INTERVAL = 0.05  # seconds between samples; a build shorter than that may show only one

    def __init__(self, pid: int) -> None:
        super().__init__(daemon=True)
        self.pid = pid
        self.peak_kib = 0
        self.done = threading.Event()

    def run(self) -> None:
        while not self.done.is_set():
            self.peak_kib = max(self.peak_kib, sum(map(_pss_kib, _process_tree(self.pid))))
            self.done.wait(self.INTERVAL)


def _process_tree(pid: int) -> list[int]:
    """The process and its descendants, by the kernel's lists of each thread's children."""
    found, todo = [], [pid]
    while todo:
        current = todo.pop()
        found.append(current)
        with contextlib.suppress(OSError):
            for task in os.listdir(f"/proc/{current}/task"):
                todo.extend(map(int, Path(f"/proc/{current}/task/{task}/children")
                                .read_text().split()))
    return found


def _pss_kib(pid: int) -> int:
    with contextlib.suppress(OSError):
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if line.startswith("Pss:"):
                return int(line.split()[1])
    return 0  # gone since it was listed


def measure(command: list[str], cwd: Path | None = None,
            env: dict[str, str] | None = None) -> Run:
    """Wall time and peak memory (`TreeMemory`) of one command."""
    busy = wait_for_quiet() if IDLE_WAIT > 0 else False
    with tempfile.TemporaryFile() as output:
        started = time.perf_counter()
        process = subprocess.Popen(command, cwd=cwd, env=env, stdin=subprocess.DEVNULL,
                                   stdout=output, stderr=subprocess.STDOUT)
        memory = TreeMemory(process.pid)
        memory.start()
        _, status, usage = os.wait4(process.pid, 0)
        seconds = time.perf_counter() - started
        memory.done.set()
        memory.join()
        process.returncode = os.waitstatus_to_exitcode(status)
        if process.returncode != 0:
            output.seek(0)
            tail = output.read().decode("utf-8", "replace")[-2000:]
            raise BuildError(f"{' '.join(command)} exited {process.returncode}:\n{tail}")
    # Linux reports KiB; wait4's usage covers the child and the processes it waited for.
    return Run(seconds, memory.peak_kib / 1024, usage.ru_utime + usage.ru_stime, busy,
               largest_mib=usage.ru_maxrss / 1024)


def code_snapshot(revision: str) -> Path:
    """site_builder/ and templates/ as committed at `revision`, extracted under .work/code/.

    The working tree is shared and may be mid-edit; a committed snapshot measures one known
    version. Only reads the repository (`git archive`), never changes it.
    """
    commit = subprocess.run(["git", "rev-parse", "--verify", f"{revision}^{{commit}}"],
                            cwd=REPO, capture_output=True, text=True, check=True).stdout.strip()
    folder = WORK / "code" / commit[:12]
    if not (folder / ".complete").exists():
        remove(folder)
        folder.mkdir(parents=True)
        archive = subprocess.run(["git", "archive", "--format=tar", commit, "site_builder",
                                  "templates"], cwd=REPO, capture_output=True, check=True).stdout
        with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
            tar.extractall(folder, filter="data")
        (folder / ".complete").write_text(commit + "\n")
    # Bytecode, as `pip install` writes it: without it every run compiles our modules again,
    # ~30 ms of each no-op build where PYTHONDONTWRITEBYTECODE is set, as on this machine.
    compileall.compile_dir(folder / "site_builder", quiet=1)
    return folder


def code_env(snapshot: Path | None) -> dict[str, str] | None:
    """The environment that makes the venv's site-builder import the snapshot's code."""
    if snapshot is None:
        return None
    return {**os.environ, "PYTHONPATH": str(snapshot)}


@contextlib.contextmanager
def exclusive_run():  # type: ignore[no-untyped-def]
    """One benchmark at a time: two would share .work/ folders and each other's CPUs."""
    WORK.mkdir(parents=True, exist_ok=True)
    with open(WORK / "run.lock", "a+") as lock:
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            lock.seek(0)
            say(f"another benchmark is running ({lock.read().strip() or 'pid unknown'}); "
                "waiting for it to finish")
            fcntl.flock(lock, fcntl.LOCK_EX)
        lock.seek(0)
        lock.truncate()
        lock.write(f"pid {os.getpid()}, started {dt.datetime.now():%H:%M}\n")
        lock.flush()
        yield


def count_html(folder: Path) -> int:
    return sum(1 for _ in folder.rglob("*.html"))


def remove(*paths: Path) -> None:
    for path in paths:
        if path.is_dir():
            shutil.rmtree(path)
        elif path.exists():
            path.unlink()


# -- the generators -------------------------------------------------------------------------

class SiteBuilder:
    name = "site-builder"
    env: dict[str, str] | None = None  # set to run a committed snapshot (--rev)

    def __init__(self, sites: Path, outputs: Path) -> None:
        self.site = sites / "site-builder"
        self.output = outputs / "site-builder"
        self.cache = self.site / ".site-builder-cache"

    def missing(self) -> str | None:
        return None

    def command(self, config: str = "site.yaml") -> list[str]:
        script = Path(sys.executable).parent / "site-builder"
        launcher = ([str(script)] if script.exists()
                    else [sys.executable, "-c", "from site_builder.cli import cli; cli()"])
        return [*launcher, "build", "--config", str(self.site / config),
                "--output", str(self.output), "--quiet"]

    def clean(self) -> None:
        remove(self.output, self.cache)

    def written(self) -> int:
        """How many files the last build wrote, from site-builder's own change list."""
        changes = self.output / ".site-builder" / "changes.txt"
        try:
            return sum(line.startswith("+ ") for line in changes.read_text().splitlines())
        except OSError:
            return -1


class Hugo:
    name = "hugo"

    def __init__(self, sites: Path, outputs: Path) -> None:
        self.site = sites / "hugo"
        self.output = outputs / "hugo"
        self.cache = outputs / "hugo-cache"

    def missing(self) -> str | None:
        return None if shutil.which("hugo") else f"not installed — {INSTALL_HUGO}"

    def command(self) -> list[str]:
        return ["hugo", "--source", str(self.site), "--destination", str(self.output),
                "--cacheDir", str(self.cache), "--quiet"]

    def clean(self) -> None:
        remove(self.output, self.cache, self.site / "resources", self.site / ".hugo_build.lock")


class Pelican:
    name = "pelican"

    def __init__(self, sites: Path, outputs: Path) -> None:
        self.site = sites / "pelican"
        self.output = outputs / "pelican"

    def missing(self) -> str | None:
        python = PEERS_VENV / "bin" / "python"
        if python.exists() and subprocess.run([str(python), "-c", "import pelican, markdown"],
                                              capture_output=True).returncode == 0:
            return None
        return f"not installed — {INSTALL_PELICAN}"

    def command(self) -> list[str]:
        return [str(PEERS_VENV / "bin" / "pelican"), "content", "-s", "pelicanconf.py",
                "-o", str(self.output), "-q"]

    def clean(self) -> None:
        remove(self.output, self.site / "cache", self.site / "__pycache__")


class Eleventy:
    name = "eleventy"

    def __init__(self, sites: Path, outputs: Path) -> None:
        self.site = sites / "eleventy"
        self.output = outputs / "eleventy"

    def missing(self) -> str | None:
        if shutil.which("node") and ELEVENTY_PROGRAM.exists():
            return None
        return f"not installed — {INSTALL_ELEVENTY}"

    def command(self) -> list[str]:
        # The site's config imports the syntax highlighting plugin from its own node_modules.
        modules = self.site / "node_modules"
        if not modules.is_symlink():
            modules.symlink_to(PEERS_NODE / "node_modules")
        return ["node", str(ELEVENTY_PROGRAM), "--output", str(self.output), "--quiet"]

    def clean(self) -> None:
        remove(self.output, self.site / ".cache")


# -- the runs -------------------------------------------------------------------------------

def say(text: str) -> None:
    print(text, file=sys.stderr, flush=True)


def edit_body(path: Path, run: int) -> None:
    """Change the last word of the last sentence: the body changes, its word count does not."""
    lines = path.read_text(encoding="utf-8").split("\n")
    for index in range(len(lines) - 1, -1, -1):
        changed = re.sub(r"\w+([.!?…])$", rf"révisé{run}\1", lines[index])
        if changed != lines[index]:
            lines[index] = changed
            path.write_text("\n".join(lines), encoding="utf-8")
            return
    raise ValueError(f"no sentence to edit in {path}")


def edit_title(path: Path, run: int) -> None:
    """A new title, so a new URL: the thread's page, its neighbours and the lists showing it."""
    text = path.read_text(encoding="utf-8")
    changed = re.sub(r"^title: .*$", f'title: "Titre révisé {run}"', text, count=1,
                     flags=re.MULTILINE)
    if changed == text:
        raise ValueError(f"no title to edit in {path}")
    path.write_text(changed, encoding="utf-8")


def bench_size(size: int, runs: int, only: set[str], search: bool) -> tuple[list[Result],
                                                                               dict | None]:
    sites = WORK / "sites" / str(size)
    outputs = WORK / "out" / str(size)
    say(f"[{size}] writing the corpus to {sites.relative_to(REPO)}")
    corpus.write_all(size, sites)
    outputs.mkdir(parents=True, exist_ok=True)
    generators = [g for g in (SiteBuilder(sites, outputs), Hugo(sites, outputs),
                              Pelican(sites, outputs), Eleventy(sites, outputs))
                  if g.name in only]
    results = {g.name: Result(g.name, size, missing=g.missing()) for g in generators}
    active = [g for g in generators if results[g.name].missing is None]
    for generator in generators:
        if results[generator.name].missing:
            say(f"[{size}] {generator.name}: {results[generator.name].missing}")

    # Cold: alternate generators within each round.
    for round_number in range(1, runs + 1):
        for generator in list(active):
            generator.clean()
            try:
                run = measure(generator.command(), cwd=generator.site,
                              env=getattr(generator, "env", None))
            except BuildError as error:
                results[generator.name].missing = "build failed (see the log above)"
                say(f"[{size}] {generator.name} FAILED: {error}")
                active.remove(generator)
                continue
            results[generator.name].cold.append(run)
            say(f"[{size}] {generator.name} cold {round_number}/{runs}: {run.seconds:.2f} s, "
                f"{run.peak_mib:.0f} MiB")
    for generator in active:
        results[generator.name].pages = count_html(generator.output)

    search_result = None
    builder = next((g for g in active if isinstance(g, SiteBuilder)), None)
    if builder is not None:
        result = results[builder.name]
        result.written["cold"] = [builder.written()]
        try:
            _bench_incremental(builder, result, runs)
        except BuildError as error:
            result.failures.append(f"incremental build failed: {error}")
            say(f"[{size}] site-builder incremental FAILED: {error}")
        if search:
            try:
                search_result = _bench_search(builder, size, runs, result.median("cold"))
            except BuildError as error:
                search_result = {"size": size, "missing": "failed (see the log)"}
                say(f"[{size}] search timing FAILED: {error}")
    return list(results.values()), search_result


def _bench_incremental(builder: SiteBuilder, result: Result, runs: int) -> None:
    size = result.size
    short_runs = max(runs, SHORT_RUNS)
    for number in range(1, short_runs + 1):
        run = measure(builder.command(), cwd=builder.site, env=builder.env)
        result.noop.append(run)
        result.written.setdefault("noop", []).append(builder.written())
        say(f"[{size}] site-builder no-op {number}/{short_runs}: {run.seconds:.3f} s, "
            f"{result.written['noop'][-1]} files written")
    files = sorted((builder.site / "content").glob("*.md"))
    edited = files[len(files) // 2]
    original = edited.read_bytes()
    try:
        for number in range(1, short_runs + 1):
            edit_body(edited, number)
            run = measure(builder.command(), cwd=builder.site, env=builder.env)
            result.edit.append(run)
            result.written.setdefault("edit", []).append(builder.written())
            say(f"[{size}] site-builder one-edit {number}/{short_runs}: {run.seconds:.3f} s, "
                f"{result.written['edit'][-1]} files written")
        result.serve_edit, result.serve_title = _warm_edits(builder, edited, runs)
        say(f"[{size}] site-builder one-edit in a warm process (as `serve`): "
            + ", ".join(f"{s:.3f} s" for s in result.serve_edit))
        say(f"[{size}] site-builder title edit in a warm process (as `serve`): "
            + ", ".join(f"{s:.3f} s" for s in result.serve_title))
    finally:
        edited.write_bytes(original)  # the corpus stays the generator's, for the next run
    # And the output matches the corpus again.
    measure(builder.command(), cwd=builder.site, env=builder.env)


# Builds in one process that stays up, as `site-builder serve` does after each save: what a
# writer waits for while previewing, without Python's start-up and imports.
_WARM_EDITS = """
import json, sys, time
from pathlib import Path
sys.path.insert(0, sys.argv[1])
from run import edit_body, edit_title
from site_builder.build import build
from site_builder.config import load_config
config = load_config(Path(sys.argv[2])).with_overrides(output_dir=Path(sys.argv[3]))
edited, runs = Path(sys.argv[4]), int(sys.argv[5])
build(config)
times = {"body": [], "title": []}
for kind, edit in (("body", edit_body), ("title", edit_title)):
    for number in range(runs):
        edit(edited, 100 + number)
        started = time.perf_counter()
        build(config)
        times[kind].append(time.perf_counter() - started)
print(json.dumps(times))
"""


def _warm_edits(builder: SiteBuilder, edited: Path, runs: int) -> tuple[list[float],
                                                                       list[float]]:
    """Builds timed inside one warm process: `runs` body edits, then `runs` title edits."""
    done = subprocess.run([sys.executable, "-c", _WARM_EDITS, str(HERE),
                           str(builder.site / "site.yaml"), str(builder.output), str(edited),
                           str(runs)], env=builder.env, capture_output=True, text=True)
    if done.returncode != 0:
        raise BuildError(f"warm one-edit builds failed:\n{done.stderr[-2000:]}")
    times = json.loads(done.stdout)
    return [float(v) for v in times["body"]], [float(v) for v in times["title"]]


def _bench_search(builder: SiteBuilder, size: int, runs: int, cold: float | None) -> dict:
    """Pagefind over site-builder's output, on its own; and inside the build if it runs it."""
    if subprocess.run([sys.executable, "-c", "import pagefind"],
                      capture_output=True).returncode != 0:
        missing = "pagefind not installed — .venv/bin/pip install 'pagefind[bin]'"
        say(f"[{size}] {missing}")
        return {"size": size, "missing": missing}
    index = WORK / "out" / str(size) / "pagefind"
    command = [sys.executable, "-m", "pagefind", "--site", str(builder.output),
               "--output-path", str(index)]
    times = []
    for number in range(1, runs + 1):
        remove(index)
        run = measure(command)
        times.append(run)
        say(f"[{size}] pagefind {number}/{runs}: {run.seconds:.2f} s, {run.peak_mib:.0f} MiB")
    found = {"size": size, "pagefind": [asdict(run) for run in times],
             "median": statistics.median(run.seconds for run in times),
             "peak_mib": max(run.peak_mib for run in times)}
    found["in_build"] = _bench_search_in_build(builder, size, runs, cold)
    return found


def _bench_search_in_build(builder: SiteBuilder, size: int, runs: int,
                           cold: float | None) -> str:
    """If site-builder runs Pagefind itself with `search: true`, its cold build time then."""
    searched = builder.site / "site-search.yaml"
    searched.write_text((builder.site / "site.yaml").read_text().replace("search: false",
                                                                        "search: true"))
    try:
        with_search = []
        for _ in range(runs):
            builder.clean()
            with_search.append(measure(builder.command("site-search.yaml"), env=builder.env))
            if not (builder.output / "pagefind").is_dir():
                return "site-builder does not run Pagefind itself (no pagefind/ made)"
        median = statistics.median(run.seconds for run in with_search)
        more = f" (+{median - cold:.2f} s over `search: false`)" if cold else ""
        return f"{seconds(median)} cold with `search: true`{more}"
    except BuildError as error:
        say(f"[{size}] site-builder with search: true FAILED: {error}")
        lines = str(error).splitlines()
        return "the build with `search: true` failed: " + (lines[1:] or lines)[0][:200]
    finally:
        searched.unlink()
        builder.clean()
        measure(builder.command(), cwd=builder.site, env=builder.env)


# -- the report -----------------------------------------------------------------------------

def seconds(value: float | None) -> str:
    if value is None:
        return "—"
    return f"{value:.3f} s" if value < 1 else f"{value:.2f} s"


def ratio(value: float | None, base: float | None) -> str:
    return f"{value / base:.2f}×" if value and base else "—"


def table(results: list[Result]) -> str:
    lines = ["| generator | threads | cold | no-op | one-edit | one-edit (serve) "
             "| title edit (serve) | peak MiB | cold ÷ Hugo | cold ÷ Pelican | cold ÷ Eleventy "
             "| ms per thread (cold) | cold CPU (user+sys) |",
             "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
    by_key = {(r.generator, r.size): r for r in results}
    for result in results:
        if result.missing:
            lines.append(f"| {result.generator} | {result.size:,} | {result.missing} "
                         "| | | | | | | | | | |")
            continue
        cold = result.median("cold")
        hugo = by_key.get(("hugo", result.size))
        pelican = by_key.get(("pelican", result.size))
        eleventy = by_key.get(("eleventy", result.size))
        lines.append(
            f"| {result.generator} | {result.size:,} | {seconds(cold)} "
            f"| {seconds(result.median('noop'))} | {seconds(result.median('edit'))} "
            f"| {seconds(statistics.median(result.serve_edit) if result.serve_edit else None)} "
            f"| {seconds(statistics.median(result.serve_title) if result.serve_title else None)} "
            f"| {result.peak_mib:.0f} "
            f"| {ratio(cold, hugo.median('cold') if hugo else None)} "
            f"| {ratio(cold, pelican.median('cold') if pelican else None)} "
            f"| {ratio(cold, eleventy.median('cold') if eleventy else None)} "
            f"| {cold / result.size * 1000:.2f} | {seconds(result.median('cold', 'cpu'))} |")
    return "\n".join(lines)


def search_table(found: list[dict]) -> str:
    lines = ["| threads | Pagefind over site-builder's output | peak MiB | inside the build |",
             "|---:|---:|---:|---|"]
    for item in found:
        if "missing" in item:
            lines.append(f"| {item['size']:,} | {item['missing']} | | |")
            continue
        inside = item.get("in_build", "—")
        lines.append(f"| {item['size']:,} | {seconds(item['median'])} "
                     f"| {item['peak_mib']:.0f} | {inside} |")
    return "\n".join(lines)


def targets(results: list[Result]) -> str:
    """Issue 6's targets, each read off this run."""
    ours = sorted((r for r in results if r.generator == "site-builder" and r.cold),
                  key=lambda r: r.size)
    if not ours:
        return ""
    big, small = ours[-1], ours[0]
    by_key = {(r.generator, r.size): r for r in results}
    lines = [f"Issue 6 targets at {big.size:,} threads:", ""]

    def check(label: str, ok: bool | None, measured: str) -> None:
        mark = "n/a" if ok is None else ("met" if ok else "not met")
        lines.append(f"- {label}: {measured} — {mark}")

    hugo = by_key.get(("hugo", big.size))
    for peer, factor in (("hugo", 1), ("eleventy", 4), ("pelican", 8)):
        other = by_key.get((peer, big.size))
        if other and other.cold:
            speedup = other.median("cold") / big.median("cold")
            # The issue set 4× and 8× from its own machine, where Hugo was 3.6× Eleventy's
            # speed and 7.7× Pelican's: say what Hugo itself makes of them here.
            measured = f"{speedup:.2f}× as fast"  # the table's ratio the other way up
            if factor > 1 and hugo and hugo.cold:
                measured += (f" (Hugo, in this run: "
                             f"{other.median('cold') / hugo.median('cold'):.2f}×)")
            check(f"cold at least {factor}× faster than {peer}" if factor > 1
                  else "cold no slower than Hugo", speedup >= factor, measured)
    check("no-op under 0.15 s", big.median("noop") < 0.15, seconds(big.median("noop")))
    check("one-edit under 0.25 s", big.median("edit") < 0.25, seconds(big.median("edit")))
    if big.serve_edit:
        warm = statistics.median(big.serve_edit)
        check("one-edit under 0.25 s in a warm process (serve)", warm < 0.25, seconds(warm))
    check("peak memory under 150 MiB (all processes)", big.peak_mib < 150,
          f"{big.peak_mib:.0f} MiB")
    if big is not small:
        per_big = big.median("cold") / big.size
        per_small = small.median("cold") / small.size
        check(f"time per thread at {big.size:,} within 10% of {small.size:,}",
              per_big <= per_small * 1.1, f"{per_big * 1000:.2f} vs {per_small * 1000:.2f} ms "
              f"({per_big / per_small - 1:+.0%})")
    return "\n".join(lines)


def machine() -> str:
    model = "unknown CPU"
    try:
        found = re.search(r"model name\s*:\s*(.+)", Path("/proc/cpuinfo").read_text())
        model = found.group(1).strip() if found else model
    except OSError:
        pass
    memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    return f"{model}, {os.cpu_count()} cores, {memory:.0f} GiB RAM, {platform.platform()}"


def versions(snapshot: Path | None = None) -> str:
    def out(command: list[str]) -> str:
        try:
            return subprocess.run(command, capture_output=True, text=True,
                                  cwd=REPO).stdout.strip()
        except OSError:
            return ""

    if snapshot is not None:
        code = f"{(snapshot / '.complete').read_text().strip()[:12]} (committed snapshot)"
    else:
        commit = out(["git", "rev-parse", "--short", "HEAD"]) or "?"
        dirty = out(["git", "status", "--porcelain", "site_builder", "templates"])
        code = f"working tree at {commit}" + (" + uncommitted changes" if dirty else "")
    hugo = out(["hugo", "version"]).split(" ")[1:2] if shutil.which("hugo") else []
    pelican = out([str(PEERS_VENV / "bin" / "python"), "-c",
                   "import importlib.metadata as m; print(m.version('pelican'))"])
    eleventy = out(["node", str(ELEVENTY_PROGRAM), "--version"]) if shutil.which("node") else ""
    node = out(["node", "--version"]) if shutil.which("node") else ""
    return (f"site-builder {code} on Python {platform.python_version()}; "
            f"Hugo {hugo[0] if hugo else '—'}; Pelican {pelican or '—'}; "
            f"Eleventy {eleventy or '—'}" + (f" on Node.js {node}" if eleventy else ""))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="1000,10000",
                        help="thread counts, comma-separated (default: 1000,10000)")
    parser.add_argument("--runs", type=int, default=5, help="runs of each build (default: 5)")
    parser.add_argument("--only", default="site-builder,hugo,pelican,eleventy",
                        help="generators to run, comma-separated")
    parser.add_argument("--no-search", action="store_true", help="skip the Pagefind timing")
    parser.add_argument("--rev", metavar="REVISION",
                        help="measure site-builder as committed at REVISION (e.g. HEAD) instead "
                             "of the working tree, which others may be editing")
    parser.add_argument("--wait-idle", type=float, default=IDLE_WAIT, metavar="SECONDS",
                        help="before each run, wait up to this long for the CPUs to be idle "
                             f"(default {IDLE_WAIT:g}; 0: don't)")
    args = parser.parse_args()
    with exclusive_run():
        run_all(args)


def run_all(args: argparse.Namespace) -> None:
    global IDLE_WAIT
    IDLE_WAIT = args.wait_idle
    snapshot = code_snapshot(args.rev) if args.rev else None
    SiteBuilder.env = code_env(snapshot)
    if snapshot:
        say(f"site-builder code: {snapshot.relative_to(REPO)} ({args.rev})")
    sizes = [int(size.replace("_", "")) for size in args.sizes.split(",")]
    only = {name.strip() for name in args.only.split(",")}
    started = dt.datetime.now().astimezone()
    command = " ".join([".venv/bin/python", "benchmarks/run.py", *sys.argv[1:]])
    results: list[Result] = []
    found: list[dict] = []
    loads: dict[int, tuple[float, float]] = {}
    for size in sizes:
        load_before = os.getloadavg()[0]
        size_results, search_result = bench_size(size, args.runs, only, not args.no_search)
        loads[size] = (load_before, os.getloadavg()[0])
        results += size_results
        if search_result:
            found.append(search_result)
        report = render_report(results, found, loads, started, command, args.runs, snapshot)
        save(report, results, found, loads, started, command, snapshot)  # partial, then whole
    print(report)


def render_report(results: list[Result], found: list[dict],
                  loads: dict[int, tuple[float, float]], started: dt.datetime, command: str,
                  runs: int, snapshot: Path | None) -> str:
    report = "\n".join([
        f"Measured {started:%Y-%m-%d %H:%M %Z} with `{command}` (medians of {runs} runs; "
        f"{max(runs, SHORT_RUNS)} for no-op and one-edit builds).",
        f"Machine: {machine()}; load average (1 min) before → after each size: " + ", ".join(
            f"{size:,}: {a:.1f} → {b:.1f}" for size, (a, b) in loads.items()) + ".",
        f"Versions: {versions(snapshot)}.",
        "",
        table(results),
        "",
        "Cold: fresh output and cache folders. No-op: the same build again. One-edit: one "
        "thread's body changed, a new process each time; (serve): the same edits built in "
        "one process that stays up, as `site-builder serve` does. Title edit (serve): in "
        "that process, the same thread given a new title, so a new URL that its neighbours, "
        "lists and feeds show. Peak MiB: the most memory the build's processes used "
        "together (PSS summed over the process and its workers, sampled every 50 ms; the "
        "largest single process's RSS is in the JSON as largest_mib). "
        "Ratios: cold time divided by the peer's (above 1: slower). Cold CPU: median user + "
        "system seconds of all the build's processes, which other work on the machine "
        "changes less than wall time.",
        f"Runs that started while other work kept the CPUs busy (waited {IDLE_WAIT:g} s "
        "at most): " + ", ".join(f"{r.generator} {r.size:,}: {r.busy_runs}"
                                 for r in results if not r.missing) + ".",
        "",
        "HTML files written per generator: " + ", ".join(
            f"{r.generator} {r.size:,}: {r.pages:,}" for r in results if r.pages) + ".",
        "site-builder files written per build: " + "; ".join(
            f"{r.size:,}: " + ", ".join(f"{kind} {values}" for kind, values in r.written.items())
            for r in results if r.written) + ".",
    ])
    failures = [f"- {r.generator} {r.size:,}: {failure.splitlines()[0]}"
                for r in results for failure in r.failures]
    if failures:
        report += "\n\nFailures (details in the log):\n" + "\n".join(failures)
    if found:
        report += "\n\nSearch indexing, timed on its own:\n\n" + search_table(found)
    return report + "\n\n" + targets(results) + "\n"


def save(report: str, results: list[Result], found: list[dict],
         loads: dict[int, tuple[float, float]], started: dt.datetime, command: str,
         snapshot: Path | None) -> None:
    folder = WORK / "results"
    folder.mkdir(parents=True, exist_ok=True)
    stamp = f"{started:%Y%m%d-%H%M%S}"
    (folder / f"{stamp}.md").write_text(report)
    (folder / f"{stamp}.json").write_text(json.dumps(
        {"command": command, "started": started.isoformat(), "machine": machine(),
         "versions": versions(snapshot), "load": loads,
         "results": [asdict(r) for r in results], "search": found}, indent=1))
    say(f"saved {(folder / stamp).relative_to(REPO)}.md and .json")

if __name__ == "__main__":
    main()

"""Profile one cold site-builder build of the benchmark corpus; print the hot spots.

    .venv/bin/python benchmarks/profile_build.py [--size 10000] [--top 15] [--serial] [--rev HEAD]

cProfile sees only the main process: time spent in worker processes shows as waiting on the
pool. `--serial` makes site-builder see one CPU, so it parses and renders in the main process
and all the work is attributed; its total is then one core's work.
The raw profile is kept in benchmarks/.work/ for `python -m pstats` or snakeviz.
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
import shutil
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
WORK = HERE / ".work"
sys.path.insert(0, str(HERE))

import corpus  # noqa: E402


def short(filename: str) -> str:
    """`.../site-packages/markdown_it/main.py` -> `markdown_it/main.py`."""
    if filename.startswith(("~", "<")):
        return filename  # built-ins: `~` is cProfile's name for C functions
    path = Path(filename)
    if "code" in path.parts and ".work" in path.parts:  # a --rev snapshot: from its root
        return "/".join(path.parts[path.parts.index("code") + 2:])
    parts = path.parts
    if "site-packages" in parts:
        return "/".join(parts[parts.index("site-packages") + 1:])
    for index, part in enumerate(parts[1:], start=1):
        if parts[index - 1] == "lib" and part.startswith("python3"):  # the standard library
            return "/".join(parts[index + 1:])
    try:
        return path.relative_to(REPO).as_posix()
    except ValueError:
        return filename


def label(key: tuple[str, int, str]) -> str:
    filename, line, function = key
    if filename == "~":
        return function  # a C function: `{method 'join' of 'str' objects}`
    return f"{short(filename)}:{line}:{function}"


def rows(stats: pstats.Stats, order: str, top: int, total: float) -> list[str]:
    entries = stats.stats  # type: ignore[attr-defined]
    index = 2 if order == "own" else 3
    ranked = sorted(entries.items(), key=lambda item: item[1][index], reverse=True)[:top]
    lines = ["| # | file:line:function | calls | own s | own % | cumulative s | cumulative % |",
             "|---:|---|---:|---:|---:|---:|---:|"]
    for rank, (key, (_, calls, own, cumulative, _)) in enumerate(ranked, start=1):
        lines.append(f"| {rank} | `{label(key)}` | {calls:,} | {own:.2f} | "
                     f"{own / total:.1%} | {cumulative:.2f} | {cumulative / total:.1%} |")
    return lines


def area(key: tuple[str, int, str]) -> str:
    """Where own time goes: a site_builder module, a third-party package, the stdlib, or C."""
    filename = key[0]
    if filename == "~":
        return "C built-ins (regex, str, I/O, ...)"
    shown = short(filename)
    if shown.startswith("site_builder/"):
        return shown
    if shown.startswith("templates/") or filename.startswith("<template>"):
        return "compiled Jinja templates"
    first = shown.split("/")[0]
    if first == shown or not Path(filename).is_absolute():
        return f"stdlib: {first}" if first.endswith(".py") else first
    return first if "site-packages" in filename else f"stdlib: {first}"


def areas(stats: pstats.Stats, top: int, total: float) -> list[str]:
    own: dict[str, float] = {}
    for key, (_, _, tottime, _, _) in stats.stats.items():  # type: ignore[attr-defined]
        own[area(key)] = own.get(area(key), 0.0) + tottime
    lines = ["| # | where | own s | share |", "|---:|---|---:|---:|"]
    ranked = sorted(own.items(), key=lambda item: item[1], reverse=True)[:top]
    for rank, (name, seconds) in enumerate(ranked, start=1):
        lines.append(f"| {rank} | `{name}` | {seconds:.2f} | {seconds / total:.1%} |")
    return lines


def ours(stats: pstats.Stats, top: int, total: float) -> list[str]:
    """site_builder's own functions by cumulative time: where to start optimising."""
    entries = {key: value for key, value in stats.stats.items()  # type: ignore[attr-defined]
               if short(key[0]).startswith("site_builder/")}
    sub = pstats.Stats()
    sub.stats = entries  # type: ignore[attr-defined]
    return rows(sub, "cumulative", top, total)


def print_profile(stats: pstats.Stats, top: int) -> None:
    total = stats.total_tt  # type: ignore[attr-defined]
    print(f"\nTop {top} by own time (time in the function itself):\n")
    print("\n".join(rows(stats, "own", top, total)))
    print(f"\nTop {top} by cumulative time (the function and what it calls):\n")
    print("\n".join(rows(stats, "cumulative", top, total)))
    print("\nOwn time by module or package:\n")
    print("\n".join(areas(stats, top, total)))
    print(f"\nTop {top} site_builder functions by cumulative time:\n")
    print("\n".join(ours(stats, top, total)))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", type=int, default=10_000)
    parser.add_argument("--top", type=int, default=15)
    parser.add_argument("--serial", action="store_true",
                        help="parse in the main process, so cProfile sees that work too")
    parser.add_argument("--rev", metavar="REVISION",
                        help="profile site-builder as committed at REVISION (e.g. HEAD)")
    parser.add_argument("--load", type=Path, metavar="PROF",
                        help="print the tables of a saved profile instead of building")
    args = parser.parse_args()
    if args.load:
        stats = pstats.Stats(str(args.load))
        print(f"{args.load}: profile total {stats.total_tt:.2f} s")  # type: ignore[attr-defined]
        print_profile(stats, args.top)
        return
    code = "the working tree"
    if args.rev:
        from run import code_snapshot

        snapshot = code_snapshot(args.rev)
        sys.path.insert(0, str(snapshot))
        code = f"{(snapshot / '.complete').read_text().strip()[:12]} ({args.rev})"

    from site_builder import build as build_module
    from site_builder import pools
    from site_builder.config import load_config

    sites = corpus.write_all(args.size, WORK / "sites" / str(args.size))
    site = sites / "site-builder"
    output = WORK / "out" / str(args.size) / "profile"
    for folder in (output, site / ".site-builder-cache"):
        shutil.rmtree(folder, ignore_errors=True)
    if args.serial:
        pools.usable_cpus = lambda: 1  # every stage sizes its pool from this
    config = load_config(site / "site.yaml").with_overrides(output_dir=output)

    profiler = cProfile.Profile()
    started = time.perf_counter()
    profiler.enable()
    report = build_module.build(config)
    profiler.disable()
    wall = time.perf_counter() - started

    kind = "serial" if args.serial else "as-is"
    saved = WORK / f"profile-{args.size}-{kind}.prof"
    profiler.dump_stats(saved)
    stats = pstats.Stats(profiler)
    total = stats.total_tt  # type: ignore[attr-defined]
    print(f"Cold build of {args.size:,} threads ({kind}) by site-builder {code}, under "
          f"cProfile: {wall:.2f} s wall, {report.pages:,} pages; profile total {total:.2f} s.")
    print("Stages (the build's own timer): " + ", ".join(
        f"{stage} {seconds:.2f} s" for stage, seconds in report.timings.items()))
    print_profile(stats, args.top)
    print(f"\nSaved {saved.relative_to(REPO)}")


if __name__ == "__main__":
    main()

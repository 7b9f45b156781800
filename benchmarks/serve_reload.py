"""Median time from saving a thread to the open page having reloaded with it, under `serve`.

Each site is a temporary copy of an existing one (`--site`) or generated (`--threads N`:
simple threads of ~480 words, `search: false`). `serve` runs on a free port, headless chromium
opens the middle thread, and that thread is saved RUNS times with a new last paragraph. A run
is measured from just before the write to the reloaded document's DOMContentLoaded (both wall
clock, same machine); the build's own time is the milliseconds of the line `serve` prints.

    .venv/bin/python benchmarks/serve_reload.py --site . --threads 1000 --runs 7

(`--site .` measures a temporary copy of the demo archive at the repository's root.)

Not a test: nothing here asserts a time.
"""

from __future__ import annotations

import argparse
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path

CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update",
                 "--disable-sync"]
SERVE = [sys.executable, "-c", "from site_builder.serve import serve_command; serve_command()"]
PROBE = """
window.__liveReloadConnected = false;
document.addEventListener('LiveReloadConnect', () => { window.__liveReloadConnected = true; });
document.addEventListener('DOMContentLoaded', () => { window.__loadedAt = Date.now(); });
"""
WORDS = ("usine énergie réseau acier chantier ingénieur machine production port navire rail "
         "réacteur turbine batterie cuivre minerai puce silicium logiciel serveur données "
         "marché prix budget emploi école brevet entreprise contrat export stratégie état "
         "le la les de des du un une et en à est sont que qui dans pour pas sur avec plus").split()
TAGS = [f"sujet-{n}" for n in range(40)]


def write_site(root: Path, threads: int) -> Path:
    """`threads` threads of ~480 words in 6 tweets, dated over ten years, 1-3 tags each."""
    rng = random.Random(threads)
    (root / "content").mkdir(parents=True)
    (root / "site.yaml").write_text("title: Benchmark\nbase_url: https://example.org/\n"
                                    "language: fr\ntimezone: Europe/Paris\nsearch: false\n",
                                    encoding="utf-8")
    for n in range(threads):
        day = 1 + n % 28
        month = 1 + (n // 28) % 12
        year = 2015 + (n // 336) % 11
        tweets = ["".join(" ".join(rng.choice(WORDS) for _ in range(80)).capitalize() + ".")
                  for _ in range(6)]
        tags = ", ".join(rng.sample(TAGS, rng.randint(1, 3)))
        (root / f"content/{year}-{month:02d}-{day:02d}-fil-{n}.md").write_text(
            f"---\ntitle: Fil numéro {n}\ndate: {year}-{month:02d}-{day:02d}\n"
            f"tags: [{tags}]\n---\n" + "\n\n***\n\n".join(tweets) + "\n", encoding="utf-8")
    return root / "site.yaml"


def start_serve(config: Path) -> tuple[subprocess.Popen[str], list[str], list[float], str]:
    process = subprocess.Popen([*SERVE, "--config", str(config), "--port", "0"],
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                               bufsize=1)
    lines: list[str] = []
    arrived: list[float] = []  # wall-clock ms at which each line was read

    def read() -> None:
        assert process.stdout is not None
        for line in process.stdout:
            arrived.append(time.time() * 1000)
            lines.append(line.rstrip("\n"))

    threading.Thread(target=read, daemon=True).start()
    deadline = time.monotonic() + 600
    while not any(line.startswith("Serving on ") for line in lines):
        if process.poll() is not None or time.monotonic() > deadline:
            raise SystemExit("serve did not start:\n" + "\n".join(lines))
        time.sleep(0.05)
    url = next(line for line in lines if line.startswith("Serving on ")).split()[2]
    return process, lines, arrived, url


def copy_site(source: Path, root: Path) -> Path:
    """A temporary copy of an existing site: site.yaml, content/ and templates/ if any."""
    shutil.copy2(source / "site.yaml", root / "site.yaml")
    for folder in ("content", "templates"):
        if (source / folder).is_dir():
            shutil.copytree(source / folder, root / folder)
    return root / "site.yaml"


def wait_for_build(lines: list[str], printed: int) -> int:
    """Index of the first rebuild line printed after `printed` lines."""
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        for n in range(printed, len(lines)):
            if " changed: " in lines[n]:
                return n
        time.sleep(0.02)
    raise SystemExit("no rebuild line:\n" + "\n".join(lines[printed:]))


def thread_page(output: Path, text: str) -> str:
    """The output page showing `text` (a paragraph only the thread's own page shows whole)."""
    pages = [path for path in output.rglob("*.html") if text in path.read_text(encoding="utf-8")]
    if not pages:
        raise SystemExit(f"no page shows {text!r}")
    return min(pages, key=lambda path: len(path.parts)).relative_to(output).as_posix()


def measure(name: str, make_site: Callable[[Path], Path], runs: int,
            browser: object) -> dict[str, object]:
    """Edit the middle thread of the site RUNS times; each edit adds a paragraph at its end."""
    from playwright.sync_api import expect

    with tempfile.TemporaryDirectory(prefix="serve-bench-") as folder:
        root = Path(folder)
        config = make_site(root)
        threads = sorted((root / "content").rglob("*.md"))
        target = threads[len(threads) // 2]
        original = target.read_text(encoding="utf-8").rstrip("\n")
        started = time.perf_counter()
        process, lines, arrived, url = start_serve(config)
        first_build = time.perf_counter() - started
        context = browser.new_context()  # type: ignore[attr-defined]
        context.add_init_script(PROBE)
        page = context.new_page()
        reloads: list[float] = []
        builds: list[float] = []
        built_after: list[float] = []
        try:
            printed = len(lines)  # an unmeasured first edit finds the thread's page
            target.write_text(f"{original}\n\nRepère de départ.\n", encoding="utf-8")
            wait_for_build(lines, printed)
            page.goto(url + thread_page(root / "output", "Repère de départ."))
            for run in range(runs):
                page.wait_for_function("window.__liveReloadConnected === true", timeout=60_000)
                time.sleep(0.5)  # let the page count in and the watcher settle
                marker = f"Édition {run} du fil, mesurée."
                printed = len(lines)
                saved_at = time.time() * 1000
                target.write_text(f"{original}\n\n{marker}\n", encoding="utf-8")
                expect(page.locator("main")).to_contain_text(marker, timeout=60_000)
                reloads.append(page.evaluate("window.__loadedAt") - saved_at)
                line = wait_for_build(lines, printed)
                builds.append(float(lines[line].rsplit(", ", 1)[1].removesuffix(" ms")))
                built_after.append(arrived[line] - saved_at)
        finally:
            context.close()
            process.terminate()
            process.wait(timeout=30)
        return {"site": name, "threads": len(threads), "first_build_s": first_build,
                "reloads": reloads, "builds": builds, "built_after": built_after}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--threads", type=int, nargs="*", default=[1000],
                        help="sizes of generated sites (default: 1000)")
    parser.add_argument("--site", type=Path, action="append", default=[],
                        help="also measure a temporary copy of this site (repeatable)")
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    chromium = shutil.which("chromium") or "/usr/bin/chromium"
    from playwright.sync_api import sync_playwright

    results = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium, headless=True,
                                             args=CHROMIUM_ARGS)
        for source in args.site:
            results.append(measure(source.resolve().name or str(source),
                                   lambda root, source=source: copy_site(source, root),
                                   args.runs, browser))
        for threads in args.threads:
            results.append(measure(f"generated-{threads}",
                                   lambda root, threads=threads: write_site(root, threads),
                                   args.runs, browser))
        browser.close()
    print(f"{'site':>16} {'threads':>8} {'first build':>12} {'save->reloaded median':>22} "
          f"{'min':>6} {'max':>6} {'build':>8} {'save->built':>12}  runs (ms)")
    for result in results:
        reloads, builds, built = result["reloads"], result["builds"], result["built_after"]
        assert isinstance(reloads, list) and isinstance(builds, list) and isinstance(built, list)
        print(f"{result['site']:>16} {result['threads']:>8} {result['first_build_s']:>10.1f} s "
              f"{statistics.median(reloads):>19.0f} ms {min(reloads):>6.0f} {max(reloads):>6.0f} "
              f"{_median(builds):>8.0f} {_median(built):>12.0f}  "
              f"{', '.join(f'{r:.0f}' for r in reloads)}")
    print("build: the build's own ms (serve's line); save->built: until that line was printed")


def _median(values: list[float]) -> float:
    return statistics.median(values) if values else float("nan")


if __name__ == "__main__":
    main()

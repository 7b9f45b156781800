"""A build typed again as last time skips click, PyYAML and reading site.yaml.

Start-up is most of a build that finds little to do: at 10,000 threads, importing click and
PyYAML and checking site.yaml take about 50 ms of a 0.2 s no-op build. The same arguments, in
the same folder, with the same site.yaml bytes and the same code, load the same configuration.
So `site-builder build` keeps what it loaded, and what it read from its arguments, in the
cache folder; the next identical command builds from that at once (console.py). Anything
else, a changed site.yaml included, goes through click and is recorded in its turn.
"""

from __future__ import annotations

import marshal
from pathlib import Path
from typing import NamedTuple

from site_builder.build_command import run_build
from site_builder.config import CACHE_FOLDER, SiteConfig
from site_builder.errors import ContentError, Diagnostics
from site_builder.fingerprint import code_digest
from site_builder.writer import read_if_present, write_atomically

NAME = "last-build-command.marshal"
_FORMAT = 2


class _Record(NamedTuple):
    code: bytes  # fingerprint.code_digest(): other code may read site.yaml otherwise
    arguments: list[str]  # as typed, "build" first
    config_file: str
    config_bytes: bytes
    quiet: bool
    config: SiteConfig
    warnings: list[ContentError]  # found while loading site.yaml: said again on every build


def rerun(arguments: list[str]) -> bool:
    """Run the build `arguments` ask for, from the record the same command left in the
    working folder; False when there is none or it no longer holds."""
    try:
        here = Path.cwd()
    except OSError:  # the working folder was deleted: click's path says what is wrong
        return False
    record = _load(here / CACHE_FOLDER / NAME)
    if (record is None or record.arguments != arguments or record.config.root != here
            or record.code != code_digest()
            or read_if_present(Path(record.config_file)) != record.config_bytes):
        return False
    run_build(record.config, Diagnostics(warnings=list(record.warnings)), record.quiet)
    return True


def remember(arguments: list[str], config_file: Path, seen: bytes | None, config: SiteConfig,
             warnings: list[ContentError], quiet: bool) -> None:
    """Keep how this build command was read, for the next identical one.

    Only for a site in the working folder, where that command looks. `seen` are site.yaml's
    bytes as read *before* it was loaded: a save in between makes the record miss, never lie.
    """
    if arguments[:1] != ["build"] or seen is None or config.root != Path.cwd():
        return
    fields = config._asdict()
    folders = [name for name, value in fields.items() if isinstance(value, Path)]
    fields.update((name, str(fields[name])) for name in folders)
    # Format 2 shares no references, so the same record gives the same bytes (and no write).
    data = marshal.dumps((_FORMAT, code_digest(), arguments, str(config_file.resolve()), seen,
                          quiet, fields, folders, [warning.as_record() for warning in warnings]),
                         2)
    path = config.cache_dir / NAME
    if read_if_present(path) == data:
        return
    try:
        config.cache_dir.mkdir(exist_ok=True)
        write_atomically(path, data)
    except OSError:
        pass  # a read-only site folder: each build reads site.yaml, as it would anyway


def _load(path: Path) -> _Record | None:
    try:
        form, code, arguments, config_file, config_bytes, quiet, fields, folders, warnings = \
            marshal.loads(path.read_bytes())
        if form != _FORMAT:
            return None
        fields.update((name, Path(fields[name])) for name in folders)
        config = SiteConfig(**fields)
        return _Record(code, arguments, config_file, config_bytes, quiet, config,
                       [ContentError.from_record(warning) for warning in warnings])
    except (OSError, EOFError, ValueError, TypeError, KeyError):  # none yet, or not ours
        return None

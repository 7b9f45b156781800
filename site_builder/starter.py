"""`site-builder init`: a new archive that builds as it is, in French or English."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from site_builder.thread_files import render_thread_file

_SITE_YAML = {
    "fr": """title: Mes fils
description: Mes fils, archivés hors de la plateforme.
author: ""
base_url: https://example.org/
language: fr
timezone: Europe/Paris
per_page: 10
""",
    "en": """title: My threads
description: My threads, archived off the platform.
author: ""
base_url: https://example.org/
language: en
timezone: Europe/London
per_page: 10
""",
}

_EXAMPLE = {
    "fr": ("Premier fil", ["exemple"],
           "Voici un premier fil. Chaque tweet est séparé du suivant par une ligne `***`.\n\n"
           "***\n\nModifiez ce fichier, puis lancez `site-builder build`."),
    "en": ("First thread", ["example"],
           "Here is a first thread. Each tweet is separated from the next by a `***` line.\n\n"
           "***\n\nEdit this file, then run `site-builder build`."),
}

_GITIGNORE = "/output/\n/.site-builder-cache/\n"


def create_site(folder: Path, language: str, today: dt.date) -> list[Path]:
    """Write site.yaml, content/ with one thread and .gitignore; refuse to overwrite anything."""
    title, tags, body = _EXAMPLE[language]
    files = {
        folder / "site.yaml": _SITE_YAML[language],
        folder / "content" / f"{today.isoformat()}-{title.lower().replace(' ', '-')}.md":
            render_thread_file({"date": today, "title": title, "tags": tags}, body),
        folder / ".gitignore": _GITIGNORE,
    }
    for path in files:
        if path.exists():
            raise FileExistsError(path)
    for path, text in files.items():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return list(files)

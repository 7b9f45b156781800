"""What a rendered page's key is made of; apart so that `body_edits` keys pages without the
render stage's imports."""

from __future__ import annotations

import marshal
from pathlib import Path

from site_builder.config import SiteConfig
from site_builder.sources import digest
from site_builder.theme import Theme


def shared_key(config: SiteConfig, theme: Theme, code: bytes) -> str:
    """What every page reads: the configuration (so its strings), the theme, our code.

    Not where the site's folders are: no page shows them (a page that shows a file reads its
    path as the site names it), so a site moved or checked out elsewhere, its cache and
    output with it, renders no page again.
    """
    here = Path()
    settings = config._replace(root=here, content_dir=here, templates_dir=here, output_dir=here)
    return digest(marshal.dumps((repr(settings), theme.digest(), code), 2))


def page_key(shared: str, template: str, url: str, reads: object) -> str:
    """A digest of exactly what a page reads: `shared_key`, its template, URL and reads.

    marshal format 2 shares no references, so equal reads give equal bytes; they are built
    in a fixed order. It is many times faster than json.dumps(sort_keys=True).
    """
    return digest(marshal.dumps((shared, template, url, reads), 2))

"""The pages the preview server makes itself: the live-reload hook and the build-error page."""

from __future__ import annotations

from html import escape

# livereload.js reads its server's host and port from its own <script src>; passing the page's
# hostname keeps [::1] working (the script's own parsing of `host:port` does not accept it).
LIVE_SCRIPT = (
    b'<script>(function(){var s=document.createElement("script");'
    b'var p=location.port||(location.protocol=="https:"?443:80);'
    b's.src="/livereload.js?host="+location.hostname+"&port="+p;'
    b"document.head.appendChild(s);})();</script>"
)


def inject_live_script(html: bytes) -> bytes:
    """Put the reload hook before `</head>` (or `</body>`, or at the end) of a served page."""
    lowered = html.lower()
    for marker in (b"</head>", b"</body>"):
        at = lowered.find(marker)
        if at >= 0:
            return html[:at] + LIVE_SCRIPT + html[at:]
    return html + LIVE_SCRIPT


def render_error_page(problems: list[str]) -> bytes:
    """Every problem of the failed build, escaped, on a page that reloads once they are fixed."""
    count = len(problems)
    items = "\n".join(f"<li><code>{escape(problem)}</code></li>" for problem in problems)
    return f"""<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Build failed · site-builder</title>
<style>
body {{ font: 16px/1.5 system-ui, sans-serif; margin: 2rem auto; max-width: 60rem;
       padding: 0 1rem; color: #1a1a1a; background: #fff; }}
h1 {{ color: #b00020; font-size: 1.5rem; }}
li {{ margin: .5rem 0; }}
code {{ white-space: pre-wrap; word-break: break-word; font-size: .95rem; }}
p.note {{ color: #555; }}
</style>
</head>
<body>
<h1>Build failed: {count} problem{"s" if count != 1 else ""}</h1>
<ol class="problems">
{items}
</ol>
<p class="note">The last good build is kept in the output folder. Fix the file and save:
this page reloads by itself.</p>
</body>
</html>
""".encode()


def render_plain_page(status: int, message: str) -> bytes:
    """A small page for 403/404 and other refusals, with nothing of the request echoed raw."""
    return (f'<!doctype html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
            f"<title>{status}</title>\n</head>\n<body>\n<h1>{status}</h1>\n"
            f"<p>{escape(message)}</p>\n</body>\n</html>\n").encode()

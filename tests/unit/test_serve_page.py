"""The preview's own pages: the reload hook lands in <head>, problems are escaped."""

from __future__ import annotations

from site_builder.serve_page import (
    LIVE_SCRIPT,
    inject_live_script,
    render_error_page,
    render_plain_page,
)


def test_the_hook_goes_before_the_first_head_end_whatever_its_case() -> None:
    html = b"<html><HEAD><title>x</title></HEAD><body></head></body></html>"
    assert inject_live_script(html) == (b"<html><HEAD><title>x</title>" + LIVE_SCRIPT
                                        + b"</HEAD><body></head></body></html>")


def test_without_head_the_hook_goes_before_body_end_or_at_the_end() -> None:
    assert inject_live_script(b"<p>x</p></body>") == b"<p>x</p>" + LIVE_SCRIPT + b"</body>"
    assert inject_live_script(b"<p>x</p>") == b"<p>x</p>" + LIVE_SCRIPT


def test_the_error_page_lists_every_problem_escaped() -> None:
    problems = ["content/a.md:3: bad <script>alert(1)</script> & more",
                "templates/thread.html:7: template error: 'x' is undefined"]
    page = render_error_page(problems).decode()
    assert "Build failed: 2 problems" in page
    assert "content/a.md:3: bad &lt;script&gt;alert(1)&lt;/script&gt; &amp; more" in page
    assert "templates/thread.html:7: template error: &#x27;x&#x27; is undefined" in page
    assert "<script>alert" not in page
    assert "</head>" in page  # so the reload hook can be injected


def test_plain_pages_escape_their_message() -> None:
    assert b"&lt;b&gt;" in render_plain_page(404, "<b>")

"""Message bodies render safely: Markdown works, raw HTML is shown as text, only safe links."""

from ncmd.learning.outreach.rendering import render_markdown


def test_markdown_is_rendered():
    html = render_markdown("# Title\n\nSome **bold** text.\n\n- one\n- two")
    assert "<h1>Title</h1>" in html and "<strong>bold</strong>" in html
    assert "<li>one</li>" in html


def test_plain_text_is_paragraphs():
    assert render_markdown("Line one.\n\nLine two.") == "<p>Line one.</p>\n<p>Line two.</p>"


def test_raw_html_is_escaped_not_interpreted():
    html = render_markdown('<script>alert(1)</script>\n\n<div onclick="x">hi</div> <b>b</b>')
    assert "<script" not in html and "<div" not in html and "<b>" not in html
    assert "&lt;script&gt;" in html and "&lt;b&gt;" in html


def test_only_safe_links_keep_their_address():
    html = render_markdown("[a](javascript:alert(1)) [b](https://example.org) [c](mailto:x@y.z)"
                           " [d](data:text/html,hi)")  # fmt: skip
    assert "javascript:" not in html and "data:" not in html
    assert 'href="https://example.org"' in html and 'href="mailto:x@y.z"' in html
    assert 'rel="noopener noreferrer"' in html


def test_remote_images_become_their_text():
    html = render_markdown("![a tracking pixel](https://tracker.example/p.gif)")
    assert "<img" not in html and "a tracking pixel" in html

"""cocreate.markup: Markdown for members, rendered and sanitised."""

from __future__ import annotations

from cocreate.markup import render_markdown


def test_it_renders_emphasis_lists_and_line_breaks():
    html = render_markdown("**Bold** and *soft*\nnext line\n\n- one\n- two")

    assert "<strong>Bold</strong>" in html
    assert "<em>soft</em>" in html
    assert "<br>" in html
    assert "<ul>\n<li>one</li>\n<li>two</li>\n</ul>" in html


def test_it_drops_tags_outside_the_allow_list_but_keeps_their_text():
    html = render_markdown("<h1>Shout</h1> <table><tr><td>cell</td></tr></table>")

    assert "<h1>" not in html
    assert "<table>" not in html
    assert "Shout" in html
    assert "cell" in html


def test_links_are_kept_with_a_safe_rel():
    html = render_markdown("[docs](https://example.com)")

    assert html == (
        '<p><a href="https://example.com" rel="nofollow ugc noopener noreferrer">'
        "docs</a></p>"
    )


def test_images_never_load():
    assert "<img" not in render_markdown("![pixel](https://tracker.test/p.gif)")


def test_empty_text_renders_nothing():
    assert render_markdown("") == ""
    assert render_markdown(None) == ""

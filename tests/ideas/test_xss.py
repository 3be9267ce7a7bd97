"""Members' text is untrusted: whatever they type, pages render it inert."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest

from cocreate.markup import render_markdown
from ideas import discussion, posting
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PAYLOADS = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "[x](javascript:alert(1))",
    '<a href="javascript:alert(1)">click</a>',
    "<svg onload=alert(1)>",
    '<iframe src="https://evil.test"></iframe>',
    "[x](JaVaScRiPt:alert(1))",
    '<p style="background:url(javascript:alert(1))">styled</p>',
    '"><script>alert(1)</script>',
    "<details open ontoggle=alert(1)>",
]

FORBIDDEN_TAGS = {"script", "iframe", "object", "embed", "svg", "style", "base"}
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "xlink:href"}
# Our own templates' script tags and icons (an icon's class names it).
OURS = {("script", "src"): "/static/", ("svg", "class"): "icon-"}


class LiveMarkup(HTMLParser):
    """Collects what a browser would run: tags and attributes, never text."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        ours = any(
            tag == our_tag and (attributes.get(name) or "").startswith(prefix)
            for (our_tag, name), prefix in OURS.items()
        )
        if tag in FORBIDDEN_TAGS and not ours:
            self.found.append(f"<{tag}>")
        for name, value in attrs:
            value = (value or "").strip().lower()
            if name.startswith("on"):
                self.found.append(f"<{tag} {name}=>")
            if name == "style":
                self.found.append(f"<{tag} style=>")
            if name in URL_ATTRIBUTES and re.sub(r"\s", "", value).startswith(
                ("javascript:", "data:", "vbscript:")
            ):
                self.found.append(f"<{tag} {name}={value}>")


def assert_inert(html: str) -> None:
    parser = LiveMarkup()
    parser.feed(html)
    parser.close()
    assert parser.found == [], f"live markup in the page: {parser.found}"


@pytest.mark.parametrize("payload", PAYLOADS)
def test_markdown_rendering_strips_every_payload(payload):
    assert_inert(render_markdown(payload))


def test_markdown_keeps_safe_links_and_marks_them_ugc():
    html = render_markdown("[shop](https://example.com/shop)")

    assert 'href="https://example.com/shop"' in html
    assert 'rel="nofollow ugc noopener noreferrer"' in html


@pytest.mark.parametrize("payload", PAYLOADS)
def test_an_idea_page_renders_payloads_inert(client, alice, bob, payload):
    idea = posting.create_idea(
        author=alice, title=f"Title {payload}", description=f"Text {payload}"
    )
    discussion.post_comment(author=bob, idea=idea, body=f"Comment {payload}")

    html = client.get(idea.get_absolute_url()).content.decode()

    assert_inert(html)
    assert "Title" in html
    assert "Comment" in html


def test_titles_are_escaped_not_stripped(client, alice):
    idea = posting.create_idea(
        author=alice, title="<script>alert(1)</script>", description="Text"
    )

    detail = client.get(idea.get_absolute_url()).content.decode()
    listing = client.get("/ideas/").content.decode()

    for html in (detail, listing):
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
        assert_inert(html)


@pytest.mark.parametrize("payload", PAYLOADS[:3])
def test_lists_profiles_and_the_home_page_render_payloads_inert(client, payload):
    author = UserFactory(display_name=f"Name {payload}")
    idea = posting.create_idea(
        author=author,
        title=f"Title {payload}",
        description=f"Text {payload}",
        tags=[f"tag {payload}"],
    )
    discussion.post_comment(author=author, idea=idea, body=f"Comment {payload}")

    for url in ("/", "/ideas/", "/ideas/?q=title", author.get_absolute_url()):
        html = client.get(url).content.decode()
        assert_inert(html)


def test_the_search_box_escapes_the_query(client):
    html = client.get("/ideas/", {"q": '"><script>alert(1)</script>'}).content

    assert_inert(html.decode())
    assert b"&quot;&gt;&lt;script&gt;" in html


def test_a_failed_comment_echoes_the_text_escaped(bob_client, idea):
    payload = "<script>alert(1)</script>" * 300

    response = bob_client.post(f"/ideas/{idea.pk}/comments/new/", {"body": payload})

    assert response.status_code == 400
    assert_inert(response.content.decode())
    assert "&lt;script&gt;alert(1)" in response.content.decode()

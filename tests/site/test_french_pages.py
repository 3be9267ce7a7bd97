"""A French-speaking member's screens hold no English sentence of ours.

The catalogue's own English sentences (longer than a word or two, without
placeholders) are looked for in the visible text of every page a member and a
moderator open in French. One found means a string is not marked, is marked in
a way the catalogue does not catch, or is rendered outside the reader's language
(computed at import, stored in another language...).
"""

from __future__ import annotations

import html
import re

import pytest
from django.urls import reverse

from cocreate import catalogue
from rewards.models import Reward, RewardKind
from tests.factories import CommentFactory

pytestmark = pytest.mark.django_db

INVISIBLE = re.compile(r"<(script|style)\b.*?</\1>|<!--.*?-->", re.S)
TAG = re.compile(r"<[^>]+>")


def english_sentences() -> list[str]:
    sentences = []
    for message in catalogue.read_po(catalogue.catalogue_path(catalogue.source_root())):
        english = message.msgid
        if message.obsolete or len(english) < 14 or " " not in english:
            continue
        if re.search(r"[%{<]", english) or english in message.msgstr[0]:
            continue
        sentences.append(english)
    return sentences


ENGLISH = english_sentences()


def visible_text(response) -> str:
    text = TAG.sub(" ", INVISIBLE.sub(" ", response.content.decode()))
    return " ".join(html.unescape(text).split())


def english_in(response) -> list[str]:
    text = visible_text(response)
    return [sentence for sentence in ENGLISH if sentence in text]


def test_there_are_english_sentences_to_look_for():
    assert len(ENGLISH) > 500
    assert "Propose an idea" in ENGLISH


@pytest.fixture
def french_alice(alice):
    alice.language = "fr"
    alice.save()
    return alice


@pytest.fixture
def member_pages(french_alice, idea, campaign):
    CommentFactory(idea=idea, author=french_alice)
    reward = Reward.objects.create(
        title="Bon d’achat de 10 €", kind=RewardKind.VOUCHER, cost=1000
    )
    return [
        "/",
        reverse("ideas:list"),
        reverse("ideas:create"),
        idea.get_absolute_url(),
        campaign.url,
        reverse("rewards:catalogue"),
        reverse("rewards:detail", args=[reward.pk]),
        reverse("rewards:wallet"),
        reverse("rewards:leaderboard"),
        reverse("members:profile", args=[french_alice.pk]),
        reverse("members:edit"),
        reverse("members:consents"),
        reverse("notifications:list"),
        reverse("notifications:preferences"),
        reverse("privacy:home"),
        "/accounts/email/",
        "/accounts/password/change/",
        "/accounts/2fa/",
        "/this-page-does-not-exist/",
    ]


def test_a_french_members_pages_hold_no_english_sentence(
    client, french_alice, member_pages
):
    client.force_login(french_alice)
    found = {}
    for url in member_pages:
        response = client.get(url)
        assert response.status_code in (200, 404), url
        assert '<html lang="fr"' in response.content.decode(), url
        if english := english_in(response):
            found[url] = english
    assert found == {}


def test_a_visitors_pages_in_french_hold_no_english_sentence(client, idea):
    found = {}
    for url in ["/", "/ideas/", idea.get_absolute_url(), "/accounts/login/"]:
        response = client.get(url, HTTP_ACCEPT_LANGUAGE="fr")
        if english := english_in(response):
            found[url] = english
    signup = client.get("/accounts/signup/", HTTP_ACCEPT_LANGUAGE="fr")
    if english := english_in(signup):
        found["/accounts/signup/"] = english
    assert found == {}


def test_a_french_moderators_screens_hold_no_english_sentence(client, moderator, idea):
    moderator.language = "fr"
    moderator.save()
    client.force_login(moderator)
    found = {}
    screens = [
        "/admin/",
        reverse("brand_team:queue"),
        reverse("brand_team:unanswered"),
        reverse("ideas_admin:index"),
        reverse("moderation_reasons:index"),
        idea.get_absolute_url(),
    ]
    for url in screens:
        response = client.get(url)
        assert response.status_code == 200, url
        if english := english_in(response):
            found[url] = english
    assert found == {}


def test_the_check_finds_an_english_sentence(client):
    response = client.get("/ideas/", HTTP_ACCEPT_LANGUAGE="en")

    assert "Propose an idea" in english_in(response)

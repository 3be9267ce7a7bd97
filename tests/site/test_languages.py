"""The member's language: the switcher (with and without JavaScript), the profile
choice that wins over the cookie and the browser, and the language of what the
site writes to a member. French is told by the site's own French strings (the
catalogue in locale/), allauth's and Django's, or by the language active while
an email is rendered."""

from __future__ import annotations

import datetime
import re

import pytest
from django.core import mail
from django.utils import timezone, translation

from cocreate.members import sanctions
from cocreate.members.models import User
from cocreate.notifications import services as notification_services
from cocreate.notifications.models import Notification
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

FRENCH_LOGIN = "Connexion"  # allauth's French for its log-in page's title


def lang_of(response) -> str:
    match = re.search(r'<html lang="([^"]+)"', response.content.decode())
    assert match, "the page has no <html lang>"
    return match.group(1)


def switch(client, language: str, next_url: str = "/accounts/login/"):
    return client.post("/i18n/setlang/", {"language": language, "next": next_url})


# The switcher ---------------------------------------------------------------


def test_the_switcher_is_in_the_header_and_footer_in_each_languages_own_words(
    client,
):
    html = client.get("/accounts/login/?next=/ideas/").content.decode()

    assert html.count('action="/i18n/setlang/"') == 2
    assert 'id="language-header"' in html and 'id="language-footer"' in html
    assert ">English</option>" in html and ">Français</option>" in html
    assert 'name="csrfmiddlewaretoken"' in html
    # Back to this very page, query string included (escaped in the attribute).
    assert 'name="next" value="/accounts/login/?next=/ideas/"' in html
    # The button is there for browsers without JavaScript; a script hides it.
    assert "data-hidden-with-js" in html and "js/language.js" in html


def test_without_javascript_a_plain_post_switches_the_next_page_to_french(client):
    assert lang_of(client.get("/accounts/login/")) == "en"

    response = switch(client, "fr")

    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/"
    assert response.cookies["django_language"].value == "fr"
    page = client.get(response["Location"])
    assert lang_of(page) == "fr"
    assert FRENCH_LOGIN in page.content.decode()
    assert '<option value="fr" lang="fr" selected>' in page.content.decode()


def test_the_switch_needs_a_csrf_token(alice):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    strict.force_login(alice)
    assert switch(strict, "fr").status_code == 403
    alice.refresh_from_db()
    assert alice.language == ""


def test_an_unknown_language_or_a_foreign_next_changes_nothing(client):
    response = client.post(
        "/i18n/setlang/", {"language": "xx", "next": "https://evil.example/"}
    )

    assert response.status_code == 302
    assert response["Location"] == "/"
    assert "django_language" not in response.cookies


def test_the_anonymous_cookie_wins_over_the_browser(client):
    client.cookies["django_language"] = "fr"

    page = client.get("/accounts/login/", headers={"accept-language": "en"})

    assert lang_of(page) == "fr"


def test_the_browser_language_is_followed_without_a_choice(client, alice):
    assert lang_of(client.get("/accounts/login/", HTTP_ACCEPT_LANGUAGE="fr")) == "fr"
    client.force_login(alice)  # no language chosen: the browser still decides
    assert lang_of(client.get("/ideas/", HTTP_ACCEPT_LANGUAGE="fr-CA,fr")) == "fr"


def test_a_member_who_switches_keeps_the_language_in_their_profile(client, alice):
    client.force_login(alice)

    switch(client, "fr", "/ideas/")

    alice.refresh_from_db()
    assert alice.language == "fr"


def test_the_members_choice_wins_over_the_cookie_and_the_browser(client, alice):
    alice.language = "fr"
    alice.save()
    client.force_login(alice)
    client.cookies["django_language"] = "en"

    page = client.get("/ideas/", HTTP_ACCEPT_LANGUAGE="en")

    assert lang_of(page) == "fr"
    assert page["Content-Language"] == "fr"


def test_switching_too_often_is_refused_in_words(client, alice, settings):
    settings.COCREATE_RATE_LIMITS = {
        **settings.COCREATE_RATE_LIMITS,
        "language": "1/3600",
    }
    client.force_login(alice)
    switch(client, "fr", "/ideas/")

    response = switch(client, "en", "/ideas/")

    assert response.status_code == 302 and response["Location"] == "/ideas/"
    alice.refresh_from_db()
    assert alice.language == "fr"
    page = client.get("/ideas/").content.decode()
    assert lang_of(client.get("/ideas/")) == "fr"
    assert "Trop de modifications en peu de temps" in page


# The profile ----------------------------------------------------------------


def test_the_profile_form_offers_the_languages_and_saves_the_choice(client, alice):
    client.force_login(alice)
    form = client.get("/members/settings/").content.decode()
    assert 'name="language"' in form
    assert ">Français</option>" in form

    response = client.post(
        "/members/settings/", {"display_name": "Alice", "language": "fr"}
    )

    assert response.status_code == 302
    alice.refresh_from_db()
    assert alice.language == "fr"
    assert lang_of(client.get(response["Location"])) == "fr"
    client.post("/members/settings/", {"display_name": "Alice", "language": ""})
    alice.refresh_from_db()
    assert alice.language == ""


def test_an_odd_language_in_the_profile_form_is_refused_and_keeps_the_name(
    client, alice
):
    client.force_login(alice)

    response = client.post(
        "/members/settings/", {"display_name": "Alicia", "language": "klingon"}
    )

    assert response.status_code == 200
    html = response.content.decode()
    assert "Select a valid choice" in html and 'value="Alicia"' in html
    alice.refresh_from_db()
    assert alice.language == "" and alice.display_name == "Alice"


def test_signing_up_remembers_the_language_of_the_sign_up_page(client):
    password = "a-long-and-unusual-passphrase-42"
    client.cookies["django_language"] = "fr"

    client.post(
        "/accounts/signup/",
        {
            "email": "dana@example.com",
            "display_name": "Dana",
            "password1": password,
            "password2": password,
        },
    )

    assert User.objects.get(email="dana@example.com").language == "fr"
    (message,) = mail.outbox  # the confirmation, in French (allauth's own words)
    assert "Confirmez votre adresse e-mail" in message.subject


# What the site writes to a member --------------------------------------------


@pytest.fixture
def french_member(db):
    return UserFactory(email="fleur@example.com", display_name="Fleur", language="fr")


@pytest.fixture
def english_moderator(moderator):
    moderator.language = "en"
    moderator.save()
    return moderator


def test_a_french_member_reads_an_english_moderators_sanction_in_french(
    french_member, english_moderator, monkeypatch, django_capture_on_commit_callbacks
):
    rendered_in = []
    real_render = notification_services.render_to_string

    def render(template, context):
        rendered_in.append(translation.get_language())
        return real_render(template, context)

    monkeypatch.setattr(notification_services, "render_to_string", render)
    until = timezone.make_aware(datetime.datetime(2027, 3, 15, 9, 30))

    with translation.override("en"), django_capture_on_commit_callbacks(execute=True):
        sanctions.sanction(
            actor=english_moderator,
            member=french_member,
            kind="suspension",
            reason="Spam",
            until=until,
        )

    # Stored in her language: Django's French date ("15 mars 2027 09:30").
    notice = Notification.objects.get(recipient=french_member)
    assert "15 mars 2027" in notice.title
    (message,) = mail.outbox
    assert message.to == ["fleur@example.com"]
    assert "15 mars 2027" in message.subject
    assert "Votre compte est suspendu jusqu’au 15 mars 2027" in notice.title
    assert rendered_in and set(rendered_in) == {"fr"}


def test_each_recipient_of_one_event_reads_it_in_their_own_language(
    french_member, alice, english_moderator, django_capture_on_commit_callbacks
):
    until = timezone.make_aware(datetime.datetime(2027, 3, 15, 9, 30))
    with translation.override("fr"), django_capture_on_commit_callbacks(execute=True):
        sanctions.sanction(
            actor=english_moderator,
            member=alice,
            kind="suspension",
            reason="Spam",
            until=until,
        )
    # The French-speaking moderator's request: Alice, who chose nothing, reads
    # the site's language.
    assert "March 15, 2027" in Notification.objects.get(recipient=alice).title


def test_a_localized_message_carries_every_language_through_a_task():
    message = notification_services.localized(
        lambda: notification_services.Message(
            "points", translation.get_language(), "", "/rewards/"
        )
    )

    assert message.title == "en"
    assert message.in_language("fr").title == "fr"
    assert message.in_language("de").title == "en"


def test_privacy_emails_use_the_members_language(french_member):
    from cocreate.privacy.emails import member_language

    assert member_language(french_member) == "fr"
    assert member_language(UserFactory(language="")) == "en"


def test_a_password_reset_asked_from_an_english_page_is_in_her_language(
    client, french_member
):
    from allauth.account.models import EmailAddress

    EmailAddress.objects.get_or_create(
        user=french_member, email=french_member.email, verified=True, primary=True
    )

    client.post(
        "/accounts/password/reset/",
        {"email": french_member.email},
        HTTP_ACCEPT_LANGUAGE="en",
    )

    (message,) = mail.outbox
    assert "E-mail de réinitialisation de mot de passe" in message.subject


@pytest.fixture
def rendered_in(monkeypatch):
    """The language active each time a notification email is rendered."""
    languages = []
    real_render = notification_services.render_to_string

    def render(template, context):
        languages.append(translation.get_language())
        return real_render(template, context)

    monkeypatch.setattr(notification_services, "render_to_string", render)
    return languages


def test_an_english_product_team_members_status_change_emails_her_in_french(
    client, idea, alice, product, rendered_in, django_capture_on_commit_callbacks
):
    alice.language = "fr"
    alice.save()
    product.language = "en"
    product.save()
    client.force_login(product)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/ideas/{idea.pk}/status/",
            {"status-status": "shortlisted", "status-note": "On our list"},
            HTTP_ACCEPT_LANGUAGE="en",
        )

    assert response.status_code == 302
    (message,) = [m for m in mail.outbox if m.to == [alice.email]]
    assert rendered_in and set(rendered_in) == {"fr"}
    assert "On our list" in message.body  # the team's own words, as written
    # The site's words in hers: the subject and the status from the catalogue.
    assert "Nouveau statut de «\u00a0" in message.subject
    assert "Présélectionnée" in message.subject


def test_each_members_digest_is_in_their_language(
    idea, alice, bob, charlie, rendered_in
):
    from ideas import discussion

    bob.language = "fr"
    bob.save()
    for member in (alice, bob):
        notification_services.set_preferences(
            member=member, channels={"reply": "digest"}
        )
    for member in (alice, bob):
        top = discussion.post_comment(author=member, idea=idea, body="Hi")
        discussion.post_comment(author=charlie, idea=idea, parent=top, body="Yo")

    with translation.override("en"):
        assert notification_services.send_digests() == 2

    by_recipient = dict(
        zip([m.to[0] for m in mail.outbox], rendered_in[::2], strict=True)
    )
    assert by_recipient == {alice.email: "en", bob.email: "fr"}

"""Consent per purpose: versioned terms accepted at sign-up and again before
contributing, and opt-ins recorded one change at a time."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse
from wagtail.models import Page

from cocreate.members import consents
from cocreate.members.models import (
    ConsentRecord,
    ConsentSource,
    LegalVersion,
    Purpose,
    User,
)
from cocreate.pages.models import LegalPage
from ideas import discussion, posting, voting
from ideas.models import Comment, Support
from tests.factories import IdeaFactory

pytestmark = pytest.mark.django_db

PASSWORD = "a-long-and-unusual-passphrase-42"


def publish_legal(home_page, *, kind, version, slug=None, requires=True, title=None):
    """Publish a legal page (a new page, or a new revision of the one at ``slug``)."""
    slug = slug or kind
    page = LegalPage.objects.child_of(home_page).filter(slug=slug).first()
    if page is None:
        page = LegalPage(
            title=title or ("Terms of use" if kind == "terms" else "Privacy policy"),
            slug=slug,
            kind=kind,
            version=version,
            requires_acceptance=requires,
        )
        Page.objects.get(pk=home_page.pk).add_child(instance=page)
    else:
        page = page.specific
        page.version = version
        page.requires_acceptance = requires
    page.save_revision().publish()
    return page


@pytest.fixture
def legal(home_page):
    """Terms and privacy policy, version 1."""
    publish_legal(home_page, kind="terms", version="1")
    publish_legal(home_page, kind="privacy", version="1")
    return home_page


def sign_up(client, **fields):
    data = {
        "email": "dana@example.com",
        "display_name": "Dana",
        "password1": PASSWORD,
        "password2": PASSWORD,
        **fields,
    }
    return client.post("/accounts/signup/", data)


class TestSignUp:
    def test_the_form_asks_to_accept_the_terms_with_links(self, client, legal):
        html = client.get("/accounts/signup/").content.decode()

        assert 'name="accept_terms"' in html
        assert 'href="/terms/"' in html
        assert 'href="/privacy/"' in html
        for purpose in ("contact", "research", "marketing"):
            assert f'name="consent_{purpose}"' in html

    def test_without_the_box_it_is_refused_and_keeps_what_was_typed(
        self, client, legal
    ):
        response = sign_up(client, display_name="Dana the Runner")

        assert response.status_code == 200
        html = response.content.decode()
        assert "Please accept the terms of use and the privacy policy" in html
        assert 'value="Dana the Runner"' in html
        assert 'value="dana@example.com"' in html
        assert not User.objects.filter(email="dana@example.com").exists()

    def test_acceptance_is_recorded_with_time_and_version(self, client, legal):
        response = sign_up(client, accept_terms="on", consent_research="on")

        assert response.status_code == 302
        dana = User.objects.get(email="dana@example.com")
        records = {
            (r.purpose, r.granted, r.version, r.source)
            for r in ConsentRecord.objects.filter(member=dana)
        }
        assert records == {
            ("terms", True, "1", "signup"),
            ("privacy", True, "1", "signup"),
            ("research", True, "", "signup"),
        }
        assert dana.research_consent and not dana.marketing_consent
        assert not dana.contact_consent
        assert not dana.terms_pending
        assert all(
            r.created_at is not None for r in ConsentRecord.objects.filter(member=dana)
        )

    def test_without_legal_pages_there_is_nothing_to_accept(self, client):
        assert (
            'name="accept_terms"'
            not in client.get("/accounts/signup/").content.decode()
        )
        assert sign_up(client).status_code == 302

    def test_social_sign_ups_go_through_the_form(self, settings):
        assert settings.SOCIALACCOUNT_AUTO_SIGNUP is False


class TestNewVersion:
    @pytest.fixture
    def updated(self, legal, alice, bob):
        consents.accept_legal(member=alice, source=ConsentSource.SIGNUP)
        idea = IdeaFactory(author=bob)
        publish_legal(legal, kind="terms", version="2")
        alice.refresh_from_db()
        return idea

    def test_it_asks_every_member_again(self, updated, alice, bob):
        assert alice.terms_pending
        assert User.objects.get(pk=bob.pk).terms_pending

    def test_services_refuse_contributions_until_accepted(self, updated, alice):
        with pytest.raises(consents.TermsNotAccepted):
            voting.support(member=alice, idea=updated)
        with pytest.raises(consents.TermsNotAccepted):
            discussion.post_comment(author=alice, idea=updated, body="Nice")
        with pytest.raises(consents.TermsNotAccepted):
            posting.create_idea(author=alice, title="T", description="D")
        assert not Support.objects.exists() and not Comment.objects.exists()

    def test_staff_answer_officially_but_contribute_as_members_only_after_accepting(
        self, moderator, updated
    ):
        """Official answers speak for the brand, under the staff's contract, not
        the members' terms: the gate does not hold them back."""
        moderator.refresh_from_db()
        assert moderator.terms_pending

        answer = discussion.post_official_answer(
            author=moderator, idea=updated, body="We are on it."
        )

        assert answer.is_official
        with pytest.raises(consents.TermsNotAccepted):
            discussion.post_comment(author=moderator, idea=updated, body="Me too")

    def test_supporting_redirects_to_the_terms_then_back(
        self, updated, alice, alice_client
    ):
        idea_url = updated.get_absolute_url()
        response = alice_client.post(
            reverse("ideas:support", args=[updated.pk]), headers={"Referer": idea_url}
        )

        assert response.status_code == 302
        assert response["Location"].startswith(reverse("members:accept_terms"))
        assert f"next={idea_url.replace('/', '%2F')}" in response["Location"]
        page = alice_client.get(response["Location"])
        html = page.content.decode()
        assert "We updated our terms" in html
        assert f'name="next" value="{idea_url}"' in html
        assert not Support.objects.exists()

        refused = alice_client.post(reverse("members:accept_terms"), {"next": idea_url})
        assert refused.status_code == 200
        assert "Please tick the box" in refused.content.decode()

        accepted = alice_client.post(
            reverse("members:accept_terms"), {"next": idea_url, "accept": "on"}
        )
        assert accepted.status_code == 302
        assert accepted["Location"] == idea_url
        record = ConsentRecord.objects.filter(member=alice, purpose="terms").first()
        assert (record.version, record.source) == ("2", "reaccept")

        again = alice_client.post(reverse("ideas:support", args=[updated.pk]))
        assert again.status_code == 302
        assert Support.objects.filter(member=alice, idea=updated).exists()

    def test_htmx_is_told_to_load_the_terms_page(self, updated, alice_client):
        response = alice_client.post(
            reverse("ideas:support", args=[updated.pk]),
            headers={
                "HX-Request": "true",
                "HX-Current-URL": "http://testserver/ideas/",
            },
        )

        assert response.status_code == 204
        assert response["HX-Redirect"].startswith(reverse("members:accept_terms"))
        assert "next=%2Fideas%2F" in response["HX-Redirect"]

    def test_the_idea_form_is_not_shown_before_accepting(self, updated, alice_client):
        response = alice_client.get(reverse("ideas:create"))

        assert response.status_code == 302
        assert "next=%2Fideas%2Fnew%2F" in response["Location"]

    def test_pages_say_so_and_the_comment_form_points_there(
        self, updated, alice_client
    ):
        html = alice_client.get(updated.get_absolute_url()).content.decode()

        assert "We updated our terms of use and privacy policy" in html
        assert "accept them to join the conversation" in html

    def test_a_version_that_asks_nothing_leaves_members_alone(self, legal, alice):
        consents.accept_legal(member=alice, source=ConsentSource.SIGNUP)
        publish_legal(legal, kind="privacy", version="1.1", requires=False)

        assert not User.objects.get(pk=alice.pk).terms_pending
        assert LegalVersion.objects.filter(kind="privacy").count() == 2

    def test_publishing_the_same_version_again_asks_nothing(self, legal, alice):
        consents.accept_legal(member=alice, source=ConsentSource.SIGNUP)
        publish_legal(legal, kind="terms", version="1")

        assert not User.objects.get(pk=alice.pk).terms_pending

    def test_next_cannot_leave_the_site(self, updated, alice_client):
        response = alice_client.post(
            reverse("members:accept_terms"),
            {"next": "https://evil.example/", "accept": "on"},
        )

        assert response["Location"] == "/"

    def test_the_page_needs_a_login(self, client, legal):
        response = client.get(reverse("members:accept_terms"))

        assert response.status_code == 302
        assert "/accounts/login/" in response["Location"]


class TestOptIns:
    def test_the_page_shows_each_opt_in_off_until_ticked(self, alice_client, alice):
        html = alice_client.get(reverse("members:consents")).content.decode()

        for purpose in ("contact", "research", "marketing"):
            assert f'name="consent_{purpose}"' in html
            assert not re.search(rf'name="consent_{purpose}"[^>]* checked', html)
        assert "The brand team may email me about my ideas" in html
        assert "Your email address is never shown publicly." in html

    def test_every_change_is_recorded_and_no_change_is_not(self, alice_client, alice):
        url = reverse("members:consents")
        alice_client.post(url, {"consent_contact": "on", "consent_marketing": "on"})
        alice_client.post(url, {"consent_contact": "on", "consent_marketing": "on"})
        alice_client.post(url, {"consent_contact": "on"})

        alice.refresh_from_db()
        assert alice.contact_consent and not alice.marketing_consent
        records = list(
            ConsentRecord.objects.filter(member=alice)
            .order_by("created_at", "id")
            .values_list("purpose", "granted", "source")
        )
        assert records == [
            ("contact", True, "settings"),
            ("marketing", True, "settings"),
            ("marketing", False, "settings"),
        ]
        record = ConsentRecord.objects.filter(purpose="contact").get()
        assert "may email me about my ideas" in record.text
        html = alice_client.get(url).content.decode()
        assert re.search(r'name="consent_contact"[^>]* checked', html)
        assert "Withdrawn" in html

    def test_has_consent_reads_the_member(self, alice):
        assert not consents.has_consent(alice, Purpose.RESEARCH)
        consents.set_consent(
            member=alice,
            purpose=Purpose.RESEARCH,
            granted=True,
            source=ConsentSource.ADMIN,
        )
        assert consents.has_consent(alice, Purpose.RESEARCH)
        assert not consents.has_consent(None, Purpose.RESEARCH)
        with pytest.raises(ValueError):
            consents.has_consent(alice, "terms")

    def test_a_change_is_in_the_audit_log(self, alice):
        from wagtail.models import ModelLogEntry

        consents.set_consent(
            member=alice, purpose="contact", granted=True, source="settings"
        )

        entry = ModelLogEntry.objects.get(action="cocreate.member.consent")
        assert entry.data == {
            "purpose": "contact",
            "granted": True,
            "source": "settings",
        }

    def test_the_page_needs_a_login(self, client):
        response = client.get(reverse("members:consents"))

        assert response.status_code == 302

    def test_odd_input_is_no_error(self, alice_client, alice):
        response = alice_client.post(
            reverse("members:consents"), {"consent_contact": "\x00" * 10}
        )

        assert response.status_code in (200, 302)


def test_a_member_who_accepted_sees_the_versions_and_a_post_goes_back(
    legal, alice, alice_client
):
    consents.accept_legal(member=alice, source=ConsentSource.SIGNUP)

    page = alice_client.get(reverse("members:accept_terms") + "?next=/ideas/")
    assert page.status_code == 200
    assert "You have accepted the current versions." in page.content.decode()
    again = alice_client.post(
        reverse("members:accept_terms"), {"next": "/ideas/", "accept": "on"}
    )
    assert again["Location"] == "/ideas/"
    assert ConsentRecord.objects.filter(member=alice).count() == 2


class TestYourDataAndChoices:
    """Footer links to the current legal texts; the account pages link each other."""

    def footer(self, html: str) -> str:
        return html[html.index('class="site-footer"') :]

    def test_every_page_links_the_current_terms_and_privacy_policy(self, client, legal):
        footer = self.footer(client.get("/ideas/").content.decode())

        terms, privacy = consents.current_legal_versions()
        assert f'href="{terms.url}">Terms of use</a>' in footer
        assert f'href="{privacy.url}">Privacy policy</a>' in footer
        assert reverse("privacy:home") not in footer  # visitors have no data page

    def test_members_also_find_their_data_and_choices(self, alice_client, legal):
        footer = self.footer(alice_client.get("/ideas/").content.decode())

        assert f'href="{reverse("privacy:home")}">Your data and choices' in footer

    def test_the_links_cost_no_query_once_cached(
        self, client, legal, django_assert_num_queries
    ):
        assert consents.legal_links()
        with django_assert_num_queries(0):
            assert len(consents.legal_links()) == 2

    def test_a_new_version_replaces_the_link(
        self, client, legal, django_capture_on_commit_callbacks
    ):
        consents.legal_links()  # cached
        with django_capture_on_commit_callbacks(execute=True):
            publish_legal(
                legal, kind="terms", version="2", slug="terms-2", title="New terms"
            )

        footer = self.footer(client.get("/ideas/").content.decode())
        assert ">New terms</a>" in footer
        assert ">Terms of use</a>" not in footer

    def test_without_legal_pages_a_visitor_sees_no_links(self, client):
        assert 'class="footer-links"' not in client.get("/ideas/").content.decode()

    def test_the_account_menu_has_consents_and_privacy(self, alice_client):
        html = alice_client.get(reverse("members:edit")).content.decode()
        menu = html[html.index('class="account-nav"') :]

        assert f'href="{reverse("members:consents")}"' in menu
        assert f'href="{reverse("privacy:home")}"' in menu

    def test_the_consents_and_privacy_pages_link_each_other(self, alice_client):
        def main(url: str) -> str:
            html = alice_client.get(url).content.decode()
            return html[html.index("<h1") : html.index('class="account-nav"')]

        assert f'href="{reverse("privacy:home")}"' in main(reverse("members:consents"))
        assert f'href="{reverse("members:consents")}"' in main(reverse("privacy:home"))


class TestLayout:
    def test_the_sign_up_boxes_read_as_sentences(self, client, legal):
        html = client.get("/accounts/signup/").content.decode()

        assert "about my ideas</label>" in html
        assert "about my ideas:</label>" not in html
        assert "Privacy policy</a>.</label>" in html

    def test_the_terms_page_does_not_also_show_the_notice(
        self, alice, alice_client, legal
    ):
        User.objects.filter(pk=alice.pk).update(terms_pending=True)

        on_terms = alice_client.get(reverse("members:accept_terms")).content.decode()
        elsewhere = alice_client.get(reverse("members:consents")).content.decode()

        assert "Read and accept them</a>" not in on_terms
        assert "Read and accept them</a>" in elsewhere

    def test_the_history_scrolls_on_a_phone_rather_than_the_page(
        self, alice, alice_client
    ):
        consents.set_consent(
            member=alice, purpose=Purpose.CONTACT, granted=True, source="settings"
        )
        html = alice_client.get(reverse("members:consents")).content.decode()

        assert '<div class="table-wrap">\n<table class="ledger">' in html

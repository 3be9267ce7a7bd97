"""Members' public profiles and their own settings."""

from __future__ import annotations

import io
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from cocreate.members.models import User
from ideas import discussion
from ideas.models import IdeaStatus
from tests.factories import CommentFactory, IdeaFactory, jpeg_with_exif
from tests.ideas.test_posting import FailingStorage

pytestmark = pytest.mark.django_db


class TestProfile:
    def test_it_shows_the_members_ideas_and_comments(self, client, alice, bob):
        IdeaFactory(author=alice, title="Alice's shoes")
        other = IdeaFactory(author=bob, title="Bob's tent")
        discussion.post_comment(author=alice, idea=other, body="Nice *tent*")
        IdeaFactory(author=bob, title="Not hers")

        response = client.get(f"/members/{alice.pk}/")

        html = response.content.decode()
        assert response.status_code == 200
        assert "<h1>Alice</h1>" in html
        assert "Alice&#x27;s shoes" in html
        assert "Nice <em>tent</em>" in html
        assert "Bob&#x27;s tent" in html  # the comment links to its idea
        assert "Not hers" not in html

    def test_it_never_shows_the_email_address(self, client, alice):
        html = client.get(f"/members/{alice.pk}/").content.decode()

        assert "alice@example.com" not in html

    def test_pending_ideas_show_only_to_their_author(self, client, alice):
        IdeaFactory(author=alice, title="Waiting idea", status=IdeaStatus.PENDING)

        anonymous = client.get(f"/members/{alice.pk}/").content.decode()
        client.force_login(alice)
        own = client.get(f"/members/{alice.pk}/").content.decode()

        assert "Waiting idea" not in anonymous
        assert "Waiting idea" in own

    def test_removed_comments_and_comments_on_hidden_ideas_are_left_out(
        self, client, alice, bob
    ):
        idea = IdeaFactory(author=bob)
        removed = discussion.post_comment(author=alice, idea=idea, body="Regret")
        discussion.remove_comment(actor=alice, comment=removed)
        hidden = IdeaFactory(author=bob, status=IdeaStatus.HIDDEN)
        CommentFactory(idea=hidden, author=alice, body="On a hidden idea")

        html = client.get(f"/members/{alice.pk}/").content.decode()

        assert "Regret" not in html
        assert "On a hidden idea" not in html

    def test_an_inactive_member_is_404(self, client, alice):
        User.objects.filter(pk=alice.pk).update(is_active=False)

        assert client.get(f"/members/{alice.pk}/").status_code == 404

    def test_the_owner_gets_a_link_to_edit(self, alice_client, alice):
        html = alice_client.get(f"/members/{alice.pk}/").content.decode()

        assert 'href="/members/settings/"' in html


class TestSettings:
    def test_anonymous_visitors_are_sent_to_log_in(self, client):
        response = client.get("/members/settings/")

        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/")

    def test_the_form_shows_the_current_name(self, alice_client):
        response = alice_client.get("/members/settings/")

        assert 'value="Alice"' in response.content.decode()

    def test_a_member_changes_the_display_name(self, alice_client, alice):
        response = alice_client.post(
            "/members/settings/", {"display_name": "  Alice B.  "}
        )

        assert response.status_code == 302
        assert response["Location"] == f"/members/{alice.pk}/"
        assert User.objects.get(pk=alice.pk).display_name == "Alice B."

    def test_a_blank_display_name_is_refused(self, alice_client, alice):
        response = alice_client.post("/members/settings/", {"display_name": "  "})

        assert response.status_code == 200
        assert "This field is required" in response.content.decode()
        assert User.objects.get(pk=alice.pk).display_name == "Alice"

    def test_an_avatar_is_stored_square_and_without_exif(self, alice_client, alice):
        response = alice_client.post(
            "/members/settings/",
            {"display_name": "Alice", "avatar": jpeg_with_exif(size=(300, 200))},
        )

        assert response.status_code == 302
        member = User.objects.get(pk=alice.pk)
        # A random name: neither the member's id nor "exif.jpg" shows.
        assert re.fullmatch(r"avatars/([\w-]{2})/\1[\w-]{22}\.jpg", member.avatar.name)
        with member.avatar.open("rb") as stored_file:
            stored = Image.open(io.BytesIO(stored_file.read()))
        assert stored.size == (256, 256)
        assert stored.format == "JPEG"
        assert not stored.getexif()
        page = alice_client.get(f"/members/{alice.pk}/").content.decode()
        assert member.avatar.url in page

    def test_a_new_avatar_replaces_the_old_file(
        self, alice_client, alice, django_capture_on_commit_callbacks
    ):
        alice_client.post(
            "/members/settings/", {"display_name": "Alice", "avatar": jpeg_with_exif()}
        )
        old = User.objects.get(pk=alice.pk).avatar
        old_name, storage = old.name, old.storage

        with django_capture_on_commit_callbacks(execute=True):
            alice_client.post(
                "/members/settings/",
                {"display_name": "Alice", "avatar": jpeg_with_exif("new.jpg")},
            )

        assert User.objects.get(pk=alice.pk).avatar.name != old_name
        assert not storage.exists(old_name)

    def test_a_file_that_is_not_an_image_is_refused_in_words(self, alice_client, alice):
        fake = SimpleUploadedFile("me.jpg", b"not really a picture", "image/jpeg")

        response = alice_client.post(
            "/members/settings/", {"display_name": "Alice B.", "avatar": fake}
        )

        html = response.content.decode()
        assert response.status_code == 200
        assert "Upload a valid image." in html
        assert 'value="Alice B."' in html
        member = User.objects.get(pk=alice.pk)
        assert member.display_name == "Alice"
        assert not member.avatar

    def test_a_damaged_image_is_refused_in_words(self, alice_client, alice):
        buffer = io.BytesIO()
        Image.effect_noise((200, 200), 60).convert("RGB").save(buffer, "JPEG")
        cut = buffer.getvalue()[: len(buffer.getvalue()) // 2]

        response = alice_client.post(
            "/members/settings/",
            {"display_name": "Alice", "avatar": SimpleUploadedFile("me.jpg", cut)},
        )

        assert "me.jpg is damaged or incomplete" in response.content.decode()
        assert not User.objects.get(pk=alice.pk).avatar


def stored_files(settings) -> set[str]:
    media = settings.MEDIA_ROOT
    return {str(path.relative_to(media)) for path in media.rglob("*") if path.is_file()}


@pytest.fixture
def failing_storage(settings):
    """From now on, the media storage fails as a full disk does."""

    def fail() -> None:
        settings.STORAGES = {
            **settings.STORAGES,
            "default": {"BACKEND": f"{FailingStorage.__module__}.FailingStorage"},
        }

    return fail


class TestAvatarStorageFailure:
    def test_the_form_says_so_keeps_what_was_typed_and_saves_nothing(
        self, alice_client, alice, settings, failing_storage
    ):
        failing_storage()

        response = alice_client.post(
            "/members/settings/",
            {
                "display_name": "Alice B.",
                "avatar": jpeg_with_exif(),
            },
        )

        html = response.content.decode()
        assert response.status_code == 200
        assert "We could not store your picture just now" in html
        assert "your profile was not saved" in html
        assert "Please choose the picture again" in html
        assert 'value="Alice B."' in html
        member = User.objects.get(pk=alice.pk)
        assert member.display_name == "Alice"
        assert not member.avatar
        assert stored_files(settings) == set()

    def test_a_failed_replacement_keeps_the_old_avatar(
        self, alice_client, alice, settings, failing_storage
    ):
        alice_client.post(
            "/members/settings/", {"display_name": "Alice", "avatar": jpeg_with_exif()}
        )
        old_name = User.objects.get(pk=alice.pk).avatar.name
        failing_storage()

        response = alice_client.post(
            "/members/settings/",
            {"display_name": "Alice", "avatar": jpeg_with_exif("new.jpg")},
        )

        assert response.status_code == 200
        assert User.objects.get(pk=alice.pk).avatar.name == old_name
        assert stored_files(settings) == {old_name}

    def test_a_name_is_never_used_twice(
        self, alice_client, alice, django_capture_on_commit_callbacks
    ):
        names = []
        for n in range(3):
            with django_capture_on_commit_callbacks(execute=True):
                alice_client.post(
                    "/members/settings/",
                    {"display_name": "Alice", "avatar": jpeg_with_exif(f"{n}.jpg")},
                )
            names.append(User.objects.get(pk=alice.pk).avatar.name)

        # The first file is gone once the second replaced it; its name stays unused.
        assert len(set(names)) == 3


def test_the_profile_links_to_the_consents(alice_client):
    html = alice_client.get("/members/settings/").content.decode()

    assert 'name="contact_consent"' not in html
    assert 'href="/members/consents/"' in html

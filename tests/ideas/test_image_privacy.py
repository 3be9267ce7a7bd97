"""Idea images: private files under random names, served by ``ideas:image`` only
to those who may see the idea, with cache headers to match."""

from __future__ import annotations

import pytest
from django.test import Client

from ideas import posting
from ideas.models import IdeaImage, IdeaStatus
from ideas.moderation import services as moderation
from tests.factories import image_upload

pytestmark = pytest.mark.django_db


def idea_with_image(author, status=IdeaStatus.PUBLISHED):
    idea = posting.create_idea(
        author=author,
        title="Lights",
        description="Shoes with lights",
        images=[image_upload("alice-holiday.jpg")],
    )
    if status != idea.status:
        idea.status = status
        idea.save(update_fields=["status"])
    return idea, idea.images.get()


def client_for(user) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


@pytest.fixture
def personas(alice, charlie, moderator):
    return {"anonymous": None, "author": alice, "other": charlie, "mod": moderator}


# Who sees an idea's image, by the idea's status: everybody while it is public;
# its author and the moderators otherwise (``can_view_idea``).
MATRIX = [
    (IdeaStatus.PUBLISHED, {"anonymous", "author", "other", "mod"}),
    (IdeaStatus.PENDING, {"author", "mod"}),
    (IdeaStatus.HIDDEN, {"author", "mod"}),
]


class TestWhoSeesTheImage:
    @pytest.mark.parametrize(("status", "allowed"), MATRIX)
    @pytest.mark.parametrize("persona", ["anonymous", "author", "other", "mod"])
    @pytest.mark.parametrize("rendition", ["full", "thumb"])
    def test_the_permission_matrix(
        self, personas, alice, status, allowed, persona, rendition
    ):
        idea, image = idea_with_image(alice, status)

        response = client_for(personas[persona]).get(image.url(rendition))

        if persona in allowed:
            assert response.status_code == 200
            body = b"".join(response.streaming_content)
            assert body.startswith(b"\xff\xd8")  # a JPEG
            assert response["Content-Type"] == "image/jpeg"
        else:
            assert response.status_code == 404
            assert "no-store" in response["Cache-Control"]

    def test_a_public_image_is_cached_long_and_publicly(self, alice, settings):
        settings.COCREATE_IDEA_IMAGE_MAX_AGE = 3600
        _idea, image = idea_with_image(alice)

        response = Client().get(image.thumbnail_url)

        cache_control = response["Cache-Control"]
        assert "public" in cache_control
        assert "max-age=3600" in cache_control

    def test_a_pending_image_is_never_stored(self, alice):
        _idea, image = idea_with_image(alice, IdeaStatus.PENDING)

        response = client_for(alice).get(image.full_url)

        assert response.status_code == 200
        assert "private" in response["Cache-Control"]
        assert "no-store" in response["Cache-Control"]
        assert "public" not in response["Cache-Control"]

    def test_hiding_an_idea_makes_its_images_unreachable_at_the_same_url(
        self, alice, moderator
    ):
        idea, image = idea_with_image(alice)
        urls = [image.full_url, image.thumbnail_url]
        assert [Client().get(url).status_code for url in urls] == [200, 200]

        moderation.hide(actor=moderator, content=idea, reason="Personal data")

        assert [Client().get(url).status_code for url in urls] == [404, 404]
        assert client_for(moderator).get(urls[0]).status_code == 200

    def test_an_image_of_another_idea_or_an_unknown_rendition_is_a_404(self, alice):
        idea, image = idea_with_image(alice)
        other, _other_image = idea_with_image(alice)
        client = Client()

        assert client.get(f"/ideas/{other.pk}/images/{image.pk}/full").status_code == (
            404
        )
        assert client.get(f"/ideas/{idea.pk}/images/{image.pk}/raw").status_code == 404
        assert client.get(f"/ideas/{idea.pk}/images/999999/full").status_code == 404

    def test_a_missing_file_is_a_404_not_a_500(self, alice):
        _idea, image = idea_with_image(alice)
        image.image.storage.delete(image.image.name)

        assert Client().get(image.full_url).status_code == 404


class TestInProduction:
    def test_nginx_serves_the_file_from_its_internal_location(self, alice, settings):
        settings.PRIVATE_MEDIA_ACCEL_PREFIX = "/_private-media/"
        _idea, image = idea_with_image(alice, IdeaStatus.PENDING)

        response = client_for(alice).get(image.full_url)

        assert response.status_code == 200
        assert response["X-Accel-Redirect"] == f"/_private-media/{image.image.name}"
        assert response.content == b""
        assert response["Content-Type"] == "image/jpeg"
        assert "no-store" in response["Cache-Control"]

    def test_nginx_is_not_asked_for_an_idea_the_visitor_may_not_see(
        self, alice, settings
    ):
        settings.PRIVATE_MEDIA_ACCEL_PREFIX = "/_private-media/"
        _idea, image = idea_with_image(alice, IdeaStatus.HIDDEN)

        response = Client().get(image.full_url)

        assert response.status_code == 404
        assert not response.has_header("X-Accel-Redirect")


class TestStoredFiles:
    def test_files_live_outside_the_public_media_folder(self, alice, settings):
        _idea, image = idea_with_image(alice)

        for field in (image.image, image.thumbnail):
            assert (settings.PRIVATE_MEDIA_ROOT / field.name).is_file()
            assert not (settings.MEDIA_ROOT / field.name).exists()
            assert Client().get(f"/media/{field.name}").status_code == 404

    def test_names_reveal_neither_the_idea_the_author_nor_the_upload(self, alice):
        idea, image = idea_with_image(alice)

        for name in (image.image.name, image.thumbnail.name):
            assert "alice" not in name
            assert f"/{idea.pk}/" not in name
            assert f"-{idea.pk}-" not in name
        assert image.image.name != image.thumbnail.name

    def test_a_private_file_has_no_public_url(self, alice):
        _idea, image = idea_with_image(alice)

        with pytest.raises(ValueError, match="no public URL"):
            image.image.url  # noqa: B018

    def test_pages_link_to_the_view(self, alice):
        idea, image = idea_with_image(alice)

        html = Client().get(idea.get_absolute_url()).content.decode()

        assert f'src="{image.thumbnail_url}"' in html
        assert f'href="{image.full_url}"' in html
        assert image.image.name not in html


class TestMovingOldFiles:
    """Migration 0008 moves images uploaded before it out of the public folder."""

    def test_old_public_files_move_to_private_random_names(
        self, alice, settings, django_capture_on_commit_callbacks
    ):
        import importlib

        from django.apps import apps
        from django.core.files.base import ContentFile
        from django.core.files.storage import storages

        public = storages["default"]
        old_full = public.save("ideas/7/idea-7-0-3f9a1c2b.jpg", ContentFile(b"full"))
        old_thumb = public.save("ideas/7/idea-7-0-thumb.jpg", ContentFile(b"thumb"))
        idea = posting.create_idea(author=alice, title="Old", description="Text")
        # Sizes given, so Django does not open the files where they are not yet.
        names = {"image": old_full, "thumbnail": old_thumb, "width": 1, "height": 1}
        row = IdeaImage.objects.create(idea=idea, **names)
        # A second row naming the same files (the demo shares pictures).
        twin = IdeaImage.objects.create(idea=idea, **names)
        migration = importlib.import_module("ideas.migrations.0008_private_idea_images")

        with django_capture_on_commit_callbacks(execute=True):
            migration.move_to_private_storage(apps, None)

        row.refresh_from_db()
        twin.refresh_from_db()
        assert row.image.name == twin.image.name
        assert row.image.name.startswith("ideas/")
        assert "idea-7" not in row.image.name
        private = storages["private"]
        with (
            private.open(row.image.name) as full,
            private.open(row.thumbnail.name) as t,
        ):
            assert (full.read(), t.read()) == (b"full", b"thumb")
        assert not public.exists(old_full)
        assert not public.exists(old_thumb)


class TestPrivateCampaignImages:
    """The images of a campaign kept for some are never stored by shared caches."""

    @pytest.fixture
    def panel_image(self, make_campaign, alice):
        from django.contrib.auth.models import Group
        from wagtail.models import PageViewRestriction

        from tests.ideas.private.conftest import restrict

        panel = Group.objects.create(name="Panel")
        alice.groups.add(panel)
        campaign = make_campaign(title="Panel")
        restrict(campaign, PageViewRestriction.GROUPS, groups=[panel])
        idea = posting.create_idea(
            author=alice,
            title="Secret",
            description="Text",
            campaign=campaign,
            images=[image_upload("a.jpg")],
        )
        idea.status = IdeaStatus.PUBLISHED
        idea.save(update_fields=["status"])
        return idea.images.get(), panel

    @pytest.mark.parametrize("rendition", ["full", "thumb"])
    def test_served_privately_to_a_member_it_admits(
        self, panel_image, charlie, rendition
    ):
        image, panel = panel_image
        charlie.groups.add(panel)
        response = client_for(charlie).get(image.url(rendition))
        assert response.status_code == 200
        cache_control = response["Cache-Control"]
        assert "public" not in cache_control
        assert "no-store" in cache_control and "private" in cache_control

    def test_not_found_to_a_visitor(self, panel_image):
        image, _panel = panel_image
        assert client_for(None).get(image.url("full")).status_code == 404

    def test_an_open_campaign_image_stays_public(self, make_campaign, alice):
        campaign = make_campaign(title="Open")
        idea = posting.create_idea(
            author=alice,
            title="Open",
            description="Text",
            campaign=campaign,
            images=[image_upload("a.jpg")],
        )
        idea.status = IdeaStatus.PUBLISHED
        idea.save(update_fields=["status"])
        response = client_for(None).get(idea.images.get().url("full"))
        assert "public" in response["Cache-Control"]

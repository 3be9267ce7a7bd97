"""Upload limits: refused while the body is parsed, before anything is decoded,
and told on the form in words (cocreate.uploads, the idea and profile forms)."""

from __future__ import annotations

import io
import random
import warnings

import pytest
from django.test import RequestFactory
from PIL import Image

from cocreate.images import ImageRejected, process_image
from ideas import views
from ideas.models import Idea, IdeaImage
from tests.factories import image_upload

pytestmark = pytest.mark.django_db


def noisy_upload(name: str, size=(120, 120)):
    """A JPEG that compresses badly: several kilobytes for a small picture."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    rng = random.Random(2)
    pixels = bytes(rng.getrandbits(8) for _ in range(size[0] * size[1] * 3))
    buffer = io.BytesIO()
    Image.frombytes("RGB", size, pixels).save(buffer, format="JPEG", quality=95)
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/jpeg")


class UnreadableBody:
    """A request body that fails the test if anybody reads it."""

    def read(self, *args):
        raise AssertionError("the body was read")

    readline = read


class TestTheWholeRequest:
    def test_a_body_over_the_limit_is_refused_unread(self, alice, settings):
        settings.COCREATE_UPLOAD_MAX_BYTES = 10_000
        request = RequestFactory().post(
            "/ideas/new/",
            {"title": "Huge", "description": "Text", "images": [image_upload()]},
            CONTENT_LENGTH="200000000",
            **{"wsgi.input": UnreadableBody()},
        )
        request.user = alice
        request.session = {}

        response = views.idea_create(request)

        html = response.content.decode()
        assert response.status_code == 200
        assert "is over the limit of" in html
        assert "nothing was received" in html
        assert "This field is required" not in html
        assert not Idea.objects.exists()

    def test_the_form_says_so_through_the_client(self, alice_client, settings):
        settings.COCREATE_UPLOAD_MAX_BYTES = 2_000

        response = alice_client.post(
            "/ideas/new/",
            {
                "title": "Big",
                "description": "Text",
                "images": [noisy_upload("big.jpg")],
            },
        )

        assert response.status_code == 200  # not a CSRF failure, not a 500
        assert "nothing was received" in response.content.decode()
        assert not Idea.objects.exists()

    def test_a_body_within_the_limit_is_posted(self, alice_client):
        response = alice_client.post(
            "/ideas/new/",
            {"title": "Fine", "description": "Text", "images": [image_upload()]},
        )

        assert response.status_code == 302
        assert IdeaImage.objects.count() == 1

    def test_the_csrf_check_still_holds(self, alice, settings):
        from django.test import Client

        client = Client(enforce_csrf_checks=True)
        client.force_login(alice)

        response = client.post("/ideas/new/", {"title": "X", "description": "Y"})

        assert response.status_code == 403
        assert not Idea.objects.exists()


class TestOneFile:
    def test_a_file_over_the_limit_is_dropped_while_read_and_the_text_kept(
        self, alice_client, settings, monkeypatch
    ):
        settings.COCREATE_IMAGE_MAX_BYTES = 5_000
        decoded = []
        monkeypatch.setattr(
            "ideas.forms.validate_image", lambda upload: decoded.append(upload)
        )

        response = alice_client.post(
            "/ideas/new/",
            {
                "title": "Shoes with lights",
                "description": "My long description",
                "images": [image_upload("small.jpg"), noisy_upload("huge.jpg")],
            },
        )

        html = response.content.decode()
        assert response.status_code == 200
        assert "The file huge.jpg is too large" in html
        assert 'value="Shoes with lights"' in html
        assert "My long description" in html
        assert decoded == []  # nothing decoded when something was refused
        assert not Idea.objects.exists()

    def test_an_avatar_over_the_limit_is_refused_on_the_profile_form(
        self, alice_client, alice, settings
    ):
        settings.COCREATE_IMAGE_MAX_BYTES = 5_000

        response = alice_client.post(
            "/members/settings/",
            {"display_name": "Alice B", "avatar": noisy_upload("me.jpg")},
        )

        html = response.content.decode()
        assert response.status_code == 200
        assert "The file me.jpg is too large" in html
        assert 'value="Alice B"' in html
        alice.refresh_from_db()
        assert alice.display_name == "Alice"
        assert not alice.avatar


class TestTextFirst:
    def test_images_are_not_decoded_while_the_text_is_wrong(
        self, alice_client, monkeypatch
    ):
        decoded = []
        monkeypatch.setattr(
            "ideas.forms.validate_image", lambda upload: decoded.append(upload)
        )

        response = alice_client.post(
            "/ideas/new/",
            {"title": "", "description": "Text", "images": [image_upload()]},
        )

        html = response.content.decode()
        assert "This field is required" in html
        assert "Your images were not checked yet" in html
        assert decoded == []

    def test_images_are_decoded_once_the_text_is_right(self, alice_client, monkeypatch):
        decoded = []
        monkeypatch.setattr(
            "ideas.forms.validate_image", lambda upload: decoded.append(upload.name)
        )

        alice_client.post(
            "/ideas/new/",
            {"title": "Fine", "description": "Text", "images": [image_upload()]},
        )

        assert decoded == ["photo.jpg"]


class TestRateLimit:
    def test_image_checks_are_limited_per_member(self, alice_client, settings):
        settings.COCREATE_RATE_LIMITS = {
            **settings.COCREATE_RATE_LIMITS,
            "image": "2/3600",
        }
        images = [image_upload(f"p{n}.jpg") for n in range(3)]

        response = alice_client.post(
            "/ideas/new/", {"title": "Many", "description": "Text", "images": images}
        )

        assert "You have sent many images in a short time" in response.content.decode()
        assert not Idea.objects.exists()

    def test_another_member_has_a_limit_of_their_own(self, alice_client, bob, settings):
        settings.COCREATE_RATE_LIMITS = {
            **settings.COCREATE_RATE_LIMITS,
            "image": "1/3600",
        }
        alice_client.post(
            "/ideas/new/",
            {"title": "One", "description": "Text", "images": [image_upload()]},
        )
        alice_client.force_login(bob)

        response = alice_client.post(
            "/ideas/new/",
            {"title": "Two", "description": "Text", "images": [image_upload()]},
        )

        assert response.status_code == 302


class TestPixelsBeforeDecoding:
    def test_the_header_alone_refuses_too_many_pixels(self, settings, monkeypatch):
        from PIL import ImageFile

        settings.COCREATE_IMAGE_MAX_PIXELS = 100 * 100

        def no_decoding(self):
            raise AssertionError("decoded")

        monkeypatch.setattr(ImageFile.ImageFile, "load", no_decoding)
        with pytest.raises(ImageRejected, match="big.png is 200×200 pixels"):
            process_image(image_upload("big.png", (200, 200), "PNG"), name="x")

    def test_a_decompression_bomb_is_refused_in_words(self, settings, monkeypatch):
        settings.COCREATE_IMAGE_MAX_PIXELS = 10**9
        monkeypatch.setattr(Image, "MAX_IMAGE_PIXELS", 1000)

        with pytest.raises(ImageRejected, match="bomb.png has too many pixels"):
            process_image(image_upload("bomb.png", (100, 100), "PNG"), name="x")

    def test_pillows_warning_never_escapes(self, settings, monkeypatch):
        settings.COCREATE_IMAGE_MAX_PIXELS = 50 * 50
        monkeypatch.setattr(Image, "MAX_IMAGE_PIXELS", 50 * 50)

        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            with pytest.raises(ImageRejected, match="60×60 pixels"):
                process_image(image_upload("warn.png", (60, 60), "PNG"), name="x")

        assert not [w for w in caught if w.category is Image.DecompressionBombWarning]

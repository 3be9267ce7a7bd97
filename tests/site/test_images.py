"""cocreate.images: uploads are checked, re-encoded without EXIF and thumbnailed."""

from __future__ import annotations

import io
import random
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from cocreate.images import ImageRejected, process_avatar, process_image, validate_image
from ideas.models import Idea, IdeaImage
from tests.factories import image_upload, jpeg_with_exif


def noisy_jpeg(size=(200, 200)) -> bytes:
    """Noise compresses badly, so cutting the file surely cuts pixel data."""
    rng = random.Random(1)
    pixels = bytes(rng.getrandbits(8) for _ in range(size[0] * size[1] * 3))
    buffer = io.BytesIO()
    Image.frombytes("RGB", size, pixels).save(buffer, format="JPEG")
    return buffer.getvalue()


def truncated_jpeg() -> SimpleUploadedFile:
    data = noisy_jpeg()
    return SimpleUploadedFile("cut.jpg", data[: len(data) // 2], "image/jpeg")


def text_named_jpg() -> SimpleUploadedFile:
    return SimpleUploadedFile("notes.jpg", b"Dear diary, today I", "image/jpeg")


def opened(content) -> Image.Image:
    content.seek(0)
    image = Image.open(io.BytesIO(content.read()))
    image.load()
    return image


class TestRefusals:
    def test_a_truncated_jpeg_is_refused_in_words(self):
        with pytest.raises(ImageRejected, match="cut.jpg is damaged or incomplete"):
            process_image(truncated_jpeg(), name="x")

    def test_a_text_file_named_jpg_is_refused_in_words(self):
        with pytest.raises(ImageRejected, match="notes.jpg is not an image we can"):
            process_image(text_named_jpg(), name="x")

    def test_an_image_over_the_pixel_limit_is_refused_in_words(self, settings):
        settings.COCREATE_IMAGE_MAX_PIXELS = 100 * 100

        with pytest.raises(ImageRejected) as refused:
            process_image(image_upload("big.png", (101, 100), "PNG"), name="x")

        message = str(refused.value)
        assert "big.png is 101×100 pixels" in message
        assert "0.01 megapixels" in message

    def test_an_image_at_the_pixel_limit_is_accepted(self, settings):
        settings.COCREATE_IMAGE_MAX_PIXELS = 100 * 100

        processed = process_image(image_upload("ok.png", (100, 100), "PNG"), name="x")

        assert (processed.width, processed.height) == (100, 100)

    def test_a_file_over_the_byte_limit_is_refused_in_words(self, settings):
        settings.COCREATE_IMAGE_MAX_BYTES = 1000
        upload = SimpleUploadedFile("heavy.jpg", noisy_jpeg(), "image/jpeg")

        with pytest.raises(ImageRejected) as refused:
            process_image(upload, name="x")

        message = str(refused.value)
        assert "heavy.jpg is too large" in message
        assert "1000\xa0bytes" in message

    def test_the_byte_limit_holds_when_the_size_is_unknown(self, settings):
        settings.COCREATE_IMAGE_MAX_BYTES = 1000
        upload = SimpleUploadedFile("heavy.jpg", noisy_jpeg(), "image/jpeg")
        upload.size = None

        with pytest.raises(ImageRejected, match="too large"):
            validate_image(upload)

    def test_a_format_we_do_not_serve_is_refused(self):
        upload = image_upload("photo.bmp", image_format="BMP")

        with pytest.raises(ImageRejected, match="not a JPEG, PNG, GIF or WebP"):
            process_image(upload, name="x")


class TestReencoding:
    def test_a_valid_jpeg_is_reencoded_without_exif(self):
        upload = jpeg_with_exif()
        assert Image.open(io.BytesIO(upload.read())).getexif()  # the fixture has it

        processed = process_image(upload, name="idea-1-0")

        upload.seek(0)
        assert processed.full.read() != upload.read()
        stored = opened(processed.full)
        assert stored.format == "JPEG"
        assert not stored.getexif()
        assert "exif" not in stored.info
        assert processed.full.name == "idea-1-0.jpg"

    def test_a_thumbnail_is_made_within_480_pixels(self):
        processed = process_image(
            image_upload("wide.jpg", (1200, 600)), name="idea-1-0"
        )

        thumbnail = opened(processed.thumbnail)
        assert thumbnail.size == (480, 240)
        assert processed.thumbnail.name == "idea-1-0-thumb.jpg"
        assert not thumbnail.getexif()

    def test_a_huge_image_is_scaled_down_to_2048_pixels(self):
        processed = process_image(
            image_upload("huge.png", (4096, 100), "PNG"), name="x"
        )

        assert (processed.width, processed.height) == (2048, 50)
        assert opened(processed.full).size == (2048, 50)

    def test_the_camera_orientation_is_applied_before_exif_is_dropped(self):
        image = Image.new("RGB", (80, 40), "red")
        exif = Image.Exif()
        exif[0x0112] = 6  # rotate 90° clockwise to display
        buffer = io.BytesIO()
        image.save(buffer, format="JPEG", exif=exif)
        upload = SimpleUploadedFile("turned.jpg", buffer.getvalue(), "image/jpeg")

        processed = process_image(upload, name="x")

        assert opened(processed.full).size == (40, 80)

    def test_transparency_is_kept_as_webp(self):
        buffer = io.BytesIO()
        Image.new("RGBA", (32, 32), (0, 128, 0, 0)).save(buffer, format="PNG")
        upload = SimpleUploadedFile("clear.png", buffer.getvalue(), "image/png")

        processed = process_image(upload, name="x")

        stored = opened(processed.full)
        assert stored.format == "WEBP"
        assert stored.mode == "RGBA"

    def test_an_avatar_is_a_256_pixel_square(self):
        avatar = process_avatar(jpeg_with_exif(size=(300, 120)), name="avatar-1")

        stored = opened(avatar)
        assert stored.size == (256, 256)
        assert not stored.getexif()

    def test_validate_image_leaves_the_upload_ready_to_read(self):
        upload = image_upload()

        validate_image(upload)

        assert upload.tell() == 0


SECRETS = (b"secret-comment", b"secret-text", b"secret-xmp", b"SpyCam", b"48.8584")


def jpeg_with_every_segment() -> SimpleUploadedFile:
    """EXIF with a GPS block, XMP, an ICC profile and a JPEG comment (COM)."""
    from PIL import ImageCms

    exif = Image.Exif()
    exif[0x010F] = "SpyCam"  # Make
    exif[0x9286] = "taken at 48.8584 N"  # UserComment
    gps = exif.get_ifd(0x8825)
    gps[1] = "N"  # GPSLatitudeRef
    gps[2] = (48.0, 51.0, 30.0)  # GPSLatitude
    icc = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    xmp = b'<x:xmpmeta xmlns:x="adobe:ns:meta/">secret-xmp</x:xmpmeta>'
    buffer = io.BytesIO()
    Image.new("RGB", (120, 90), "orange").save(
        buffer,
        format="JPEG",
        exif=exif,
        comment=b"secret-comment",
        icc_profile=icc,
        xmp=xmp,
    )
    return SimpleUploadedFile("spy.jpg", buffer.getvalue(), content_type="image/jpeg")


def png_with_text(mode: str = "RGB") -> SimpleUploadedFile:
    from PIL import PngImagePlugin

    chunks = PngImagePlugin.PngInfo()
    chunks.add_text("Comment", "secret-text")
    chunks.add_text("Author", "secret-text", zip=True)  # zTXt
    chunks.add_itxt("Description", "secret-text")  # iTXt
    buffer = io.BytesIO()
    Image.new(mode, (100, 80), "teal").save(buffer, format="PNG", pnginfo=chunks)
    return SimpleUploadedFile("notes.png", buffer.getvalue(), content_type="image/png")


class TestMetadata:
    """Every metadata segment goes: what we store is pixels only."""

    @staticmethod
    def assert_bare(content, image_format: str) -> None:
        content.seek(0)
        data = content.read()
        for secret in SECRETS:
            assert secret not in data
        assert b"Exif" not in data
        assert b"ICC_PROFILE" not in data
        image = Image.open(io.BytesIO(data))
        assert image.format == image_format
        assert not image.getexif()
        for key in ("comment", "icc_profile", "xmp", "exif", "Comment"):
            assert key not in image.info

    def test_the_fixture_carries_every_segment(self):
        data = jpeg_with_every_segment().read()
        for secret in (b"secret-comment", b"secret-xmp", b"SpyCam"):
            assert secret in data
        assert b"ICC_PROFILE" in data

    def test_a_jpeg_loses_exif_gps_xmp_icc_and_its_comment(self):
        processed = process_image(jpeg_with_every_segment(), name="x")

        self.assert_bare(processed.full, "JPEG")
        self.assert_bare(processed.thumbnail, "JPEG")

    def test_a_png_loses_its_text_chunks(self):
        upload = png_with_text()
        assert b"secret-text" in upload.read()

        processed = process_image(upload, name="x")

        self.assert_bare(processed.full, "JPEG")

    def test_a_transparent_png_loses_its_text_chunks_as_webp(self):
        processed = process_image(png_with_text("RGBA"), name="x")

        self.assert_bare(processed.full, "WEBP")
        self.assert_bare(processed.thumbnail, "WEBP")

    def test_an_avatar_loses_every_segment(self):
        self.assert_bare(process_avatar(jpeg_with_every_segment(), name="x"), "JPEG")

    @pytest.mark.django_db
    def test_the_stored_files_of_a_posted_idea_hold_none_of_it(self, alice_client):
        response = alice_client.post(
            "/ideas/new/",
            {
                "title": "Spy",
                "description": "Text",
                "images": [jpeg_with_every_segment(), png_with_text()],
            },
        )

        assert response.status_code == 302
        for image in IdeaImage.objects.all():
            for field in (image.image, image.thumbnail):
                with field.open("rb") as stored:
                    self.assert_bare(stored, "JPEG")


@pytest.mark.django_db
class TestIdeaForm:
    @pytest.mark.parametrize(
        ("upload", "words"),
        [
            (truncated_jpeg, "cut.jpg is damaged or incomplete"),
            (text_named_jpg, "notes.jpg is not an image we can read"),
        ],
    )
    def test_a_bad_image_re_renders_the_form_with_the_text_kept(
        self, alice_client, upload, words
    ):
        response = alice_client.post(
            "/ideas/new/",
            {
                "title": "Shoes with lights",
                "description": "My long description",
                "images": [upload()],
            },
        )

        html = response.content.decode()
        assert response.status_code == 200
        assert words in html
        assert 'value="Shoes with lights"' in html
        assert "My long description" in html
        assert "Your text is kept; please choose the images again." in html
        assert not Idea.objects.exists()

    def test_an_image_over_the_limits_is_explained_on_the_form(
        self, alice_client, settings
    ):
        settings.COCREATE_IMAGE_MAX_PIXELS = 10 * 10

        response = alice_client.post(
            "/ideas/new/",
            {
                "title": "Big picture",
                "description": "Text",
                "images": [image_upload("big.jpg", (50, 50))],
            },
        )

        assert "big.jpg is 50×50 pixels" in response.content.decode()
        assert not Idea.objects.exists()

    def test_six_images_are_refused_on_the_form(self, alice_client):
        response = alice_client.post(
            "/ideas/new/",
            {
                "title": "Many",
                "description": "Text",
                "images": [image_upload(f"p{n}.jpg") for n in range(6)],
            },
        )

        assert "at most 5 images" in response.content.decode()
        assert not Idea.objects.exists()

    def test_a_valid_image_is_stored_reencoded_with_a_thumbnail(self, alice_client):
        response = alice_client.post(
            "/ideas/new/",
            {
                "title": "With a photo",
                "description": "Text",
                "images": [jpeg_with_exif(size=(800, 600))],
            },
        )

        assert response.status_code == 302
        image = IdeaImage.objects.get()
        with image.image.open("rb") as stored_file:
            stored = Image.open(io.BytesIO(stored_file.read()))
        assert stored.format == "JPEG"
        assert not stored.getexif()
        assert (image.width, image.height) == (800, 600)
        with image.thumbnail.open("rb") as thumbnail_file:
            assert Image.open(thumbnail_file).size == (480, 360)
        # A random name: neither the idea, the author nor "exif.jpg" shows.
        for name in (image.image.name, image.thumbnail.name):
            assert re.fullmatch(r"ideas/([\w-]{2})/\1[\w-]{22}\.jpg", name), name
            assert "exif" not in name

    def test_the_author_removes_and_adds_images_on_the_edit_form(
        self, alice_client, alice
    ):
        from ideas import posting

        idea = posting.create_idea(
            author=alice,
            title="Photos",
            description="Text",
            images=[image_upload("a.jpg"), image_upload("b.jpg")],
        )
        first = idea.images.first()

        alice_client.post(
            f"/ideas/{idea.pk}/edit/",
            {
                "title": "Photos",
                "description": "Text",
                "remove_images": [first.pk],
                "images": [image_upload("c.jpg")],
            },
        )

        assert idea.images.count() == 2
        assert not idea.images.filter(pk=first.pk).exists()


class TestFilesFollowTheirTransaction:
    """save_file, files_removed_on_rollback and delete_on_commit, on a temporary
    PRIVATE_MEDIA_ROOT (tests/conftest.py gives each test its own)."""

    @pytest.fixture
    def media(self, settings, tmp_path):
        # Idea images are private files.
        settings.PRIVATE_MEDIA_ROOT = tmp_path / "own-media"
        return settings.PRIVATE_MEDIA_ROOT

    #: Stored (random) file name -> the name the test wrote it as.
    written: dict[str, str] = {}

    @classmethod
    def files(cls, media) -> list[str]:
        return sorted(
            cls.written.get(p.name, p.name) for p in media.rglob("*") if p.is_file()
        )

    @classmethod
    def write(cls, name: str):
        from django.core.files.base import ContentFile

        from cocreate.images import save_file

        image = IdeaImage()
        save_file(image.image, ContentFile(b"pixels", name=name))
        cls.written[image.image.name.rsplit("/", 1)[-1]] = name
        return image.image

    def test_a_failing_service_removes_what_it_wrote(self, media):
        from cocreate.images import files_removed_on_rollback

        @files_removed_on_rollback
        def service():
            self.write("a.jpg")
            assert self.files(media) == ["a.jpg"]
            raise RuntimeError("after the write")

        with pytest.raises(RuntimeError, match="after the write"):
            service()
        assert self.files(media) == []

    def test_a_nested_success_is_removed_when_the_outer_call_fails(self, media):
        from cocreate.images import files_removed_on_rollback

        @files_removed_on_rollback
        def inner():
            self.write("inner.jpg")

        @files_removed_on_rollback
        def outer(fail: bool):
            inner()
            self.write("outer.jpg")
            if fail:
                raise RuntimeError

        outer(fail=False)
        assert self.files(media) == ["inner.jpg", "outer.jpg"]
        with pytest.raises(RuntimeError):
            outer(fail=True)
        assert self.files(media) == ["inner.jpg", "outer.jpg"]  # the first call's

    def test_a_storage_error_never_hides_the_failure(self, media, monkeypatch, caplog):
        from django.core.files.storage import FileSystemStorage

        from cocreate.images import files_removed_on_rollback

        def broken_delete(storage, name):
            raise OSError("disk gone")

        monkeypatch.setattr(FileSystemStorage, "delete", broken_delete)

        @files_removed_on_rollback
        def service():
            self.write("a.jpg")
            raise ValueError("the real failure")

        with pytest.raises(ValueError, match="the real failure"):
            service()
        assert "Could not delete" in caplog.text

    @pytest.mark.django_db
    def test_files_are_deleted_only_when_the_removal_commits(
        self, media, django_capture_on_commit_callbacks
    ):
        from django.db import transaction

        from cocreate.images import delete_on_commit

        kept = self.write("kept.jpg")
        with pytest.raises(RuntimeError), transaction.atomic():
            delete_on_commit(kept)
            raise RuntimeError  # rolled back: the file stays
        assert self.files(media) == ["kept.jpg"]

        with django_capture_on_commit_callbacks(execute=True):
            delete_on_commit(kept)
            assert self.files(media) == ["kept.jpg"]  # not before the commit
        assert self.files(media) == []

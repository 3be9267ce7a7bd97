"""factory_boy factories for the whole suite."""

from __future__ import annotations

import io

import factory
from allauth.account.models import EmailAddress
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from cocreate.markup import render_markdown
from cocreate.members.models import User
from ideas.models import (
    Category,
    Comment,
    Follow,
    Idea,
    IdeaImage,
    IdeaStatus,
    Support,
)
from ideas.ranking import hot_score

PASSWORD = "correct-horse-battery-staple"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"member{n}@example.com")
    display_name = factory.Sequence(lambda n: f"Member {n}")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def verified(obj, create, extracted, **kwargs):
        if create:
            obj.save()
            if extracted is not False:
                EmailAddress.objects.create(
                    user=obj, email=obj.email, verified=True, primary=True
                )


class CategoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Category
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"Category {n}")
    slug = factory.Sequence(lambda n: f"category-{n}")


class IdeaFactory(factory.django.DjangoModelFactory):
    """Writes rows directly for fixtures; tests of behaviour call the services."""

    class Meta:
        model = Idea

    title = factory.Sequence(lambda n: f"Idea number {n}")
    description = "A **clear** description of the idea."
    description_html = factory.LazyAttribute(lambda o: render_markdown(o.description))
    author = factory.SubFactory(UserFactory)
    status = IdeaStatus.PUBLISHED
    created_at = factory.LazyFunction(timezone.now)
    hot_score = factory.LazyAttribute(lambda o: hot_score(0, o.created_at))


class CommentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Comment

    idea = factory.SubFactory(IdeaFactory)
    author = factory.SubFactory(UserFactory)
    body = "A thoughtful comment."
    body_html = factory.LazyAttribute(lambda o: render_markdown(o.body))


class SupportFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Support

    idea = factory.SubFactory(IdeaFactory)
    member = factory.SubFactory(UserFactory)


def image_upload(
    name: str = "photo.jpg",
    size: tuple[int, int] = (64, 48),
    image_format: str = "JPEG",
    color: str = "teal",
) -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", size, color).save(buffer, format=image_format)
    content_type = {"JPEG": "image/jpeg", "PNG": "image/png"}.get(
        image_format, "application/octet-stream"
    )
    return SimpleUploadedFile(name, buffer.getvalue(), content_type=content_type)


class FollowFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Follow

    idea = factory.SubFactory(IdeaFactory)
    member = factory.SubFactory(UserFactory)


class IdeaImageFactory(factory.django.DjangoModelFactory):
    """An image row pointing at a file name only; enough for pages that link to it."""

    class Meta:
        model = IdeaImage

    idea = factory.SubFactory(IdeaFactory)
    image = factory.Sequence(lambda n: f"ideas/fixture/image-{n}.jpg")
    thumbnail = factory.Sequence(lambda n: f"ideas/fixture/image-{n}-thumb.jpg")
    # Filled in, so Django never opens the (missing) file to measure it.
    width = 640
    height = 480


def jpeg_with_exif(name: str = "exif.jpg", size: tuple[int, int] = (80, 60)):
    """A JPEG that carries EXIF (camera make, GPS-like comment and orientation)."""
    image = Image.new("RGB", size, "orange")
    exif = Image.Exif()
    exif[0x010F] = "SpyCam"  # Make
    exif[0x9286] = "taken at 48.8584 N, 2.2945 E"  # UserComment
    exif[0x0112] = 1  # Orientation: upright
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", exif=exif)
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/jpeg")

"""ideas.posting: proposing and editing ideas."""

from __future__ import annotations

import datetime

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.files.storage import FileSystemStorage
from django.core.files.uploadedfile import SimpleUploadedFile

from cocreate.private_media import PrivateMediaStorage
from ideas import posting, voting
from ideas.errors import InvalidInput, NotAllowed, RateLimited, StorageFailed
from ideas.models import Follow, Idea, IdeaImage, IdeaRevision, IdeaStatus
from tests.factories import CategoryFactory, IdeaFactory, image_upload
from tests.ideas.conftest import make_older

pytestmark = pytest.mark.django_db


def post(author, **fields) -> Idea:
    fields.setdefault("title", "Laces that never untie")
    fields.setdefault("description", "Use a *grippy* coating.")
    return posting.create_idea(author=author, **fields)


def edit(editor, idea, **fields) -> Idea:
    fields.setdefault("title", "Laces that never come undone")
    fields.setdefault("description", "A grippy coating on the laces.")
    return posting.edit_idea(editor=editor, idea=idea, **fields)


def stored_files(settings) -> set[str]:
    """Every file in the test's private media folder (idea images), relative to it."""
    media = settings.PRIVATE_MEDIA_ROOT
    return {str(path.relative_to(media)) for path in media.rglob("*") if path.is_file()}


class Failure(Exception):
    """Raised on purpose after the images were written."""


@pytest.fixture
def fail_after_images(monkeypatch, settings):
    """Make the service fail after writing its files, and check they were there."""
    seen: list[set[str]] = []

    def failing_snapshot(idea, editor):
        seen.append(stored_files(settings))
        raise Failure

    monkeypatch.setattr(posting, "_snapshot", failing_snapshot)
    return seen


class FailingStorage(FileSystemStorage):
    """Stores the first ``succeed`` files, then fails as a full disk does."""

    def __init__(self, *, succeed: int = 0, **options) -> None:
        super().__init__(**options)
        self.succeed = succeed

    def _save(self, name, content):
        if self.succeed <= 0:
            raise OSError(28, "No space left on device")
        self.succeed -= 1
        return super()._save(name, content)


class FailingPrivateStorage(FailingStorage, PrivateMediaStorage):
    """The same, in the private storage that holds idea images."""


@pytest.fixture
def failing_storage(settings):
    """Call with how many files the media storage still accepts."""

    def fail_after(succeed: int = 0) -> None:
        settings.STORAGES = {
            **settings.STORAGES,
            "private": {
                "BACKEND": f"{__name__}.FailingPrivateStorage",
                "OPTIONS": {"succeed": succeed},
            },
        }

    return fail_after


NOT_POSTED = "your idea was not posted. Please try again in a moment."
NOT_SAVED = "your changes were not saved. Please try again in a moment."


class TestStorageFailure:
    # 0: the first file fails; 1: the first thumbnail; 3: the second image's
    # thumbnail, after a whole image was stored.
    @pytest.mark.parametrize("succeed", [0, 1, 3])
    def test_a_post_is_refused_in_words_and_leaves_no_file(
        self, alice, settings, failing_storage, succeed
    ):
        failing_storage(succeed)

        with pytest.raises(StorageFailed, match="could not store your pictures"):
            post(alice, images=[image_upload("a.jpg"), image_upload("b.jpg")])

        assert not Idea.objects.exists()
        assert not IdeaImage.objects.exists()
        assert stored_files(settings) == set()

    def test_the_form_says_so_and_keeps_what_was_typed(
        self, alice_client, settings, failing_storage
    ):
        failing_storage(1)

        response = alice_client.post(
            "/ideas/new/",
            {
                "title": "Reflective laces",
                "description": "Seen at night from far away",
                "tags": "night, safety",
                "images": [image_upload("a.jpg"), image_upload("b.jpg")],
            },
        )

        html = response.content.decode()
        assert response.status_code == 200
        assert "We could not store your pictures just now" in html
        assert NOT_POSTED in html
        assert "please choose the images again" in html
        assert 'value="Reflective laces"' in html
        assert "Seen at night from far away" in html
        assert "night, safety" in html
        assert not Idea.objects.exists()
        assert stored_files(settings) == set()

    def test_an_edit_is_refused_in_words_and_changes_nothing(
        self, alice, alice_client, settings, failing_storage
    ):
        idea = post(alice, images=[image_upload("a.jpg")])
        (image,) = idea.images.all()
        before = stored_files(settings)
        failing_storage(1)

        response = alice_client.post(
            f"/ideas/{idea.pk}/edit/",
            {
                "title": "Laces that glow",
                "description": "A better description",
                "remove_images": [str(image.pk)],
                "images": [image_upload("b.jpg")],
            },
        )

        html = response.content.decode()
        assert response.status_code == 200
        assert "We could not store your picture just now" in html
        assert NOT_SAVED in html
        assert "please choose the images again" in html
        assert 'value="Laces that glow"' in html
        assert "A better description" in html
        idea.refresh_from_db()
        assert idea.title == "Laces that never untie"
        assert list(idea.images.all()) == [image]
        assert idea.revisions.count() == 1
        assert stored_files(settings) == before


class TestCreateIdea:
    def test_it_publishes_at_once_without_a_campaign(self, alice, sent):
        idea = post(alice, tags=["Laces", "laces ", "grip"])

        assert idea.status == IdeaStatus.PUBLISHED
        assert idea.author == alice
        assert "<em>grippy</em>" in idea.description_html
        assert sorted(tag.name for tag in idea.tags.all()) == ["grip", "laces"]
        assert idea.hot_score > 0
        assert [call["idea"] for call in sent["idea_published"]] == [idea]
        assert sent["idea_published"][0]["member"] == alice

    def test_it_publishes_in_an_open_campaign(self, alice, campaign, category):
        campaign.categories.add(category)
        campaign.save()

        idea = post(alice, campaign=campaign, category=category)

        assert idea.campaign == campaign
        assert idea.category == category
        assert idea.status == IdeaStatus.PUBLISHED

    def test_it_holds_ideas_of_a_premoderated_campaign_as_pending(
        self, alice, make_campaign, sent
    ):
        campaign = make_campaign(title="Moderated", premoderate=True)

        idea = post(alice, campaign=campaign)

        assert idea.status == IdeaStatus.PENDING
        assert not idea.is_public
        assert sent["idea_published"] == []

    def test_the_author_follows_their_own_idea(self, alice):
        idea = post(alice)

        assert Follow.objects.filter(idea=idea, member=alice).exists()
        assert Idea.objects.get(pk=idea.pk).followers_count == 1

    def test_it_records_the_first_revision(self, alice):
        idea = post(alice, tags=["grip"])

        revision = IdeaRevision.objects.get(idea=idea)
        assert revision.title == "Laces that never untie"
        assert revision.tag_names == ["grip"]
        assert revision.editor == alice

    def test_it_refuses_a_closed_campaign(self, alice, make_campaign):
        yesterday = datetime.date.today() - datetime.timedelta(days=1)
        closed = make_campaign(
            title="Last year", starts_on=yesterday.replace(year=2000), ends_on=yesterday
        )

        with pytest.raises(InvalidInput, match="is not open for ideas"):
            post(alice, campaign=closed)
        assert not Idea.objects.exists()

    def test_it_refuses_a_campaign_that_has_not_started(self, alice, make_campaign):
        later = make_campaign(
            title="Next year",
            starts_on=datetime.date.today() + datetime.timedelta(days=30),
        )

        with pytest.raises(InvalidInput, match="not open"):
            post(alice, campaign=later)

    def test_it_refuses_a_category_outside_the_campaign(
        self, alice, campaign, category
    ):
        campaign.categories.add(category)
        campaign.save()
        other = CategoryFactory(name="Swimming", slug="swimming")

        with pytest.raises(InvalidInput, match="“Swimming” is not part of"):
            post(alice, campaign=campaign, category=other)
        assert not Idea.objects.exists()

    def test_it_refuses_more_than_five_images(self, alice):
        images = [image_upload(f"photo{n}.jpg") for n in range(6)]

        with pytest.raises(InvalidInput, match="at most 5 images"):
            post(alice, images=images)
        assert not Idea.objects.exists()

    def test_it_stores_up_to_five_images_in_order(self, alice):
        idea = post(alice, images=[image_upload(f"p{n}.jpg") for n in range(5)])

        images = list(idea.images.all())
        assert [image.position for image in images] == [0, 1, 2, 3, 4]
        assert all(image.thumbnail.name for image in images)

    def test_it_refuses_a_bad_image_and_keeps_nothing(self, alice):
        text = SimpleUploadedFile("notes.jpg", b"just some text", "image/jpeg")

        with pytest.raises(InvalidInput, match="not an image"):
            post(alice, images=[image_upload("ok.jpg"), text])
        assert not Idea.objects.exists()
        assert not IdeaImage.objects.exists()

    def test_a_refused_image_leaves_no_file_behind(self, alice, settings):
        text = SimpleUploadedFile("notes.jpg", b"just some text", "image/jpeg")

        with pytest.raises(InvalidInput):
            post(alice, images=[image_upload("ok.jpg"), text])

        media = settings.PRIVATE_MEDIA_ROOT
        assert not [path for path in media.rglob("*") if path.is_file()]

    def test_a_failed_post_leaves_no_file_behind(
        self, alice, settings, fail_after_images
    ):
        with pytest.raises(Failure):
            post(alice, images=[image_upload("a.jpg"), image_upload("b.jpg")])

        (written,) = fail_after_images
        assert len(written) == 4  # two images, two thumbnails
        assert stored_files(settings) == set()
        assert not IdeaImage.objects.exists()

    def test_it_refuses_an_empty_title(self, alice):
        with pytest.raises(InvalidInput, match="title"):
            post(alice, title="   ")

    def test_it_refuses_an_empty_description(self, alice):
        with pytest.raises(InvalidInput, match="describe"):
            post(alice, description=" \n ")

    def test_it_refuses_more_than_ten_tags(self, alice):
        with pytest.raises(InvalidInput, match="at most 10 tags"):
            post(alice, tags=[f"tag{n}" for n in range(11)])

    def test_it_refuses_anonymous_visitors(self):
        with pytest.raises(NotAllowed, match="log in"):
            post(AnonymousUser())

    def test_it_refuses_a_member_posting_too_fast(self, alice, settings):
        settings.COCREATE_RATE_LIMITS = {"idea": "2/3600"}
        post(alice, title="One")
        post(alice, title="Two")

        with pytest.raises(RateLimited, match="try again later"):
            post(alice, title="Three")
        assert Idea.objects.count() == 2


class TestEditIdea:
    def test_the_author_edits_a_fresh_idea(self, alice, category):
        idea = post(alice, tags=["old"])

        edited = edit(alice, idea, category=category, tags=["new", "grip"])

        stored = Idea.objects.get(pk=idea.pk)
        assert edited.title == stored.title == "Laces that never come undone"
        assert stored.description_html == "<p>A grippy coating on the laces.</p>"
        assert stored.category == category
        assert sorted(tag.name for tag in stored.tags.all()) == ["grip", "new"]

    def test_each_edit_adds_a_revision(self, alice):
        idea = post(alice)

        edit(alice, idea, title="Second title")
        edit(alice, idea, title="Third title")

        titles = list(
            IdeaRevision.objects.filter(idea=idea)
            .order_by("id")
            .values_list("title", flat=True)
        )
        assert titles == ["Laces that never untie", "Second title", "Third title"]

    def test_it_allows_editing_an_old_idea_nobody_supports(self, alice):
        idea = post(alice)
        make_older(idea, minutes=24 * 60)

        edit(alice, idea, title="Still editable")

        assert Idea.objects.get(pk=idea.pk).title == "Still editable"

    def test_it_allows_editing_a_supported_idea_within_30_minutes(self, alice, bob):
        idea = post(alice)
        voting.support(member=bob, idea=idea)
        make_older(idea, minutes=29)

        edit(alice, idea, title="Quick fix")

        assert Idea.objects.get(pk=idea.pk).title == "Quick fix"

    def test_it_refuses_editing_a_supported_idea_after_30_minutes(self, alice, bob):
        idea = post(alice)
        voting.support(member=bob, idea=idea)
        make_older(idea, minutes=31)

        with pytest.raises(NotAllowed, match="no longer be edited"):
            edit(alice, idea, title="Too late")
        assert Idea.objects.get(pk=idea.pk).title == "Laces that never untie"
        assert IdeaRevision.objects.filter(idea=idea).count() == 1

    def test_it_refuses_anyone_but_the_author(self, alice, bob):
        idea = post(alice)

        with pytest.raises(NotAllowed, match="Only the author"):
            edit(bob, idea, title="Bob's now")
        assert Idea.objects.get(pk=idea.pk).title == "Laces that never untie"

    def test_it_refuses_a_category_outside_the_campaign(
        self, alice, campaign, category
    ):
        campaign.categories.add(category)
        campaign.save()
        idea = post(alice, campaign=campaign, category=category)
        other = CategoryFactory(name="Swimming", slug="swimming")

        with pytest.raises(InvalidInput, match="not part of"):
            edit(alice, idea, category=other)

    def test_it_adds_and_removes_images_within_the_limit(self, alice):
        idea = post(alice, images=[image_upload(f"p{n}.jpg") for n in range(3)])
        first, *others = idea.images.all()

        edit(
            alice,
            idea,
            new_images=[image_upload("more1.jpg"), image_upload("more2.jpg")],
            remove_image_ids=[first.pk],
        )

        positions = list(idea.images.values_list("position", flat=True))
        assert len(positions) == 4
        assert first.pk not in set(idea.images.values_list("pk", flat=True))
        assert positions == sorted(set(positions))

    def test_an_edit_that_removes_an_image_deletes_its_files(
        self, alice, settings, django_capture_on_commit_callbacks
    ):
        idea = post(alice, images=[image_upload("a.jpg"), image_upload("b.jpg")])
        gone, kept = idea.images.all()
        gone_files = {gone.image.name, gone.thumbnail.name}
        assert gone_files <= stored_files(settings)

        with django_capture_on_commit_callbacks(execute=True):
            edit(alice, idea, remove_image_ids=[gone.pk])

        assert not gone_files & stored_files(settings)
        assert {kept.image.name, kept.thumbnail.name} == stored_files(settings)

    def test_a_failed_edit_keeps_the_files_it_removed_and_drops_the_new_ones(
        self, alice, settings, django_capture_on_commit_callbacks, monkeypatch
    ):
        idea = post(alice, images=[image_upload("a.jpg")])
        (image,) = idea.images.all()
        before = stored_files(settings)

        def failing_snapshot(idea, editor):
            assert len(stored_files(settings)) == len(before) + 2
            raise Failure

        monkeypatch.setattr(posting, "_snapshot", failing_snapshot)
        with django_capture_on_commit_callbacks(execute=True), pytest.raises(Failure):
            edit(
                alice,
                idea,
                new_images=[image_upload("b.jpg")],
                remove_image_ids=[image.pk],
            )

        assert stored_files(settings) == before
        assert list(idea.images.all()) == [image]

    def test_it_refuses_more_than_five_images_in_all(self, alice):
        idea = post(alice, images=[image_upload(f"p{n}.jpg") for n in range(4)])

        with pytest.raises(InvalidInput, match="at most 5 images"):
            edit(alice, idea, new_images=[image_upload("a.jpg"), image_upload("b.jpg")])
        assert idea.images.count() == 4

    def test_it_refuses_a_hidden_idea(self, alice):
        idea = IdeaFactory(author=alice, status=IdeaStatus.HIDDEN)

        with pytest.raises(NotAllowed):
            edit(alice, idea)

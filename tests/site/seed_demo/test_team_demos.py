"""The seeded demo for the brand team and the product team."""

from __future__ import annotations

import pytest
from django.utils import timezone

from cocreate.members.models import User
from ideas.models import (
    Comment,
    Idea,
    IdeaStatus,
)
from tests.site.seed_demo.helpers import DEMO_PASSWORD, seed


@pytest.mark.django_db
class TestBrandTeamDemo:
    """What the brand team's screens show after `make demo`."""

    @pytest.fixture
    def seeded(self, db):
        seed("--ideas", "20")

    def test_the_moderation_queue_has_pending_and_reported_items(self, seeded, client):
        from ideas.moderation.admin_views import moderation_queue

        reasons = {item.why for item in moderation_queue()}
        assert {"pending", "reported", "hidden"} <= reasons
        client.login(email="moderator@example.com", password=DEMO_PASSWORD)
        assert client.get("/admin/brand-team/queue/").status_code == 200

    def test_ideas_have_timelines_and_official_answers(self, seeded, client):
        from ideas.models import Idea, StatusChange

        shipped = Idea.objects.get(status="shipped")
        steps = list(shipped.status_changes.values_list("new_status", flat=True))
        assert steps[-1] == "shipped" and len(steps) == 4
        assert StatusChange.objects.exclude(note="").exists()
        assert Comment.objects.filter(is_official=True).count() >= 8
        page = client.get(shipped.get_absolute_url()).content.decode()
        assert "What became of this idea" in page and "Official answer" in page

    def test_the_demo_member_has_notifications(self, seeded):
        from cocreate.notifications.models import Notification

        member = User.objects.get(email="member@example.com")
        assert Notification.objects.filter(recipient=member, read_at=None).count() >= 3

    def test_a_second_run_adds_no_brand_team_content(self, seeded):
        from ideas.models import Report, StatusChange

        counts = (StatusChange.objects.count(), Report.objects.count())
        seed("--ideas", "20")
        assert (StatusChange.objects.count(), Report.objects.count()) == counts


@pytest.mark.django_db
class TestProductTeamDemo:
    """What the product team's screens show after `make demo`."""

    @pytest.fixture
    def seeded(self, db):
        return seed("--ideas", "20")

    def test_the_product_account_has_two_shortlists_in_a_manual_order(self, seeded):
        from ideas.models import Shortlist, ShortlistEntry

        product = User.objects.get(email="product@example.com")
        shortlists = list(Shortlist.objects.order_by("name"))
        assert [s.name for s in shortlists] == [
            "Next season's picks",
            "Running shoes 2027",
        ]
        for shortlist in shortlists:
            entries = list(shortlist.entries.select_related("idea"))
            assert len(entries) >= 3
            assert [e.position for e in entries] == list(range(len(entries)))
            assert all(e.idea.is_public for e in entries)
            assert all(e.added_by_id == product.pk for e in entries)
            assert shortlist.created_by_id == product.pk and shortlist.description
        assert ShortlistEntry.objects.exclude(note="").count() >= 3
        # One idea on both lists; the order is the team's, not by supports.
        on_both = set(shortlists[0].ideas.values_list("pk", flat=True)) & set(
            shortlists[1].ideas.values_list("pk", flat=True)
        )
        assert on_both
        orders = [
            list(s.entries.values_list("idea__supports_count", flat=True))
            for s in shortlists
        ]
        assert any(order != sorted(order, reverse=True) for order in orders)
        # Every idea shortlisted by status is on a shortlist.
        for idea in Idea.objects.filter(status=IdeaStatus.SHORTLISTED):
            assert idea.shortlists.exists(), idea

    def test_ideas_are_scored_by_two_product_team_scorers(self, seeded):
        from ideas.models import Criterion, Score
        from ideas.product import scoring

        product = User.objects.get(email="product@example.com")
        scorers = User.objects.filter(
            pk__in=Score.objects.values("scorer_id")
        ).distinct()
        assert product in scorers and scorers.count() == 2
        assert all(s.groups.filter(name="Product team").exists() for s in scorers)
        lab = scorers.exclude(pk=product.pk).get()
        assert not lab.has_usable_password()  # no second published login
        scored = Idea.objects.filter(score__isnull=False)
        assert scored.count() >= 5
        assert scored.filter(scorers_count=2).exists()
        assert scored.filter(scorers_count=1).exists()
        assert all(0 <= idea.score <= 100 for idea in scored)
        active = set(
            Criterion.objects.filter(is_active=True).values_list("pk", flat=True)
        )
        assert set(Score.objects.values_list("criterion_id", flat=True)) == active
        assert not Score.objects.filter(updated_at__gt=timezone.now()).exists()
        assert scoring.rescore() == 0  # the stored scores are the computed ones

    def test_one_idea_is_in_rnd_with_its_promotion(self, seeded):
        from ideas.models import Promotion

        idea = Idea.objects.get(status=IdeaStatus.IN_RND)
        promotion = idea.promotion
        assert promotion.ticket_key == "RND-142"
        assert promotion.ticket_url.startswith("https://")
        assert promotion.owner.groups.filter(name="Product team").exists()
        assert promotion.promoted_by.email == "product@example.com"
        assert promotion.target_date > timezone.localdate()
        assert (promotion.product_url, promotion.shipped_at) == ("", None)
        entered = idea.status_changes.get(new_status=IdeaStatus.IN_RND)
        assert promotion.promoted_at == entered.created_at
        shipped = Promotion.objects.get(idea__status=IdeaStatus.SHIPPED)
        assert shipped.product_url.startswith("https://")
        assert shipped.shipped_at and shipped.shipped_by.email == "product@example.com"
        assert shipped.promoted_at < shipped.shipped_at
        assert Promotion.objects.count() == 2

    def test_the_product_team_sees_its_work_on_the_idea_page(self, seeded, client):
        idea = Idea.objects.get(status=IdeaStatus.IN_RND)
        client.login(email="product@example.com", password=DEMO_PASSWORD)
        assert client.get(idea.get_absolute_url()).status_code == 200

    def test_some_authors_agree_to_be_contacted(self, seeded):
        authors = User.objects.filter(pk__in=Idea.objects.public().values("author_id"))
        consenting = authors.filter(contact_consent=True).count()
        assert 0 < consenting < authors.count()
        assert not User.objects.filter(is_staff=True, contact_consent=True).exists()

    def test_a_second_run_adds_no_product_team_content(self, seeded):
        from ideas.models import Promotion, Score, Shortlist, ShortlistEntry

        def snapshot():
            return (
                Shortlist.objects.count(),
                list(ShortlistEntry.objects.values_list("pk", "position", "note")),
                Score.objects.count(),
                Promotion.objects.count(),
                list(Idea.objects.order_by("pk").values_list("score", "scorers_count")),
                User.objects.filter(contact_consent=True).count(),
                User.objects.count(),
            )

        before = snapshot()
        out = seed("--ideas", "20")
        assert "Product team content was seeded before; none added." in out
        assert snapshot() == before

    def test_it_reports_what_it_seeded(self, seeded):
        assert "Product team: 2 shortlists with" in seeded
        assert "R&D records" in seeded

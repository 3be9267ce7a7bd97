"""ideas.voting: one support per member per idea, counted exactly once."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.urls import reverse

from ideas import voting
from ideas.errors import AlreadyDone, NotAllowed, RateLimited
from ideas.models import Idea, IdeaStatus, Support
from ideas.ranking import hot_score
from tests.factories import IdeaFactory

pytestmark = pytest.mark.django_db


def stored(idea: Idea) -> Idea:
    return Idea.objects.get(pk=idea.pk)


class TestSupport:
    def test_it_records_the_support_and_moves_the_counters(self, idea, bob):
        before = stored(idea).hot_score

        support = voting.support(member=bob, idea=idea)

        assert support.member == bob
        assert support.idea_id == idea.pk
        after = stored(idea)
        assert after.supports_count == 1
        assert after.hot_score == pytest.approx(hot_score(1, idea.created_at), abs=1e-6)
        assert after.hot_score == before  # log10(max(1, 1)) == log10(max(0, 1))

    def test_a_second_supporter_raises_the_hot_score(self, idea, bob, charlie):
        voting.support(member=bob, idea=idea)
        one = stored(idea).hot_score

        voting.support(member=charlie, idea=idea)

        after = stored(idea)
        assert after.supports_count == 2
        assert after.hot_score == pytest.approx(hot_score(2, idea.created_at), abs=1e-6)
        assert after.hot_score > one

    def test_the_support_carries_the_ideas_new_counts(self, idea, bob, charlie):
        voting.support(member=bob, idea=idea)

        support = voting.support(member=charlie, idea=Idea(pk=idea.pk))

        assert support.idea.supports_count == 2
        assert support.idea.hot_score == pytest.approx(
            hot_score(2, idea.created_at), abs=1e-6
        )
        assert support.idea.title == idea.title  # read whole, under the lock

    def test_an_unknown_idea_is_not_found(self, bob):
        with pytest.raises(Idea.DoesNotExist):
            voting.support(member=bob, idea=Idea(pk=999999))

    def test_it_fires_idea_supported(self, idea, bob, sent):
        support = voting.support(member=bob, idea=idea)

        (call,) = sent["idea_supported"]
        assert call["sender"] is Idea
        assert call["idea"].pk == idea.pk
        assert call["support"] == support
        assert call["member"] == bob

    def test_it_refuses_own_idea(self, idea, alice, sent):
        with pytest.raises(NotAllowed, match="your own idea"):
            voting.support(member=alice, idea=idea)

        assert not Support.objects.exists()
        assert stored(idea).supports_count == 0
        assert sent["idea_supported"] == []

    def test_it_refuses_anonymous_visitors(self, idea):
        with pytest.raises(NotAllowed, match="log in"):
            voting.support(member=AnonymousUser(), idea=idea)

    def test_it_refuses_an_inactive_member(self, idea, bob):
        bob.is_active = False
        bob.save()

        with pytest.raises(NotAllowed):
            voting.support(member=bob, idea=idea)

    @pytest.mark.parametrize(
        "status",
        [IdeaStatus.PENDING, IdeaStatus.HIDDEN, IdeaStatus.DECLINED, "duplicate"],
    )
    def test_it_refuses_ideas_not_open_for_support(self, alice, bob, status):
        idea = IdeaFactory(author=alice, status=status)

        with pytest.raises(NotAllowed, match="not open for support"):
            voting.support(member=bob, idea=idea)
        assert stored(idea).supports_count == 0

    def test_a_double_support_is_already_done_and_counts_once(
        self, idea, bob, charlie, sent
    ):
        voting.support(member=bob, idea=idea)

        with pytest.raises(AlreadyDone, match="already support"):
            voting.support(member=bob, idea=idea)

        assert Support.objects.filter(idea=idea).count() == 1
        assert stored(idea).supports_count == 1
        assert len(sent["idea_supported"]) == 1
        voting.support(member=charlie, idea=idea)  # the refusal left no harm
        assert stored(idea).supports_count == 2

    def test_it_uses_the_stored_count_not_a_stale_instance(self, idea, bob, charlie):
        stale = Idea.objects.get(pk=idea.pk)
        voting.support(member=bob, idea=idea)

        voting.support(member=charlie, idea=stale)

        assert stored(idea).supports_count == 2

    def test_it_refuses_a_member_supporting_too_fast(self, bob, settings):
        settings.COCREATE_RATE_LIMITS = {"support": "2/60"}
        ideas = IdeaFactory.create_batch(3)
        voting.support(member=bob, idea=ideas[0])
        voting.support(member=bob, idea=ideas[1])

        with pytest.raises(RateLimited, match="slow down"):
            voting.support(member=bob, idea=ideas[2])
        assert stored(ideas[2]).supports_count == 0


class TestWithdrawSupport:
    def test_it_removes_the_support_and_lowers_the_counters(self, idea, bob, charlie):
        voting.support(member=bob, idea=idea)
        voting.support(member=charlie, idea=idea)

        voting.withdraw_support(member=bob, idea=idea)

        assert list(Support.objects.values_list("member", flat=True)) == [charlie.pk]
        after = stored(idea)
        assert after.supports_count == 1
        assert after.hot_score == pytest.approx(hot_score(1, idea.created_at), abs=1e-6)

    def test_it_fires_support_withdrawn(self, idea, bob, sent):
        support = voting.support(member=bob, idea=idea)

        voting.withdraw_support(member=bob, idea=idea)

        (call,) = sent["support_withdrawn"]
        assert call["idea"].pk == idea.pk
        assert call["member"] == bob
        assert call["support_id"] == support.pk

    def test_withdrawing_twice_is_already_done(self, idea, bob, sent):
        voting.support(member=bob, idea=idea)
        voting.withdraw_support(member=bob, idea=idea)

        with pytest.raises(AlreadyDone, match="do not support"):
            voting.withdraw_support(member=bob, idea=idea)

        assert stored(idea).supports_count == 0
        assert len(sent["support_withdrawn"]) == 1

    def test_withdrawing_without_supporting_never_goes_negative(self, idea, bob):
        with pytest.raises(AlreadyDone):
            voting.withdraw_support(member=bob, idea=idea)

        assert stored(idea).supports_count == 0

    def test_it_refuses_anonymous_visitors(self, idea):
        with pytest.raises(NotAllowed, match="log in"):
            voting.withdraw_support(member=AnonymousUser(), idea=idea)

    def test_a_member_can_support_again_after_withdrawing(self, idea, bob):
        voting.support(member=bob, idea=idea)
        voting.withdraw_support(member=bob, idea=idea)

        voting.support(member=bob, idea=idea)

        assert stored(idea).supports_count == 1
        assert Support.objects.filter(idea=idea, member=bob).count() == 1


class TestSupportRequest:
    """The support button through the page: the fragment comes from what the
    service returned, and ideas a member cannot see stay out of reach."""

    HTMX = {"HTTP_HX_REQUEST": "true"}

    def url(self, pk: int) -> str:
        return reverse("ideas:support", args=[pk])

    def test_an_unknown_idea_is_a_404(self, bob_client):
        assert bob_client.post(self.url(999999), **self.HTMX).status_code == 404

    def test_a_hidden_idea_is_a_404_and_keeps_its_supports(
        self, bob, bob_client, alice
    ):
        idea = IdeaFactory(author=alice)
        voting.support(member=bob, idea=idea)
        Idea.objects.filter(pk=idea.pk).update(status=IdeaStatus.HIDDEN)

        withdraw = bob_client.post(self.url(idea.pk), {"action": "withdraw"})
        again = bob_client.post(self.url(idea.pk), **self.HTMX)

        assert (withdraw.status_code, again.status_code) == (404, 404)
        assert stored(idea).supports_count == 1

    def test_a_double_click_shows_the_true_state(self, bob, bob_client, idea):
        voting.support(member=bob, idea=idea)

        response = bob_client.post(self.url(idea.pk), **self.HTMX)

        html = response.content.decode()
        assert 'value="withdraw"' in html
        assert f'data-idea-supports="{idea.pk}">1<' in html
        assert 'role="alert"' not in html

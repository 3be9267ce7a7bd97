"""Random sequences of everything that moves points keep the ledger sound.

A hypothesis state machine supports, withdraws, comments, hides and restores
content, redeems, rejects, cancels, fulfils and adjusts, and after every step the
audit must be clean, no balance negative and no item lost from stock. Each
example runs inside a savepoint that is rolled back, so each starts afresh.
"""

from __future__ import annotations

import hypothesis.strategies as st
import pytest
from django.db import transaction
from django.db.models import F
from hypothesis import HealthCheck, settings
from hypothesis.stateful import (
    RuleBasedStateMachine,
    initialize,
    invariant,
    rule,
    run_state_machine_as_test,
)

from ideas import discussion, events, voting
from ideas.errors import IdeaError
from ideas.models import Comment, Idea, IdeaStatus
from rewards import ledger, redemptions
from rewards.audit import run_audit
from rewards.errors import RewardsError
from rewards.models import Redemption, RedemptionStatus, Reward, Wallet
from tests.factories import IdeaFactory
from tests.rewards.conftest import make_reward, seasoned

pytestmark = [pytest.mark.slow, pytest.mark.django_db]

STOCK = 4
MEMBERS = 4  # index 0 is the author of every idea
member_index = st.integers(min_value=0, max_value=MEMBERS - 1)
supporter_index = st.integers(min_value=1, max_value=MEMBERS - 1)
idea_index = st.integers(min_value=0, max_value=1)
pick = st.integers(min_value=0, max_value=50)


class LedgerMachine(RuleBasedStateMachine):
    @initialize()
    def start(self):
        self.atomic = transaction.atomic()
        self.atomic.__enter__()
        self.staff = seasoned(is_staff=True, is_superuser=True)
        self.members = [seasoned() for _ in range(MEMBERS)]
        self.ideas = [IdeaFactory(author=self.members[0]) for _ in range(2)]
        self.comments: list[Comment] = []
        self.reward = make_reward(cost=3, stock=STOCK)
        for member in self.members:
            ledger.adjust(member=member, amount=5, memo="Welcome", actor=self.staff)

    def teardown(self):
        if getattr(self, "atomic", None) is not None:
            transaction.set_rollback(True)
            self.atomic.__exit__(None, None, None)
            self.atomic = None

    def _open(self, n: int) -> Redemption | None:
        open_ = list(
            Redemption.objects.filter(
                status__in=[RedemptionStatus.PENDING, RedemptionStatus.APPROVED]
            ).order_by("id")
        )
        return open_[n % len(open_)] if open_ else None

    # Ideas -----------------------------------------------------------------

    @rule(who=supporter_index, which=idea_index)
    def support(self, who, which):
        try:
            voting.support(member=self.members[who], idea=self.ideas[which])
        except IdeaError:
            pass

    @rule(who=supporter_index, which=idea_index)
    def withdraw(self, who, which):
        try:
            voting.withdraw_support(member=self.members[who], idea=self.ideas[which])
        except IdeaError:
            pass

    @rule(who=member_index, which=idea_index)
    def comment(self, who, which):
        try:
            self.comments.append(
                discussion.post_comment(
                    author=self.members[who], idea=self.ideas[which], body="Yes!"
                )
            )
        except IdeaError:
            pass

    @rule(which=idea_index)
    def hide_idea(self, which):
        idea = Idea.objects.get(pk=self.ideas[which].pk)
        if idea.status == IdeaStatus.HIDDEN:
            return
        Idea.objects.filter(pk=idea.pk).update(status=IdeaStatus.HIDDEN)
        events.content_removed.send(sender=Idea, content=idea, actor=None, reason="")

    @rule(which=idea_index)
    def restore_idea(self, which):
        idea = Idea.objects.get(pk=self.ideas[which].pk)
        if idea.status != IdeaStatus.HIDDEN:
            return
        Idea.objects.filter(pk=idea.pk).update(status=IdeaStatus.PUBLISHED)
        idea.status = IdeaStatus.PUBLISHED
        events.content_restored.send(sender=Idea, content=idea, actor=None)

    @rule(n=pick)
    def remove_comment(self, n):
        if not self.comments:
            return
        comment = Comment.objects.get(pk=self.comments[n % len(self.comments)].pk)
        if comment.is_removed:
            return
        discussion.remove_comment(actor=comment.author, comment=comment)

    @rule(n=pick)
    def restore_comment(self, n):
        if not self.comments:
            return
        comment = Comment.objects.get(pk=self.comments[n % len(self.comments)].pk)
        if not comment.is_removed:
            return
        Comment.objects.filter(pk=comment.pk).update(removed_at=None)
        Idea.objects.filter(pk=comment.idea_id).update(
            comments_count=F("comments_count") + 1
        )
        events.content_restored.send(sender=Comment, content=comment, actor=None)

    # Points ----------------------------------------------------------------

    @rule(who=member_index)
    def redeem(self, who):
        try:
            redemptions.redeem(member=self.members[who], reward=self.reward)
        except RewardsError:
            pass

    @rule(n=pick)
    def approve(self, n):
        redemption = self._open(n)
        if redemption and redemption.status == RedemptionStatus.PENDING:
            redemptions.approve(actor=self.staff, redemption=redemption)

    @rule(n=pick)
    def fulfil(self, n):
        if redemption := self._open(n):
            redemptions.fulfil(actor=self.staff, redemption=redemption)

    @rule(n=pick)
    def reject(self, n):
        if redemption := self._open(n):
            redemptions.reject(actor=self.staff, redemption=redemption, note="No")

    @rule(n=pick, by_staff=st.booleans())
    def cancel(self, n, by_staff):
        redemption = self._open(n)
        if redemption is None:
            return
        actor = self.staff if by_staff else redemption.member
        try:
            redemptions.cancel(actor=actor, redemption=redemption)
        except RewardsError:
            assert not by_staff and redemption.status == RedemptionStatus.APPROVED

    @rule(
        who=member_index,
        amount=st.integers(min_value=-8, max_value=8).filter(bool),
    )
    def adjust(self, who, amount):
        try:
            ledger.adjust(
                member=self.members[who], amount=amount, memo="Fix", actor=self.staff
            )
        except RewardsError:
            assert amount < 0

    # Invariants -------------------------------------------------------------

    @invariant()
    def the_audit_is_clean(self):
        report = run_audit()
        assert report.clean, [str(d) for d in report.discrepancies]

    @invariant()
    def no_balance_is_negative(self):
        assert not Wallet.objects.filter(available__lt=0).exists()
        assert not Wallet.objects.filter(held__lt=0).exists()

    @invariant()
    def no_item_is_lost_from_stock(self):
        if getattr(self, "atomic", None) is None:
            return
        taken = Redemption.objects.exclude(
            status__in=[RedemptionStatus.REJECTED, RedemptionStatus.CANCELLED]
        ).count()
        assert Reward.objects.get(pk=self.reward.pk).stock + taken == STOCK


def test_random_sequences_keep_the_ledger_sound(no_rate_limits):
    run_state_machine_as_test(
        LedgerMachine,
        settings=settings(
            max_examples=25,
            stateful_step_count=20,
            deadline=None,
            database=None,
            suppress_health_check=[
                HealthCheck.too_slow,
                HealthCheck.function_scoped_fixture,
            ],
        ),
    )

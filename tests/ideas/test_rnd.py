"""Promotion into R&D and shipping: where an idea went, who owns it, and the
product that came of it; plain status changes cannot take these steps."""

from __future__ import annotations

import datetime

import pytest
from django.contrib.auth.models import Group
from django.utils import timezone
from wagtail.models import ModelLogEntry

from cocreate.notifications.models import Notification
from ideas import events, following, voting, workflow
from ideas.errors import AlreadyDone, InvalidInput, NotAllowed
from ideas.models import Idea, IdeaStatus, Promotion, StatusChange
from ideas.product import rnd
from ideas.product.forms import PromoteForm
from rewards.models import Entry
from tests.factories import IdeaFactory, UserFactory

TICKET = "https://jira.example.com/browse/RND-142"


@pytest.fixture
def owner(db):
    """Olga, who runs the lab."""
    member = UserFactory(email="olga@example.com", display_name="Olga")
    member.groups.add(Group.objects.get(name="Product team"))
    return member


@pytest.fixture
def promoted_and_shipped():
    """Every ``idea_promoted`` and ``idea_shipped`` sent, as keyword arguments."""
    calls: dict[str, list[dict]] = {"idea_promoted": [], "idea_shipped": []}
    receivers = []
    for name, signal in (
        ("idea_promoted", events.idea_promoted),
        ("idea_shipped", events.idea_shipped),
    ):

        def receiver(sender, _name=name, **kwargs):
            kwargs.pop("signal", None)
            calls[_name].append({"sender": sender, **kwargs})

        signal.connect(receiver, weak=False)
        receivers.append((signal, receiver))
    yield calls
    for signal, receiver in receivers:
        signal.disconnect(receiver)


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """Runs an action and then what it queued for after its commit (the tasks)."""

    def run(action):
        with django_capture_on_commit_callbacks(execute=True):
            return action()

    return run


def in_a_month() -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=30)


def promote(product, idea, owner, **fields) -> Promotion:
    fields.setdefault("ticket_key", "RND-142")
    fields.setdefault("ticket_url", TICKET)
    fields.setdefault("target_date", in_a_month())
    fields.setdefault("note", "Our lab builds the first prototypes.")
    return rnd.promote(actor=product, idea=idea, owner=owner, **fields)


def ship(product, idea, **fields) -> Promotion:
    fields.setdefault("product_url", "https://shop.example.com/p/dry-shoe")
    fields.setdefault("note", "In stores now. Thank you all!")
    return rnd.ship(actor=product, idea=idea, **fields)


# Promotion --------------------------------------------------------------------------


def test_promotion_records_the_ticket_owner_and_target_date(product, owner, idea):
    target = in_a_month()

    promotion = promote(product, idea, owner, ticket_key="  RND-142 ")

    stored = Promotion.objects.get(idea=idea)
    assert stored.pk == promotion.pk
    assert stored.ticket_key == "RND-142"
    assert stored.ticket_url == TICKET
    assert (stored.owner, stored.target_date) == (owner, target)
    assert stored.promoted_by == product and stored.promoted_at is not None
    assert (stored.product_url, stored.shipped_at) == ("", None)


def test_promotion_moves_the_idea_to_rnd_with_a_timeline_entry(
    product, owner, idea, sent
):
    promote(product, idea, owner, note="Prototypes **this** spring.")

    idea.refresh_from_db()
    assert idea.status == IdeaStatus.IN_RND
    change = idea.status_changes.get()
    assert (change.old_status, change.new_status) == ("published", "in_rnd")
    assert change.actor == product
    assert "<strong>this</strong>" in change.note_html
    assert [
        (c["old_status"], c["new_status"], c["note"])
        for c in sent["idea_status_changed"]
    ] == [("published", "in_rnd", "Prototypes **this** spring.")]


def test_promotion_fires_idea_promoted_with_the_promotion(
    product, owner, idea, promoted_and_shipped
):
    promotion = promote(product, idea, owner)

    (call,) = promoted_and_shipped["idea_promoted"]
    assert call["sender"] is Idea
    assert call["idea"].pk == idea.pk and call["idea"].status == IdeaStatus.IN_RND
    assert call["actor"] == product
    assert call["promotion"] == promotion
    assert promoted_and_shipped["idea_shipped"] == []


def test_a_shortlisted_or_reviewed_idea_can_be_promoted(product, owner):
    for status in (IdeaStatus.UNDER_REVIEW, IdeaStatus.SHORTLISTED):
        idea = IdeaFactory(status=status)
        promote(product, idea, owner)
        assert Idea.objects.get(pk=idea.pk).status == IdeaStatus.IN_RND


def test_the_target_date_and_ticket_link_are_optional(product, owner, idea):
    promotion = promote(product, idea, owner, ticket_url="", target_date=None)

    assert (promotion.ticket_url, promotion.target_date) == ("", None)


def test_promotion_is_audit_logged(product, owner, idea):
    promote(product, idea, owner)

    entry = ModelLogEntry.objects.get(action="cocreate.idea.promote")
    assert entry.user_id == product.pk and entry.object_id == str(idea.pk)
    assert entry.data == {
        "ticket": "RND-142",
        "owner": owner.pk,
        "target_date": in_a_month().isoformat(),
    }


def test_promotion_notifies_author_supporters_and_followers(
    product, owner, idea, alice, bob, committed
):
    follower, bystander = UserFactory(), UserFactory()
    voting.support(member=bob, idea=idea)
    following.follow(member=follower, idea=idea)

    committed(lambda: promote(product, idea, owner, note="Prototypes soon"))

    told = set(
        Notification.objects.filter(kind="status_changed").values_list(
            "recipient_id", flat=True
        )
    )
    assert told == {alice.pk, bob.pk, follower.pk}
    assert bystander.pk not in told and product.pk not in told
    note = Notification.objects.get(kind="status_changed", recipient=bob)
    assert note.title == f"“{idea.title}” is now: In R&D"
    assert note.body == "Prototypes soon"


def test_promotion_pays_the_author_once(product, owner, alice):
    idea = IdeaFactory(author=alice)

    promote(product, idea, owner)

    # idea_status_changed (to in_rnd) pays; idea_promoted pays nothing more.
    paid = Entry.objects.filter(key=f"promoted:{idea.pk}")
    assert paid.count() == 1
    assert paid.get().wallet.member_id == alice.pk
    assert paid.get().amount == 250


# Promotion refused --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"ticket_key": "  "}, "Please give the R&D ticket"),
        ({"ticket_key": "R" * 61}, "under 60 characters"),
        ({"ticket_url": "jira/RND-142"}, "ticket link must be a web address"),
        ({"ticket_url": "javascript:alert(1)"}, "ticket link must be a web address"),
        ({"ticket_url": "ftp://example.com/RND"}, "ticket link must be a web address"),
        (
            {"target_date": datetime.date(2020, 1, 1)},
            "The target date is in the past.",
        ),
        ({"ticket_url": TICKET + "?q=" + "x" * 500}, "under 500 characters"),
        ({"note": "   "}, "Please write a note"),
    ],
)
def test_promotion_refuses_bad_input(product, owner, idea, fields, message):
    with pytest.raises(InvalidInput, match=message):
        promote(product, idea, owner, **fields)

    assert Idea.objects.get(pk=idea.pk).status == IdeaStatus.PUBLISHED
    assert not Promotion.objects.exists()
    assert not StatusChange.objects.exists()


def test_today_is_a_fine_target_date(product, owner, idea):
    promotion = promote(product, idea, owner, target_date=timezone.localdate())
    assert promotion.target_date == timezone.localdate()


def test_promotion_needs_an_active_owner(product, owner, idea):
    with pytest.raises(InvalidInput, match="who owns the idea"):
        promote(product, idea, None)
    owner.is_active = False
    owner.save()

    with pytest.raises(InvalidInput, match="Olga can no longer sign in"):
        promote(product, idea, owner)

    assert not Promotion.objects.exists()


@pytest.mark.parametrize(
    "status",
    [
        IdeaStatus.DECLINED,
        IdeaStatus.HIDDEN,
        IdeaStatus.PENDING,
        IdeaStatus.DRAFT,
        IdeaStatus.DUPLICATE,
        IdeaStatus.SHIPPED,
    ],
)
def test_promotion_refuses_ideas_in_other_statuses(product, owner, status):
    idea = IdeaFactory(status=status)

    with pytest.raises(InvalidInput, match="cannot be promoted into R&D"):
        promote(product, idea, owner)

    assert Idea.objects.get(pk=idea.pk).status == status
    assert not Promotion.objects.exists()


def test_promoting_twice_says_it_is_already_in_rnd(
    product, owner, idea, promoted_and_shipped
):
    promote(product, idea, owner)

    with pytest.raises(AlreadyDone, match="already in R&D"):
        promote(product, idea, owner, ticket_key="RND-999")

    assert Promotion.objects.get().ticket_key == "RND-142"
    assert len(promoted_and_shipped["idea_promoted"]) == 1


@pytest.mark.parametrize("persona", ["alice", "bob", "moderator"])
def test_only_the_product_team_promotes(request, owner, idea, persona):
    actor = request.getfixturevalue(persona)

    with pytest.raises(NotAllowed, match="Only the product team"):
        promote(actor, idea, owner)

    assert not Promotion.objects.exists()


# Shipping -----------------------------------------------------------------------------


def test_shipping_records_the_product_and_moves_the_idea(
    product, owner, idea, sent, promoted_and_shipped
):
    promote(product, idea, owner)

    promotion = ship(product, idea)

    idea.refresh_from_db()
    assert idea.status == IdeaStatus.SHIPPED
    stored = Promotion.objects.get(idea=idea)
    assert stored.pk == promotion.pk
    assert stored.product_url == "https://shop.example.com/p/dry-shoe"
    assert stored.shipped_by == product and stored.shipped_at is not None
    assert stored.ticket_key == "RND-142"  # the R&D record stays
    assert list(idea.status_changes.values_list("new_status", flat=True)) == [
        "in_rnd",
        "shipped",
    ]
    assert [(c["old_status"], c["new_status"]) for c in sent["idea_status_changed"]][
        -1
    ] == ("in_rnd", "shipped")
    (call,) = promoted_and_shipped["idea_shipped"]
    assert call["sender"] is Idea and call["actor"] == product
    assert call["promotion"] == promotion and call["idea"].pk == idea.pk
    entry = ModelLogEntry.objects.get(action="cocreate.idea.ship")
    assert entry.data == {"product_url": "https://shop.example.com/p/dry-shoe"}


def test_shipping_pays_the_author(product, owner, alice):
    idea = IdeaFactory(author=alice)
    promote(product, idea, owner)

    ship(product, idea)

    assert Entry.objects.get(key=f"shipped:{idea.pk}").amount == 500


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"product_url": ""}, "Please give the link to the product."),
        ({"product_url": "shop/dry-shoe"}, "product link must be a web address"),
        ({"product_url": "https://shop.example.com/" + "p" * 480}, "under 500"),
        ({"note": ""}, "Please write a note"),
    ],
)
def test_shipping_refuses_bad_input(product, owner, idea, fields, message):
    promote(product, idea, owner)

    with pytest.raises(InvalidInput, match=message):
        ship(product, idea, **fields)

    assert Idea.objects.get(pk=idea.pk).status == IdeaStatus.IN_RND
    assert Promotion.objects.get().shipped_at is None


@pytest.mark.parametrize(
    "status",
    [IdeaStatus.PUBLISHED, IdeaStatus.SHORTLISTED, IdeaStatus.DECLINED],
)
def test_only_ideas_in_rnd_ship(product, status):
    idea = IdeaFactory(status=status)

    with pytest.raises(InvalidInput, match="Only ideas in R&D can ship"):
        ship(product, idea)

    assert Idea.objects.get(pk=idea.pk).status == status


def test_an_idea_in_rnd_without_a_promotion_cannot_ship(product):
    idea = IdeaFactory(status=IdeaStatus.IN_RND)  # as older data may hold

    with pytest.raises(InvalidInput, match="promote this idea into R&D first"):
        ship(product, idea)


def test_shipping_twice_says_it_has_shipped(product, owner, idea, promoted_and_shipped):
    promote(product, idea, owner)
    ship(product, idea)

    with pytest.raises(AlreadyDone, match="already shipped"):
        ship(product, idea, product_url="https://shop.example.com/other")

    assert Promotion.objects.get().product_url.endswith("/dry-shoe")
    assert len(promoted_and_shipped["idea_shipped"]) == 1


@pytest.mark.parametrize("persona", ["alice", "moderator"])
def test_only_the_product_team_ships(request, product, owner, idea, persona):
    promote(product, idea, owner)

    with pytest.raises(NotAllowed, match="Only the product team"):
        ship(request.getfixturevalue(persona), idea)

    assert Idea.objects.get(pk=idea.pk).status == IdeaStatus.IN_RND


# Plain status changes -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("status", "action", "other"),
    [
        (IdeaStatus.IN_RND, "Promote into R&D", "Mark shipped"),
        (IdeaStatus.SHIPPED, "Mark shipped", "Promote into R&D"),
    ],
)
def test_a_plain_status_change_points_to_the_right_action(
    product, idea, status, action, other
):
    with pytest.raises(InvalidInput, match=action) as refused:
        workflow.change_status(actor=product, idea=idea, new_status=status, note="x")

    assert other not in str(refused.value)

    assert Idea.objects.get(pk=idea.pk).status == IdeaStatus.PUBLISHED
    assert not StatusChange.objects.exists()


def test_an_idea_in_rnd_can_still_be_declined(product, owner, idea):
    promote(product, idea, owner)

    workflow.change_status(
        actor=product, idea=idea, new_status="declined", note="The lab said no."
    )

    assert Idea.objects.get(pk=idea.pk).status == IdeaStatus.DECLINED


def test_the_idea_page_links_the_product_once_shipped_never_the_ticket(
    client, product, owner, idea
):
    url = idea.get_absolute_url()
    promote(product, idea, owner)
    in_rnd = client.get(url).content.decode()
    assert "jira.example.com" not in in_rnd
    assert "See the product" not in in_rnd

    ship(product, idea)

    shipped = client.get(url).content.decode()
    assert 'href="https://shop.example.com/p/dry-shoe"' in shipped
    assert "See the product that came of this idea" in shipped
    assert "jira.example.com" not in shipped


# The owner rule: one for the admin form and the service (and so the API) -------


def test_any_member_is_refused_as_owner(product, idea, alice):
    with pytest.raises(InvalidInput, match="not in the product team or the moder"):
        promote(product, idea, alice)

    assert not Promotion.objects.exists()


def test_a_moderator_may_own_an_idea_in_rnd(product, idea, moderator):
    assert promote(product, idea, moderator).owner == moderator


def test_the_form_offers_exactly_the_possible_owners(product, owner, moderator, alice):
    offered = PromoteForm().fields["owner"].queryset

    assert list(offered) == list(rnd.possible_owners())
    assert set(offered) == {product, owner, moderator}

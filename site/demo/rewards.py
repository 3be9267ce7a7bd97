"""The points economy's side of the demo: the reward catalogue with its voucher
codes, the points the seeded history earned, and redemptions made now through the
services (the demo member's, and a queue for the moderator)."""

from __future__ import annotations

from django.db.models import F

from cocreate.demo.bulk import loading
from cocreate.demo.context import Demo, french_columns
from cocreate.demo.members import email_for, member_names
from cocreate.demo.pictures import PALETTES, wagtail_image
from cocreate.demo.points import import_points_history
from cocreate.members.models import User
from rewards import ledger, redemptions, vouchers
from rewards.models import Entry, EntryKind, Redemption, Reward, RewardKind, Wallet

# The catalogue: what each reward is, costs and needs; "key" names it in this file.
REWARDS = (
    {
        "key": "voucher",
        "title": "10 € voucher",
        "kind": RewardKind.VOUCHER,
        "cost": 1000,
        "description": "A code worth 10 € in our shops and online, valid for a "
        "year. It appears in your wallet as soon as you redeem.",
        "codes": 20,
    },
    {
        "key": "repair",
        "title": "Free repair voucher",
        "kind": RewardKind.VOUCHER,
        "cost": 800,
        "description": "One free repair of any of our products at the workshop of "
        "your choice. New codes arrive at the start of each month; requests wait "
        "for them.",
        "codes": 0,
    },
    {
        "key": "bottle",
        "title": "Branded water bottle",
        "kind": RewardKind.GOODS,
        "cost": 1500,
        "description": "A 750 ml stainless steel bottle with the community's logo, "
        "shipped to your door.",
        "stock": 25,
        "limit_per_member": 1,
    },
    {
        "key": "trees",
        "title": "Plant 10 trees with our reforestation partner",
        "kind": RewardKind.DONATION,
        "cost": 500,
        "description": "We give the money for ten trees, planted and cared for "
        "by our reforestation partner in the Vosges mountains.",
        "cause": "Green Valleys Reforestation",
    },
    {
        "key": "cash",
        "title": "Cash out",
        "kind": RewardKind.MONEY,
        "cost": 1000,
        "description": "Points become money on your bank account: 100 points make "
        "1 €, from 1,000 points. Paid by bank transfer within two weeks.",
    },
)
WELCOME_BONUS = 4000
WELCOME_MEMO = "Welcome bonus for the demo"
TOP_UP_MEMO = "Prize for testing a prototype"
SHIPPING = {
    "shipping_address": "12 rue des Lilas",
    "shipping_postcode": "69003",
    "shipping_city": "Lyon",
    "shipping_country": "France",
}
FULFIL_NOTE = "Your ten trees are planted in the Vosges. Thank you!"
REJECT_NOTE = "We cannot ship to this address; your points are back in your wallet."


def seed_rewards(demo: Demo, accounts: dict[str, User]) -> None:
    """The catalogue, the points the seeded history earned, and redemptions."""
    rewards = seed_catalogue(demo, accounts["editor@example.com"])
    demo_member = accounts["member@example.com"]
    # The welcome bonus is written with the rest, so it marks a full seed.
    if Entry.objects.filter(
        wallet__member=demo_member,
        kind=EntryKind.ADJUSTMENT,
        memo=demo.text("WELCOME_MEMO", WELCOME_MEMO),
    ).exists():
        demo.write("Points were seeded before; none added.")
        return
    with loading(Entry, write=demo.write):
        imported = import_points_history(demo)
    seed_redemptions(demo, accounts, rewards)
    demo.write(
        f"Paid {imported.points} points in {imported.entries} entries to "
        f"{imported.wallets} members for their history, with {imported.badges} "
        f"badges; {Redemption.objects.count()} redemptions."
    )


def seed_catalogue(demo: Demo, editor: User) -> dict[str, Reward]:
    rewards = {}
    for number, (spec, french) in enumerate(
        zip(
            demo.text("REWARDS", REWARDS),
            french_columns(demo.language, "REWARDS", REWARDS),
            strict=True,
        )
    ):
        reward = Reward.objects.filter(title=spec["title"]).first()
        if reward is None:
            reward = Reward.objects.create(
                title=spec["title"],
                kind=spec["kind"],
                cost=spec["cost"],
                description=spec["description"],
                title_fr=french.get("title", ""),
                description_fr=french.get("description", ""),
                stock=spec.get("stock"),
                limit_per_member=spec.get("limit_per_member"),
                cause=spec.get("cause", ""),
                image=wagtail_image(
                    demo, spec["title"], (800, 600), PALETTES[(number + 4) % 8]
                ),
            )
            if spec.get("codes"):
                rng = demo.rng(f"codes:{spec['title']}")
                codes = [
                    f"CC{spec['cost'] // 100:02d}-"
                    f"{rng.getrandbits(16):04X}-{rng.getrandbits(16):04X}"
                    for _ in range(spec["codes"])
                ]
                vouchers.import_voucher_codes(
                    actor=editor, reward=reward, csv_text="\n".join(codes)
                )
        rewards[spec["key"]] = reward
    return rewards


def seed_redemptions(
    demo: Demo, accounts: dict[str, User], rewards: dict[str, Reward]
) -> None:
    """The demo member's voucher and bottle; a queue for the moderator."""
    shipping = demo.text("SHIPPING", SHIPPING)
    # Fresh from the database: the role group was just given to the account.
    moderator = User.objects.get(email="moderator@example.com")
    demo_member = accounts["member@example.com"]
    ledger.adjust(
        member=demo_member,
        amount=WELCOME_BONUS,
        memo=demo.text("WELCOME_MEMO", WELCOME_MEMO),
        actor=moderator,
    )
    redemptions.redeem(member=demo_member, reward=rewards["voucher"])
    redemptions.redeem(
        member=demo_member,
        reward=rewards["bottle"],
        details=redemptions.Details(shipping_name=demo_member.display_name, **shipping),
    )
    # The community's best earners ask for the rest.
    others = list(
        User.objects.filter(is_staff=False, is_superuser=False, is_active=True)
        .exclude(pk=demo_member.pk)
        .order_by(F("wallet__available").desc(nulls_last=True), "pk")[:5]
    )
    if len(others) < 5:
        return
    full_names = {email_for(name): name for name in member_names(demo.language)}
    requests = (
        (
            rewards["cash"],
            redemptions.Details(points=1500, iban="DE89370400440532013000"),
        ),
        (
            rewards["cash"],
            redemptions.Details(points=1000, iban="FR7630006000011234567890189"),
        ),
        (rewards["repair"], None),
        (rewards["trees"], None),
        (rewards["bottle"], redemptions.Details(**shipping)),
    )
    made = []
    for member, (reward, details) in zip(others, requests, strict=True):
        points = details.points if details and details.points else reward.cost
        wallet = Wallet.objects.filter(member=member).first()
        short = points - (wallet.available if wallet else 0)
        if short > 0:
            ledger.adjust(
                member=member,
                amount=short,
                memo=demo.text("TOP_UP_MEMO", TOP_UP_MEMO),
                actor=moderator,
            )
        name = full_names.get(member.email, member.display_name)
        if details is not None:
            details.account_holder = name if details.iban else ""
            details.shipping_name = "" if details.iban else name
        made.append(redemptions.redeem(member=member, reward=reward, details=details))
    redemptions.fulfil(
        actor=moderator,
        redemption=made[3],
        note=demo.text("FULFIL_NOTE", FULFIL_NOTE),
    )
    redemptions.reject(
        actor=moderator,
        redemption=made[4],
        note=demo.text("REJECT_NOTE", REJECT_NOTE),
    )

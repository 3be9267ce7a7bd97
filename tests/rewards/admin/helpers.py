"""Personas' grants, URLs and small readers the rewards back-office tests share."""

from __future__ import annotations

from django.contrib.auth.models import Permission
from django.test import Client
from django.urls import reverse

from rewards.models import (
    Redemption,
    Reward,
    RewardKind,
    Wallet,
)
from rewards.redemptions import Details

IBAN = "DE89370400440532013000"


# Personas and helpers -----------------------------------------------------------
def grant(user, *perms: str):
    for perm in perms:
        app_label, codename = perm.split(".")
        user.user_permissions.add(
            Permission.objects.get(content_type__app_label=app_label, codename=codename)
        )


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def make_reward(kind: str = RewardKind.GOODS, **fields) -> Reward:
    fields.setdefault("title", f"A {kind}")
    fields.setdefault("cost", 100)
    return Reward.objects.create(kind=kind, **fields)


SHIPPING = Details(
    shipping_name="Alice Martin",
    shipping_address="12 rue des Lilas",
    shipping_postcode="75011",
    shipping_city="Paris",
    shipping_country="France",
)


def wallet_of(member) -> Wallet:
    return Wallet.objects.get(member=member)


def messages_of(response) -> list[str]:
    return [str(message).strip() for message in response.context["messages"]]


def action_url(action: str, redemption: Redemption) -> str:
    return reverse(f"rewards_redemptions:{action}", args=(redemption.pk,))


def inspect_url(redemption: Redemption) -> str:
    return reverse("rewards_redemptions:inspect", args=(redemption.pk,))


def wallet_url(name: str, wallet: Wallet) -> str:
    return reverse(f"rewards_wallets:{name}", args=(wallet.pk,))

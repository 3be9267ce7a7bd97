"""What the members app keeps only for a while (see ``cocreate.retention``)."""

from __future__ import annotations

import datetime

from allauth.account.models import EmailAddress
from django.db.models import Exists, OuterRef, QuerySet

from cocreate import retention
from cocreate.members.models import User


def unconfirmed_accounts(cutoff: datetime.datetime) -> QuerySet[User]:
    """Accounts that signed up before ``cutoff``, never confirmed an address and
    never logged in; staff accounts and accounts without any address (made in the
    back office or by ``createsuperuser``) are left alone."""
    addresses = EmailAddress.objects.filter(user=OuterRef("pk"))
    return User.objects.filter(
        Exists(addresses),
        ~Exists(addresses.filter(verified=True)),
        date_joined__lt=cutoff,
        last_login__isnull=True,
        is_staff=False,
        is_superuser=False,
    )


def register_policies() -> None:
    retention.register(
        "unconfirmed_accounts",
        "accounts never confirmed nor logged in",
        unconfirmed_accounts,
    )

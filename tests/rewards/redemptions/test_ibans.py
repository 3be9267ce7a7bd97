"""IBANs at rest: encrypted, forgotten once paid, kept masked."""

from __future__ import annotations

import csv
import io

import pytest

from rewards import payouts, redemptions
from rewards.models import (
    Redemption,
)
from rewards.redemptions import Details
from tests.rewards.conftest import give
from tests.rewards.redemptions.helpers import IBAN, money

pytestmark = pytest.mark.usefixtures("clean_audit")


# IBANs at rest ------------------------------------------------------------------
PLAIN_IBAN = "DE89370400440532013000"


def stored_iban(redemption) -> str:
    """The IBAN column as the database holds it, past the field's decryption."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT iban FROM rewards_redemption WHERE id = %s", [redemption.pk]
        )
        return cursor.fetchone()[0]


def test_the_database_never_holds_a_plain_iban(payout):
    column = stored_iban(payout)

    assert column and PLAIN_IBAN not in column
    assert PLAIN_IBAN[-4:] not in column
    assert Redemption.objects.get(pk=payout.pk).iban == PLAIN_IBAN
    assert Redemption.objects.get(pk=payout.pk).masked_iban == "DE89 •••• •••• 3000"


def test_the_payout_file_still_has_the_full_iban(payout, staff):
    text, _count = payouts.export_payouts(actor=staff)

    row = dict(zip(*list(csv.reader(io.StringIO(text))), strict=True))
    assert row["iban"] == PLAIN_IBAN


def test_a_paid_payout_forgets_its_iban_but_keeps_it_masked(payout, staff):
    payouts.export_payouts(actor=staff)

    payouts.mark_paid(
        actor=staff, redemptions=Redemption.objects.select_related("reward")
    )

    stored = Redemption.objects.get(pk=payout.pk)
    assert stored.iban == ""
    assert stored_iban(payout) == ""
    assert stored.masked_iban == "DE89 •••• •••• 3000"
    assert PLAIN_IBAN not in stored.iban_masked


@pytest.mark.parametrize("close", ["reject", "cancel"])
def test_a_closed_payout_forgets_its_iban(funded, staff, close):
    give(funded, 1400, actor=staff)
    payout = redemptions.redeem(
        member=funded,
        reward=money(),
        details=Details(points=1250, account_holder="Bob", iban=IBAN),
    )
    actor = funded if close == "cancel" else staff
    getattr(redemptions, close)(actor=actor, redemption=payout, note="No")

    stored = Redemption.objects.get(pk=payout.pk)
    assert (stored.iban, stored_iban(payout)) == ("", "")
    assert stored.masked_iban == "DE89 •••• •••• 3000"


def test_an_open_payout_keeps_its_iban_until_paid(payout, staff):
    payouts.export_payouts(actor=staff)

    assert Redemption.objects.get(pk=payout.pk).iban == PLAIN_IBAN
    assert stored_iban(payout) != ""


def test_ibans_are_encrypted_with_the_configured_key(payout, settings):
    from cryptography.fernet import Fernet
    from django.test import override_settings

    from rewards import iban

    token = stored_iban(payout)
    derived = iban.derived_key(settings.SECRET_KEY)
    assert Fernet(derived).decrypt(token.encode()).decode() == PLAIN_IBAN

    key = Fernet.generate_key()
    # Rotation: the old token still reads; a new write uses the first key.
    with override_settings(IBAN_ENCRYPTION_KEY=f"{key.decode()}, {derived.decode()}"):
        assert Redemption.objects.get(pk=payout.pk).iban == PLAIN_IBAN
        Redemption.objects.filter(pk=payout.pk).update(iban=PLAIN_IBAN)
        assert Fernet(key).decrypt(stored_iban(payout).encode()) == PLAIN_IBAN.encode()
        Redemption.objects.filter(pk=payout.pk).update(iban="")  # for the audit


def test_a_wrong_key_is_refused_loudly_never_read_as_no_iban(payout):
    from cryptography.fernet import Fernet
    from django.core.exceptions import ImproperlyConfigured
    from django.test import override_settings

    with override_settings(IBAN_ENCRYPTION_KEY=Fernet.generate_key().decode()):
        with pytest.raises(ImproperlyConfigured, match="cannot be decrypted"):
            Redemption.objects.get(pk=payout.pk)
    with override_settings(IBAN_ENCRYPTION_KEY="not-a-key"):
        with pytest.raises(ImproperlyConfigured, match="Fernet keys"):
            Redemption.objects.get(pk=payout.pk)


def test_the_migration_encrypts_plain_ibans_and_back(payout):
    import importlib

    from django.apps import apps
    from django.db import connection

    migration = importlib.import_module(
        "rewards.migrations.0003_iban_encrypted_at_rest"
    )
    editor = type("Editor", (), {"connection": connection})()
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE rewards_redemption SET iban = %s WHERE id = %s",
            [PLAIN_IBAN, payout.pk],
        )

    migration.encrypt(apps, editor)
    token = stored_iban(payout)
    assert token != PLAIN_IBAN
    assert Redemption.objects.get(pk=payout.pk).iban == PLAIN_IBAN
    migration.encrypt(apps, editor)  # a second run leaves tokens as they are
    assert stored_iban(payout) == token

    migration.decrypt(apps, editor)
    assert stored_iban(payout) == PLAIN_IBAN
    migration.encrypt(apps, editor)  # as it was, for the ledger's audit

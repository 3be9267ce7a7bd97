"""IBANs encrypted at rest, and erased once their payout is closed.

1. ``iban_masked`` keeps the masked form (``FR76 •••• •••• 0189``) of an erased IBAN.
2. The IBANs of closed payouts (paid, refused, cancelled) are erased, their masked
   form kept: the bank file already has them. Not reversible: an erased number is
   gone, which is the point; going back leaves those IBANs empty.
3. The column becomes ``EncryptedIBANField`` and every IBAN left is encrypted with
   IBAN_ENCRYPTION_KEY (or the key derived from SECRET_KEY). Reversible: going back
   decrypts them into the plain column, with the same key.
"""

import re

from django.db import migrations, models

import rewards.iban

CLOSED = ("fulfilled", "rejected", "cancelled")
PLAIN_IBAN = re.compile(r"[A-Z]{2}[0-9]{2}[A-Z0-9]{10,30}")


def erase_closed_payouts(apps, schema_editor):
    Redemption = apps.get_model("rewards", "Redemption")
    closed = Redemption.objects.filter(status__in=CLOSED).exclude(iban="")
    for pk, iban in closed.values_list("pk", "iban").iterator():
        Redemption.objects.filter(pk=pk).update(
            iban="", iban_masked=rewards.iban.mask_iban(iban)
        )


def _stored(apps, schema_editor):
    """(pk, column value) of every stored IBAN, read raw: the ORM would decrypt."""
    Redemption = apps.get_model("rewards", "Redemption")
    quote = schema_editor.connection.ops.quote_name
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {quote('id')}, {quote('iban')} "  # noqa: S608
            f"FROM {quote(Redemption._meta.db_table)} WHERE {quote('iban')} <> ''"
        )
        return Redemption, list(cursor.fetchall())


def encrypt(apps, schema_editor):
    Redemption, rows = _stored(apps, schema_editor)
    for pk, value in rows:
        if PLAIN_IBAN.fullmatch(value):  # a token is never an IBAN: rerun safely
            # The field encrypts what it writes.
            Redemption.objects.filter(pk=pk).update(iban=value)


def decrypt(apps, schema_editor):
    Redemption, rows = _stored(apps, schema_editor)
    quote = schema_editor.connection.ops.quote_name
    with schema_editor.connection.cursor() as cursor:
        for pk, value in rows:
            if PLAIN_IBAN.fullmatch(value):
                continue
            cursor.execute(
                f"UPDATE {quote(Redemption._meta.db_table)} "  # noqa: S608
                f"SET {quote('iban')} = %s WHERE {quote('id')} = %s",
                [rewards.iban.decrypt_iban(value), pk],
            )


class Migration(migrations.Migration):
    dependencies = [
        ("rewards", "0002_defaults"),
    ]

    operations = [
        migrations.AddField(
            model_name="redemption",
            name="iban_masked",
            field=models.CharField(
                blank=True, max_length=24, verbose_name="IBAN (masked)"
            ),
        ),
        migrations.RunPython(erase_closed_payouts, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="redemption",
            name="iban",
            field=rewards.iban.EncryptedIBANField(
                blank=True, max_length=255, verbose_name="IBAN"
            ),
        ),
        migrations.RunPython(encrypt, decrypt),
    ]

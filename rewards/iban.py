"""IBANs: checks (ISO 13616 mod-97), masking, encryption at rest and erasure.

A bank account is shown masked once entered, so a glance over a shoulder or a
screenshot never reveals it; it is stored encrypted, so a database dump or backup
does not either; and it is erased once its payout closes (paid, refused or
cancelled), keeping only the masked form. The full number leaves the system only in
the payout export, for approved payouts not yet paid.
"""

from __future__ import annotations

import base64
import functools
import re
from typing import Any, Protocol

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.db import models
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _

# Lengths of the IBANs of SEPA countries and a few neighbours.
IBAN_LENGTHS = {
    "AD": 24, "AT": 20, "BE": 16, "BG": 22, "CH": 21, "CY": 28, "CZ": 24, "DE": 22,
    "DK": 18, "EE": 20, "ES": 24, "FI": 18, "FR": 27, "GB": 22, "GI": 23, "GR": 27,
    "HR": 21, "HU": 28, "IE": 22, "IS": 26, "IT": 27, "LI": 21, "LT": 20, "LU": 20,
    "LV": 21, "MC": 27, "MT": 31, "NL": 18, "NO": 15, "PL": 28, "PT": 25, "RO": 24,
    "SE": 24, "SI": 19, "SK": 24, "SM": 27, "VA": 22,
}  # fmt: skip


def normalise_iban(value: str) -> str:
    return re.sub(r"[\s-]+", "", value or "").upper()


def validate_iban(value: str) -> str:
    """Return the IBAN without spaces, or raise a ValidationError that says why."""
    iban = normalise_iban(value)
    if not re.fullmatch(r"[A-Z]{2}[0-9]{2}[A-Z0-9]{10,30}", iban):
        raise ValidationError(
            _("This is not an IBAN: it starts with two letters and two digits.")
        )
    country = iban[:2]
    expected = IBAN_LENGTHS.get(country)
    if expected is None:
        raise ValidationError(
            _("We cannot pay to accounts in %(country)s.") % {"country": country}
        )
    if len(iban) != expected:
        raise ValidationError(
            _("An IBAN from %(country)s has %(expected)d characters, not %(got)d.")
            % {"country": country, "expected": expected, "got": len(iban)}
        )
    digits = "".join(str(int(char, 36)) for char in iban[4:] + iban[:4])
    if int(digits) % 97 != 1:
        raise ValidationError(
            _("This IBAN has a typing mistake: its check digits do not match.")
        )
    return iban


def mask_iban(iban: str) -> str:
    """FR76 •••• •••• 0189: the country and the last four characters only."""
    if not iban:
        return ""
    return f"{iban[:4]} •••• •••• {iban[-4:]}"


class _HoldsIBAN(Protocol):
    """A redemption, as far as forgetting its IBAN goes (``rewards.models`` imports
    this module, so it is not imported back)."""

    iban: str
    iban_masked: str


def forget_iban(redemption: _HoldsIBAN) -> list[str]:
    """Erase a closed payout's account number, keeping only its masked form to show:
    the bank file already has it, so we keep nothing we no longer need. Returns the
    fields it changed, for the caller's ``save(update_fields=...)``."""
    if not redemption.iban:
        return []
    redemption.iban_masked = mask_iban(redemption.iban)
    redemption.iban = ""
    return ["iban", "iban_masked"]


# Encryption at rest ----------------------------------------------------------------


def derived_key(secret: str) -> bytes:
    """A Fernet key drawn from SECRET_KEY, for sites that set no IBAN_ENCRYPTION_KEY."""
    digest = salted_hmac(
        "cocreate.rewards.iban", "iban-encryption", secret=secret, algorithm="sha256"
    ).digest()
    return base64.urlsafe_b64encode(digest)


def _keys() -> tuple[bytes, ...]:
    """IBAN_ENCRYPTION_KEY (comma-separated: the first encrypts, all decrypt, for a
    rotation), else keys derived from SECRET_KEY and its fallbacks."""
    configured = [
        key.strip() for key in settings.IBAN_ENCRYPTION_KEY.split(",") if key.strip()
    ]
    if configured:
        return tuple(key.encode() for key in configured)
    secrets = [settings.SECRET_KEY, *getattr(settings, "SECRET_KEY_FALLBACKS", [])]
    return tuple(derived_key(secret) for secret in secrets)


@functools.lru_cache(maxsize=8)
def _fernet_for(keys: tuple[bytes, ...]) -> MultiFernet:
    try:
        return MultiFernet([Fernet(key) for key in keys])
    except ValueError as exc:
        raise ImproperlyConfigured(
            "IBAN_ENCRYPTION_KEY must be one or more Fernet keys (32 url-safe "
            "base64-encoded bytes each, separated by commas); make one with "
            "`python -c 'from cryptography.fernet import Fernet; "
            "print(Fernet.generate_key().decode())'`."
        ) from exc


def encrypt_iban(iban: str) -> str:
    if not iban:
        return ""
    return _fernet_for(_keys()).encrypt(iban.encode()).decode("ascii")


def decrypt_iban(token: str) -> str:
    if not token:
        return ""
    try:
        return _fernet_for(_keys()).decrypt(token.encode("ascii")).decode()
    except InvalidToken as exc:
        # Loud on purpose: a wrong key must never turn into an empty bank account.
        raise ImproperlyConfigured(
            "A stored IBAN cannot be decrypted: IBAN_ENCRYPTION_KEY (or SECRET_KEY, "
            "which it is derived from when unset) changed. Put the old key back, "
            "after the new one in IBAN_ENCRYPTION_KEY or in SECRET_KEY_FALLBACKS."
        ) from exc


class EncryptedIBANField(models.CharField):
    """An IBAN encrypted at rest (Fernet): the column holds a token, Python sees the
    number. Each token is different, so the column cannot be searched or compared;
    an empty IBAN stays empty."""

    def from_db_value(
        self, value: str | None, expression: Any, connection: Any
    ) -> str | None:
        if value is None:
            return value
        return decrypt_iban(value)

    def get_prep_value(self, value: Any) -> Any:
        value = super().get_prep_value(value)
        if not value:
            return value
        return encrypt_iban(value)

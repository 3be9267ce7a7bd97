"""IBAN checks (ISO 13616 mod-97) and masking: a bank account is shown masked once
entered, so a glance over a shoulder or a screenshot never reveals it."""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
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

"""Money as the reader's language writes it: ``€1,000.50`` in English,
``1 000,50 €`` in French (Django's separators for the language). The one way the
site shows an amount: the ``{% money %}`` tag and the back office call it."""

from __future__ import annotations

from decimal import Decimal

from django.utils import formats, translation

SYMBOLS = {"EUR": "€", "USD": "$", "GBP": "£", "CHF": "CHF"}
NO_BREAK_SPACE = "\u00a0"
#: Languages that write the symbol before the amount; the others write it after.
SYMBOL_FIRST = ("en",)


def money(amount: Decimal | int | float | str, currency: str = "") -> str:
    """``amount`` (in units, two decimals) with its currency, in the active
    language: the symbol where it has one, else the ISO code."""
    value = Decimal(str(amount or 0)).quantize(Decimal("0.01"))
    number = formats.number_format(abs(value), 2, force_grouping=True)
    sign = "-" if value < 0 else ""
    currency = (currency or "").upper()
    if not currency:
        return sign + number
    symbol = SYMBOLS.get(currency, currency)
    language = (translation.get_language() or "en").split("-")[0]
    if language in SYMBOL_FIRST:
        gap = NO_BREAK_SPACE if symbol.isalpha() else ""
        return f"{sign}{symbol}{gap}{number}"
    return f"{sign}{number}{NO_BREAK_SPACE}{symbol}"


def money_from_cents(cents: int | None, currency: str = "") -> str:
    """``money`` for an amount stored in cents, as the ledger keeps them."""
    return money(Decimal(int(cents or 0)) / 100, currency)

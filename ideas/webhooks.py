"""Webhooks (being built)."""


def connect_receivers() -> None:
    return None

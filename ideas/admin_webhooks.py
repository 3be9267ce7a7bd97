"""Webhook subscriptions in the back office (being built)."""

"""Receivers of the integrations' events: the admins hear that a webhook was
switched off. Kept apart from ``receivers`` (the idea events) so each grows alone."""

from __future__ import annotations

from django.utils.translation import gettext as _

from cocreate.i18n import in_site_language
from cocreate.notifications import services
from cocreate.notifications.models import Kind
from cocreate.notifications.services import Message
from ideas import events


@in_site_language()
def on_webhook_disabled(sender, subscription, admins, url, **kwargs):
    services.notify(
        admins,
        services.localized(
            lambda: Message(
                Kind.BRAND_TEAM,
                _("Webhook “%(name)s” was switched off") % {"name": subscription.name},
                _(
                    "Its last %(count)d deliveries failed. Check the receiver, then "
                    "switch the webhook on again and redeliver what it missed."
                )
                % {"count": subscription.consecutive_failures},
                url,
            )
        ),
    )


def connect_receivers() -> None:
    events.webhook_disabled.connect(
        on_webhook_disabled, dispatch_uid="notifications.on_webhook_disabled"
    )

"""Publishing a legal page records its version with the members' consents
(publishing its translation does not: it is the same version). Publishing,
unpublishing or deleting any page forgets the languages it is live in."""

from __future__ import annotations

from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import post_delete
from wagtail.signals import page_published, page_unpublished

from cocreate import page_translations
from cocreate.members import consents
from cocreate.pages.models import LegalPage


def forget_legal_links() -> None:
    """Now, and again once the transaction commits (a request in between may
    have cached the old links)."""
    cache.delete(consents.LEGAL_LINKS_KEY)
    transaction.on_commit(lambda: cache.delete(consents.LEGAL_LINKS_KEY))


def on_legal_page_published(sender, instance: LegalPage, **kwargs) -> None:
    if instance.is_translation:
        # The same version in another language: nobody accepts it again, the
        # footer shows its title.
        forget_legal_links()
        return
    consents.record_legal_version(
        kind=instance.kind,
        version=instance.version,
        title=instance.title,
        url=instance.get_url() or instance.url_path,
        requires_acceptance=instance.requires_acceptance,
    )


def on_legal_page_unpublished(sender, instance: LegalPage, **kwargs) -> None:
    # A translation withdrawn: the footer names the page in English again.
    forget_legal_links()


def connect_receivers() -> None:
    page_unpublished.connect(
        on_legal_page_unpublished,
        sender=LegalPage,
        dispatch_uid="legal_page_unpublished",
    )
    for signal in (page_published, page_unpublished, post_delete):
        signal.connect(
            page_translations.forget_live_languages, dispatch_uid="live_languages"
        )
    page_published.connect(
        on_legal_page_published, sender=LegalPage, dispatch_uid="legal_page_published"
    )

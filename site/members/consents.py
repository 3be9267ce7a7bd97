"""Consent per purpose: the terms and the privacy policy, accepted at sign-up and
again when a new version asks for it, and the member's opt-ins (contact about
their ideas, product research, marketing). Every change is one append-only
``ConsentRecord``; the current state is also kept on the user row
(``contact_consent``, ``research_consent``, ``marketing_consent``,
``terms_pending``), so checks cost no query.

The legal texts are Wagtail pages (``cocreate.pages.LegalPage``); publishing
one calls ``record_legal_version`` (this app does not know the pages app).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.log_actions import log

from cocreate.members.models import (
    ConsentRecord,
    ConsentSource,
    LegalKind,
    LegalVersion,
    Purpose,
    User,
)
from cocreate.page_translations import (
    active_language,
    default_language,
    translated_titles,
)

#: The opt-ins and the user field that holds each one's current state.
OPT_IN_FIELDS: dict[str, str] = {
    Purpose.CONTACT: "contact_consent",
    Purpose.RESEARCH: "research_consent",
    Purpose.MARKETING: "marketing_consent",
}


#: The footer's links to the current legal documents, cached until one is published.
LEGAL_LINKS_KEY = "members:legal-links:v2"


class ConsentError(Exception):
    """``str(error)`` is a sentence the member reads."""


class TermsNotAccepted(PermissionDenied):
    """The member must accept the updated terms before contributing.

    A ``PermissionDenied``, so a path that does not expect it answers 403;
    ``TermsGateMiddleware`` turns it into a redirect to the page to accept them."""

    def __init__(self, message: str = "") -> None:
        super().__init__(
            message
            or _(
                "We updated our terms: please read and accept them before contributing."
            )
        )


def has_consent(member: User | None, purpose: str) -> bool:
    """Whether ``member`` opted in to ``purpose`` (``Purpose.RESEARCH`` ...).

    Every email sent for research or marketing asks this first; it reads the
    user row, no query. An inactive or anonymous account has no consent."""
    field = OPT_IN_FIELDS.get(purpose)
    if field is None:
        raise ValueError(f"Unknown opt-in purpose: {purpose!r}")
    return bool(
        member is not None
        and member.is_authenticated
        and member.is_active
        and getattr(member, field)
    )


def current_legal_versions() -> list[LegalVersion]:
    """The latest published version of each legal document, terms first."""
    latest: dict[str, LegalVersion] = {}
    for row in LegalVersion.objects.order_by("kind", "-published_at", "-id"):
        latest.setdefault(row.kind, row)
    return [latest[kind] for kind in LegalKind.values if kind in latest]


def legal_links() -> list[tuple[str, str]]:
    """(title, address) of the current terms and privacy policy, for every
    page's footer, titled in the active language (a translated page's title):
    read from the cache, so a page pays no query for them. One cache entry holds
    every language's links, so one delete forgets them all."""
    language = active_language() or default_language()
    by_language = cache.get(LEGAL_LINKS_KEY)
    if not isinstance(by_language, dict):
        by_language = {}
    links = by_language.get(language)
    if links is None:
        versions = current_legal_versions()
        titles = translated_titles([version.url for version in versions])
        links = [
            (titles.get(version.url, version.title), version.url)
            for version in versions
        ]
        by_language[language] = links
        cache.set(LEGAL_LINKS_KEY, by_language, timeout=3600)
    return links


def needs_acceptance(member: User | None) -> bool:
    return bool(member is not None and member.is_authenticated and member.terms_pending)


def require_current_terms(member: User | None) -> None:
    """Raise ``TermsNotAccepted`` if ``member`` must accept updated terms first.

    Contribution services (posting, supporting, commenting) call it; it reads the
    user row only."""
    if needs_acceptance(member):
        raise TermsNotAccepted()


def _legal_text(version: LegalVersion) -> str:
    return f"{version.title} ({version.url})"


@transaction.atomic
def accept_legal(
    *,
    member: User,
    source: str,
    versions: Iterable[LegalVersion] | None = None,
) -> list[ConsentRecord]:
    """Record that ``member`` accepted the current terms and privacy policy (or
    the ``versions`` they were shown) and lift the gate on contributions."""
    shown = list(versions) if versions is not None else current_legal_versions()
    now = timezone.now()
    records = ConsentRecord.objects.bulk_create(
        ConsentRecord(
            member=member,
            purpose=version.kind,
            granted=True,
            version=version.version,
            text=_legal_text(version),
            source=source,
            created_at=now,
        )
        for version in shown
    )
    if member.terms_pending:
        User.objects.filter(pk=member.pk).update(terms_pending=False)
        member.terms_pending = False
    return records


@transaction.atomic
def set_consent(
    *,
    member: User,
    purpose: str,
    granted: bool,
    source: str,
    text: str = "",
    actor: User | None = None,
) -> ConsentRecord | None:
    """Grant or withdraw one opt-in; a change is recorded, no change is not.

    ``text`` is the wording the member was shown (the checkbox's label and help
    text, in their language)."""
    field = OPT_IN_FIELDS.get(purpose)
    if field is None:
        raise ConsentError(_("Unknown kind of consent."))
    if source not in ConsentSource.values:
        raise ConsentError(_("Unknown source of consent."))
    locked = User.objects.select_for_update().only("pk", field).get(pk=member.pk)
    if getattr(locked, field) == granted:
        setattr(member, field, granted)
        return None
    User.objects.filter(pk=member.pk).update(**{field: granted})
    setattr(member, field, granted)
    record = ConsentRecord.objects.create(
        member=member, purpose=purpose, granted=granted, text=text, source=source
    )
    # Also in Wagtail's history of the member, for the brand team's audit.
    log(
        instance=member,
        action="cocreate.member.consent",
        user=actor or member,
        data={"purpose": purpose, "granted": granted, "source": source},
    )
    return record


@transaction.atomic
def record_legal_version(
    *,
    kind: str,
    version: str,
    title: str,
    url: str,
    requires_acceptance: bool,
) -> LegalVersion:
    """A legal page was published. A new ``version`` label makes a new version;
    if it asks for acceptance (the first of each kind always does), every member
    must accept again before contributing. Publishing the same label again (a
    typo fixed) updates its title and address only."""
    if kind not in LegalKind.values:
        raise ConsentError(_("Unknown kind of legal document."))
    transaction.on_commit(lambda: cache.delete(LEGAL_LINKS_KEY))
    version = version.strip()[:40]
    if not version:
        raise ConsentError(_("Please give the version a label."))
    existing = LegalVersion.objects.select_for_update().filter(
        kind=kind, version=version
    )
    row = existing.first()
    if row is not None:
        row.title, row.url = title[:255], url[:300]
        row.save(update_fields=["title", "url"])
        return row
    first_of_kind = not LegalVersion.objects.filter(kind=kind).exists()
    row = LegalVersion.objects.create(
        kind=kind,
        version=version,
        title=title[:255],
        url=url[:300],
        requires_acceptance=requires_acceptance or first_of_kind,
    )
    if row.requires_acceptance:
        # One UPDATE, rare (a new legal version): the gate then costs no query.
        User.objects.filter(terms_pending=False).update(terms_pending=True)
    return row


def history(member: User) -> list[ConsentRecord]:
    """The member's consent records, newest first."""
    return list(ConsentRecord.objects.filter(member=member)[:200])


def export(member: User) -> dict[str, Any]:
    """What this app keeps about the member's consents, for their download: the
    opt-ins as they stand, the legal versions last accepted and every record.

    Erasure keeps the records (they hold the wording shown, never a name): they
    prove what was agreed, and belong to the former member."""
    records = list(
        ConsentRecord.objects.filter(member=member).order_by("created_at", "pk")
    )
    accepted: dict[str, ConsentRecord] = {}
    for record in records:
        if record.purpose in LegalKind.values and record.granted:
            accepted[record.purpose] = record
    return {
        "opt_ins": {
            purpose: getattr(member, field) for purpose, field in OPT_IN_FIELDS.items()
        },
        "must_accept_updated_terms": member.terms_pending,
        "accepted_legal_versions": [
            {
                "document": kind,
                "version": accepted[kind].version,
                "accepted_at": accepted[kind].created_at,
                "text": accepted[kind].text,
            }
            for kind in LegalKind.values
            if kind in accepted
        ],
        "history": [
            {
                "purpose": record.purpose,
                "granted": record.granted,
                "version": record.version,
                "text": record.text,
                "source": record.source,
                "when": record.created_at,
            }
            for record in records
        ],
    }

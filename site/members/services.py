"""State changes of a member's own profile."""

from __future__ import annotations

from typing import cast

from django.core.files.base import File
from django.db import transaction
from wagtail.log_actions import log

from cocreate.images import process_avatar
from cocreate.members.models import User


@transaction.atomic
def update_profile(
    *,
    member: User,
    display_name: str,
    avatar: File | None = None,
    contact_consent: bool | None = None,
) -> User:
    """Change the public name, the consent to be contacted about one's ideas and,
    if given, the avatar (re-encoded)."""
    member.display_name = display_name.strip()
    update_fields = ["display_name"]
    if contact_consent is not None and contact_consent != member.contact_consent:
        member.contact_consent = contact_consent
        update_fields.append("contact_consent")
        # Kept for data protection: when and how the member's consent changed.
        log(
            instance=member,
            action="cocreate.member.contact_consent",
            user=member,
            data={"consent": contact_consent},
        )
    if avatar is not None:
        processed = process_avatar(avatar, name=f"avatar-{member.pk}")
        old = member.avatar.name if member.avatar else None
        member.avatar.save(cast(str, processed.name), processed, save=False)
        update_fields.append("avatar")
        if old:
            storage = member.avatar.storage
            transaction.on_commit(lambda: storage.delete(old))
    member.save(update_fields=update_fields)
    return member

"""State changes of a member's own profile."""

from __future__ import annotations

from django.db import transaction

from cocreate.images import process_avatar
from cocreate.members.models import User


@transaction.atomic
def update_profile(*, member: User, display_name: str, avatar=None) -> User:
    """Change the public name and, if given, the avatar (re-encoded)."""
    member.display_name = display_name.strip()
    update_fields = ["display_name"]
    if avatar is not None:
        processed = process_avatar(avatar, name=f"avatar-{member.pk}")
        old = member.avatar.name if member.avatar else None
        member.avatar.save(processed.name, processed, save=False)
        update_fields.append("avatar")
        if old:
            storage = member.avatar.storage
            transaction.on_commit(lambda: storage.delete(old))
    member.save(update_fields=update_fields)
    return member

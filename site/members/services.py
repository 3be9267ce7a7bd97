"""State changes of a member's own profile."""

from __future__ import annotations

from django.core.files.base import File
from django.db import transaction
from django.db.models.fields.files import FieldFile
from django.utils.translation import gettext as _
from wagtail.log_actions import log

from cocreate.images import (
    FileNotStored,
    delete_on_commit,
    files_removed_on_rollback,
    process_avatar,
    save_file,
)
from cocreate.members.models import User


@files_removed_on_rollback
@transaction.atomic
def update_profile(
    *,
    member: User,
    display_name: str,
    avatar: File | None = None,
    contact_consent: bool | None = None,
) -> User:
    """Change the public name, the consent to be contacted about one's ideas and,
    if given, the avatar (re-encoded).

    Raises ``FileNotStored`` (with a sentence) when the media storage fails: the
    profile is left as it was and the new file is removed again."""
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
        processed = process_avatar(avatar, name="avatar")
        # The old file, kept apart: saving the new one renames ``member.avatar``.
        old = FieldFile(member, member.avatar.field, member.avatar.name)
        try:
            save_file(member.avatar, processed)
        except FileNotStored as exc:
            raise FileNotStored(
                _(
                    "We could not store your picture just now; your profile was not "
                    "saved. Please choose the picture again in a moment: a browser "
                    "cannot keep a file after a failed save."
                )
            ) from exc
        update_fields.append("avatar")
        delete_on_commit(old)
    member.save(update_fields=update_fields)
    return member

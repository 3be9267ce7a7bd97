"""State changes of a member's own profile."""

from __future__ import annotations

from django.core.files.base import File
from django.db import transaction
from django.db.models.fields.files import FieldFile
from django.utils.translation import gettext as _

from cocreate.i18n import supported
from cocreate.images import (
    FileNotStored,
    delete_on_commit,
    files_removed_on_rollback,
    process_avatar,
    save_file,
)
from cocreate.members.models import User
from cocreate.members.sanctions import refusal
from cocreate.text import single_line


class ProfileLocked(Exception):
    """``str(error)`` is a sentence the member reads."""


@files_removed_on_rollback
@transaction.atomic
def update_profile(
    *,
    member: User,
    display_name: str,
    avatar: File | None = None,
    language: str | None = None,
) -> User:
    """Change the public name and, if given, the avatar (re-encoded) and the
    language (``""`` follows the browser; a suspension does not lock it). Consents
    change through ``cocreate.members.consents``.

    Raises ``FileNotStored`` (with a sentence) when the media storage fails: the
    profile is left as it was and the new file is removed again. Raises
    ``ProfileLocked`` when a suspended member changes their name or avatar, which
    others see; their consent stays theirs to change."""
    display_name = single_line(display_name)
    suspended = refusal(member)
    if suspended and (display_name != member.display_name or avatar is not None):
        raise ProfileLocked(
            _("%(suspended)s Your display name and avatar cannot change until then.")
            % {"suspended": suspended}
        )
    member.display_name = display_name
    update_fields = ["display_name"]
    if language is not None:
        member.language = supported(language)
        update_fields.append("language")
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


@transaction.atomic
def set_language(*, member: User, language: str) -> User:
    """The language the member chose in the switcher; one the site does not offer
    is stored as blank (follow the browser)."""
    member.language = supported(language)
    member.save(update_fields=["language"])
    return member

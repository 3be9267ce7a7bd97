"""The account's own data: profile, email addresses, social accounts, sanctions,
consents, API tokens, second factors, sessions and the back office's traces.

Registered by this app's ``ready()``; the other apps register theirs from their
own (``ideas.privacy``, ``rewards.privacy``, ``cocreate.notifications.privacy``).
Erasers here run after theirs: the member row is anonymised last, by
``cocreate.privacy.erasure``.

The parts of ``cocreate.members`` (consents, sanctions) and of allauth (second
factors) are read here rather than registered by their app: this app imports
``cocreate.members`` already, so ``cocreate.members`` cannot import it back
(no cycle between the packages). The consent records stay on erasure; see
``consents.export``.
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.socialaccount.models import SocialAccount
from django.apps import apps
from django.conf import settings
from django.contrib.admin.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db.models import QuerySet
from wagtail.models import APIToken, ModelLogEntry

from cocreate.images import delete_on_commit
from cocreate.members import consents
from cocreate.members.models import Sanction, User
from cocreate.privacy.names import former_member_name
from cocreate.privacy.registry import Exported, register_exporter

#: Shorter names are too common to replace inside other records' labels.
MIN_NAME = 3


def _file_name(name: str) -> str:
    return name.rsplit("/", 1)[-1]


def export_profile(member: User) -> Exported:
    files = {}
    if member.avatar:
        files[f"avatar/{_file_name(member.avatar.name)}"] = member.avatar.name
    return Exported(
        data={
            "id": member.pk,
            "email": member.email,
            "display_name": member.display_name,
            "first_name": member.first_name,
            "last_name": member.last_name,
            "avatar": _file_name(member.avatar.name) if member.avatar else None,
            "contact_consent": member.contact_consent,
            "date_joined": member.date_joined,
            "last_login": member.last_login,
            "is_active": member.is_active,
            "suspended_until": member.suspended_until,
            "groups": list(member.groups.values_list("name", flat=True)),
        },
        files=files,
    )


def export_email_addresses(member: User) -> list[dict[str, Any]]:
    return list(
        EmailAddress.objects.filter(user=member)
        .order_by("pk")
        .values("email", "verified", "primary")
    )


def export_social_accounts(member: User) -> list[dict[str, Any]]:
    return [
        {
            "provider": account.provider,
            "uid": account.uid,
            "date_joined": account.date_joined,
            "last_login": account.last_login,
            "extra_data": account.extra_data,
        }
        for account in SocialAccount.objects.filter(user=member).order_by("pk")
    ]


def export_sanctions(member: User) -> list[dict[str, Any]]:
    return [
        {
            "kind": sanction.kind,
            "reason": sanction.reason,
            "until": sanction.until,
            "created_at": sanction.created_at,
            "lifted_at": sanction.lifted_at,
            "lift_note": sanction.lift_note,
        }
        for sanction in Sanction.objects.filter(member=member).order_by("created_at")
    ]


def _member_log_entries(member: User) -> QuerySet[ModelLogEntry]:
    return ModelLogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(User),
        object_id=str(member.pk),
    )


def export_consents(member: User) -> dict[str, Any]:
    """The opt-ins, the legal versions accepted and every consent record
    (``cocreate.members.consents`` says what they hold)."""
    return consents.export(member)


def export_api_tokens(member: User) -> list[dict[str, Any]]:
    return list(
        APIToken.objects.filter(user=member)
        .order_by("pk")
        .values("name", "prefix", "created", "last_used_at", "revoked_at")
    )


def export_second_factors(member: User) -> list[dict[str, Any]]:
    """Which second factors exist (allauth.mfa's authenticators: the app, the
    recovery codes, each security key or passkey by its name), never a secret,
    a code or a key."""
    return [
        {
            "type": authenticator.type,
            "name": authenticator.data.get("name", "")
            if authenticator.type == Authenticator.Type.WEBAUTHN
            else "",
            "created_at": authenticator.created_at,
            "last_used_at": authenticator.last_used_at,
        }
        for authenticator in Authenticator.objects.filter(user=member).order_by("pk")
    ]


def _delete_sessions(member: User) -> None:
    """Every session signed in as the member (database-backed session engines;
    the unusable password logs out any other: its auth hash no longer matches)."""
    store = import_module(settings.SESSION_ENGINE).SessionStore
    if not hasattr(store, "get_model_class"):
        return
    member_id = str(member.pk)
    for session in store.get_model_class().objects.iterator():
        if session.get_decoded().get("_auth_user_id") == member_id:
            store(session_key=session.session_key).delete()


def erase_account_data(member: User, keep_content: bool) -> None:
    EmailAddress.objects.filter(user=member).delete()  # confirmations cascade
    SocialAccount.objects.filter(user=member).delete()  # tokens cascade
    APIToken.objects.filter(user=member).delete()
    # The authenticator app, recovery codes, security keys and passkeys.
    Authenticator.objects.filter(user=member).delete()
    _delete_sessions(member)
    # Wagtail's own profile of the user holds an avatar of its own.
    profile = (
        apps.get_model("wagtailusers", "UserProfile")
        .objects.filter(user=member)
        .first()
    )
    if profile is not None:
        delete_on_commit(profile.avatar)
        profile.delete()
    _scrub_logs(member)


def _scrub_logs(member: User) -> None:
    """Back-office histories name the member in the labels they stored: their
    own record's, and others' ("Wallet of Alice"). The entries stay."""
    placeholder = former_member_name(member)
    _member_log_entries(member).update(label=placeholder)
    LogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(User),
        object_id=str(member.pk),
    ).update(object_repr=placeholder)
    names = {member.display_name, member.email, member.get_full_name()}
    for name in sorted(n.strip() for n in names if len(n.strip()) >= MIN_NAME):
        for entry in ModelLogEntry.objects.filter(label__contains=name).iterator():
            entry.label = entry.label.replace(name, placeholder)
            entry.save(update_fields=["label"])
        for admin_entry in LogEntry.objects.filter(object_repr__contains=name):
            admin_entry.object_repr = admin_entry.object_repr.replace(
                name, placeholder
            )[:200]
            admin_entry.save(update_fields=["object_repr"])


def register() -> None:
    register_exporter("profile", export_profile)
    register_exporter("email_addresses", export_email_addresses)
    register_exporter("social_accounts", export_social_accounts)
    register_exporter("sanctions", export_sanctions)
    register_exporter("consents", export_consents)
    register_exporter("api_tokens", export_api_tokens)
    register_exporter("second_factors", export_second_factors)

"""The member's download: what every part holds, the zip and its files."""

from __future__ import annotations

import datetime
import io
import json
import zipfile
from types import SimpleNamespace

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from django.core.management import call_command
from django.utils import timezone

from cocreate.privacy import exports
from cocreate.privacy.errors import NotAllowed, TooSoon
from cocreate.privacy.models import DataExport, ExportStatus
from cocreate.privacy.storage import export_storage
from tests.privacy.conftest import PERSONAL


@pytest.fixture
def parts(zelda):
    data, files = exports.collect(zelda.member)
    return data, files


def test_every_part_is_there(parts):
    data, _files = parts
    assert set(data) >= {
        "profile",
        "email_addresses",
        "social_accounts",
        "sanctions",
        "consents",
        "api_tokens",
        "second_factors",
        "ideas",
        "comments",
        "supports",
        "follows",
        "reports_made",
        "points",
        "redemptions",
        "notifications",
    }


def test_profile_holds_the_account(parts, zelda):
    profile = parts[0]["profile"]
    assert profile["email"] == PERSONAL.email
    assert profile["display_name"] == PERSONAL.name
    assert profile["last_name"] == "Quixote"
    assert profile["avatar"] == zelda.member.avatar.name.rsplit("/", 1)[-1]


def test_accounts_and_logins(parts):
    data = parts[0]
    assert {row["email"] for row in data["email_addresses"]} == {
        PERSONAL.email,
        PERSONAL.other_email,
    }
    assert data["social_accounts"][0]["uid"] == PERSONAL.social_uid
    assert data["social_accounts"][0]["extra_data"]["login"] == PERSONAL.social_login
    assert data["api_tokens"][0]["name"] == "My script"
    assert "key_hash" not in data["api_tokens"][0]
    assert data["sanctions"][0]["kind"] == "warning"
    assert data["sanctions"][0]["reason"] == "Be kind."


def test_ideas_with_their_images(parts, zelda):
    data, files = parts
    (idea,) = data["ideas"]
    assert idea["title"] == "Self-lacing trail shoes"
    assert idea["supports"] == 1
    (image,) = idea["images"]
    assert image["file"] in files
    assert files[image["file"]].name == zelda.idea.images.get().image.name


def test_what_she_did_on_ideas(parts, zelda):
    data = parts[0]
    assert [c["body"] for c in data["comments"]] == ["I tried a prototype last summer."]
    assert [s["idea"] for s in data["supports"]] == [zelda.other.pk]
    assert zelda.other.pk in [f["idea"] for f in data["follows"]]
    assert data["reports_made"][0]["details"] == "Not about shoes."


def test_points_history(parts):
    points = parts[0]["points"]
    assert points["wallet"]["available"] + points["wallet"]["held"] == sum(
        entry["points"] + entry["held_points"] for entry in points["entries"]
    )
    assert any(entry["kind"] == "adjustment" for entry in points["entries"])


def test_redemptions_mask_the_iban(parts):
    rows = {row["reward"]: row for row in parts[0]["redemptions"]}
    payout = rows["Cash back"]
    assert payout["iban"] == "DE89 •••• •••• 3000"
    assert PERSONAL.iban not in json.dumps(parts[0], default=str)
    assert rows["Water bottle"]["shipping_address"] == PERSONAL.address


def test_notifications_are_hers_only(parts):
    titles = [n["title"] for n in parts[0]["notifications"]["notifications"]]
    assert "Bob replied to your comment" in titles
    assert not any(PERSONAL.name in title for title in titles)


def test_consents_hold_opt_ins_accepted_versions_and_history(parts):
    part = parts[0]["consents"]
    assert part["opt_ins"] == {"contact": True, "research": False, "marketing": True}
    assert part["must_accept_updated_terms"] is False
    (terms,) = part["accepted_legal_versions"]
    assert (terms["document"], terms["version"]) == ("terms", "2026-01")
    assert terms["text"] == "Terms of use (/terms/)"
    history = [
        (row["purpose"], row["granted"], row["source"]) for row in part["history"]
    ]
    assert history == [
        ("terms", True, "signup"),
        ("contact", True, "settings"),
        ("research", True, "settings"),
        ("research", False, "settings"),
        ("marketing", True, "settings"),
    ]
    assert part["history"][1]["text"] == "The words shown for contact."


def test_second_factors_are_listed_without_secrets(parts, zelda):
    rows = parts[0]["second_factors"]
    assert [(row["type"], row["name"]) for row in rows] == [
        ("totp", ""),
        ("recovery_codes", ""),
        ("webauthn", PERSONAL.security_key),
    ]
    assert all(row["created_at"] for row in rows)
    dumped = json.dumps(rows, default=str)
    for authenticator in Authenticator.objects.filter(user=zelda.member):
        for key in ("secret", "seed", "credential", "migrated_codes"):
            value = authenticator.data.get(key)
            if value:
                assert json.dumps(value) not in dumped, key
    codes = RecoveryCodes(
        Authenticator.objects.get(user=zelda.member, type="recovery_codes")
    ).get_unused_codes()
    assert codes and not any(code in dumped for code in codes)


def _zip(export: DataExport) -> zipfile.ZipFile:
    with export_storage().open(export.file_name, "rb") as handle:
        return zipfile.ZipFile(io.BytesIO(handle.read()))


def test_the_zip_holds_json_and_files(
    zelda, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        export = exports.request_export(member=zelda.member, actor=zelda.member)
    export.refresh_from_db()  # the immediate backend built it on commit
    assert export.status == ExportStatus.READY
    assert export.expires_at > timezone.now() + datetime.timedelta(days=6)
    archive = _zip(export)
    names = archive.namelist()
    assert "README.txt" in names
    assert "profile.json" in names
    assert json.loads(archive.read("profile.json"))["email"] == PERSONAL.email
    avatar = [n for n in names if n.startswith("avatar/")]
    images = [n for n in names if n.startswith("ideas/")]
    assert len(avatar) == 1 and len(images) == 1
    assert archive.read(images[0])[:2] == b"\xff\xd8"  # a JPEG
    # Stored privately, not under the media folder.
    assert "private-exports" in export_storage().path(export.file_name)
    (mail,) = [m for m in mailoutbox if "ready" in m.subject]
    assert mail.to == [PERSONAL.email]
    assert "/accounts/privacy/download/" in mail.body


def test_one_download_a_day(zelda):
    exports.request_export(member=zelda.member, actor=zelda.member)
    with pytest.raises(TooSoon):
        exports.request_export(member=zelda.member, actor=zelda.member)


def test_a_failed_download_does_not_count(zelda):
    DataExport.objects.create(member=zelda.member, status=ExportStatus.FAILED)
    exports.request_export(member=zelda.member, actor=zelda.member)


def test_another_member_cannot_ask_for_hers(zelda, bob):
    with pytest.raises(NotAllowed):
        exports.request_export(member=zelda.member, actor=bob)


def test_a_build_run_twice_builds_once(zelda):
    export = DataExport.objects.create(member=zelda.member)
    exports.build_export(export.pk)
    assert exports.build_export(export.pk) is None
    export.refresh_from_db()
    assert export.status == ExportStatus.READY


def test_a_lost_task_is_built_by_the_daily_command(
    zelda, monkeypatch, django_capture_on_commit_callbacks
):
    def broken(*args, **kwargs):
        raise ConnectionError("queue down")

    monkeypatch.setattr(exports, "build_export_task", SimpleNamespace(enqueue=broken))
    with django_capture_on_commit_callbacks(execute=True):
        export = exports.request_export(member=zelda.member, actor=zelda.member)
    export.refresh_from_db()
    assert export.status == ExportStatus.PENDING
    DataExport.objects.filter(pk=export.pk).update(
        created_at=timezone.now() - datetime.timedelta(hours=1)
    )
    call_command("apply_erasures", stdout=io.StringIO())
    export.refresh_from_db()
    assert export.status == ExportStatus.READY


def test_expired_downloads_are_deleted(zelda):
    export = DataExport.objects.create(member=zelda.member)
    export = exports.build_export(export.pk)
    name = export.file_name
    assert export_storage().exists(name)
    assert exports.expire_exports(now=timezone.now() + datetime.timedelta(days=8)) == 1
    export.refresh_from_db()
    assert export.status == ExportStatus.EXPIRED
    assert not export_storage().exists(name)

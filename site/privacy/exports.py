"""A member's data download: requested, built by a task into a private zip,
offered through a signed link that expires, and removed once expired.

The zip holds one JSON file per registered exporter (``registry``) and the
files they name (idea images, the avatar), and a README that says what is what.
"""

from __future__ import annotations

import datetime
import json
import logging
import secrets
import tempfile
import zipfile
from typing import IO, Any

from django.conf import settings
from django.core import signing
from django.core.files import File
from django.core.files.storage import Storage, default_storage
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.db.models.fields.files import FieldFile
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tasks import task
from wagtail.log_actions import log

from cocreate.members.models import User
from cocreate.privacy import emails, permissions
from cocreate.privacy.errors import BadLink, NotAllowed, TooSoon
from cocreate.privacy.models import DataExport, ExportStatus
from cocreate.privacy.registry import Exported, exporters
from cocreate.privacy.storage import export_storage

logger = logging.getLogger(__name__)

LINK_SALT = "cocreate.privacy.export"


def link_days() -> int:
    return settings.COCREATE_EXPORT_LINK_DAYS


# Requesting ---------------------------------------------------------------------


@transaction.atomic
def request_export(*, member: User, actor: User, reference: str = "") -> DataExport:
    """Queue a download of the member's data. The member asks for their own (at
    most ``COCREATE_EXPORTS_PER_DAY`` a day); staff with the permission ask for
    anyone's (a request received by email), logged in the audit log."""
    staff = actor.pk != member.pk
    if staff and not permissions.can_handle_requests(actor):
        raise NotAllowed(_("You may not export members' data."))
    if not staff and not permissions.is_member(actor):
        raise NotAllowed(_("Please log in to download your data."))
    User.objects.select_for_update().filter(pk=member.pk).first()  # one at a time
    since = timezone.now() - datetime.timedelta(days=1)
    recent = (
        DataExport.objects.filter(member=member, created_at__gte=since)
        .exclude(status=ExportStatus.FAILED)
        .count()
    )
    if not staff and recent >= settings.COCREATE_EXPORTS_PER_DAY:
        raise TooSoon(
            _(
                "You already asked for a download today. It is prepared in a few "
                "minutes; you can ask again tomorrow."
            )
        )
    export = DataExport.objects.create(
        member=member, requested_by=actor if staff else None
    )
    if staff:
        log(
            instance=export,
            action="cocreate.privacy.export",
            user=actor,
            data={"member": member.pk, "reference": reference[:120]},
        )
    export_id = export.pk
    transaction.on_commit(lambda: queue_build(export_id))
    return export


def queue_build(export_id: int) -> None:
    """Hand the build to the task backend; a broken queue never breaks the
    request: ``manage.py apply_erasures`` builds what is still pending."""
    try:
        build_export_task.enqueue(export_id)
    except Exception:  # noqa: BLE001 - the daily command builds what is missed
        logger.exception("Could not queue the data download %s", export_id)


@task()
def build_export_task(export_id: int) -> str:
    export = build_export(export_id)
    return export.status if export else ""


# Building -----------------------------------------------------------------------


def collect(member: User) -> tuple[dict[str, Any], dict[str, str | FieldFile]]:
    """Every exporter's data, by name, and the files they name (zip path to the
    name in the default storage, or to a file field; see ``Exported``)."""
    data: dict[str, Any] = {}
    files: dict[str, str | FieldFile] = {}
    for name, exporter in exporters().items():
        result = exporter(member)
        if isinstance(result, Exported):
            data[name] = result.data
            files.update(result.files)
        else:
            data[name] = result
    return data, files


def _readme(names: list[str], missing: list[str]) -> str:
    lines = [
        _("Everything %(site)s holds about you, as of %(when)s.")
        % {"site": settings.WAGTAIL_SITE_NAME, "when": timezone.now().isoformat()},
        "",
        _("Each JSON file holds one part (UTF-8, dates in ISO 8601, UTC):"),
        *[f"- {name}.json" for name in names],
        "",
        _("The folders hold your files: your avatar and the images of your ideas."),
    ]
    if missing:
        lines += ["", _("These files could not be read:"), *missing]
    return "\n".join(lines) + "\n"


def _read(stored: str | FieldFile) -> bytes:
    if isinstance(stored, str):
        storage, name = default_storage, stored
    else:
        storage, name = stored.storage, stored.name or ""
    with storage.open(name, "rb") as source:
        return source.read()


def write_zip(member: User, target: IO[bytes]) -> list[str]:
    """Write the member's zip into the open binary file ``target``; returns the
    names of the files that could not be read."""
    data, files = collect(member)
    missing = []
    with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, part in data.items():
            archive.writestr(
                f"{name}.json",
                json.dumps(part, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2),
            )
        for path, stored in sorted(files.items(), key=lambda item: item[0]):
            try:
                archive.writestr(path, _read(stored))
            except Exception:  # noqa: BLE001 - any storage error: say it, go on
                logger.warning("Data download: file %s could not be read", stored)
                missing.append(path)
        archive.writestr("README.txt", _readme(list(data), missing))
    return missing


def build_export(export_id: int) -> DataExport | None:
    """Build a pending download (the task, or the daily command for what the
    queue missed). Run twice, the second run finds it ready and does nothing; a
    run cut short leaves it pending, and the next one builds it again."""
    export = (
        DataExport.objects.select_related("member")
        .filter(pk=export_id, status=ExportStatus.PENDING)
        .first()
    )
    if export is None:
        return None
    storage = export_storage()
    name = f"{export.member_id}/{export.pk}-{secrets.token_hex(16)}.zip"
    try:
        with tempfile.TemporaryFile() as buffer:
            write_zip(export.member, buffer)
            size = buffer.tell()
            buffer.seek(0)
            stored = storage.save(name, File(buffer, name=name))
    except Exception:
        logger.exception("Data download %s could not be built", export_id)
        DataExport.objects.filter(pk=export_id, status=ExportStatus.PENDING).update(
            status=ExportStatus.FAILED, finished_at=timezone.now()
        )
        raise
    now = timezone.now()
    updated = DataExport.objects.filter(
        pk=export_id, status=ExportStatus.PENDING
    ).update(
        status=ExportStatus.READY,
        file_name=stored,
        size=size,
        finished_at=now,
        expires_at=now + datetime.timedelta(days=link_days()),
    )
    if not updated:  # another run finished it first
        storage.delete(stored)
        return DataExport.objects.get(pk=export_id)
    export.refresh_from_db()
    emails.send(
        export.member,
        "export_ready",
        {
            "url": emails.absolute(download_url(export)),
            "expires_at": export.expires_at,
            "days": link_days(),
        },
    )
    return export


def build_pending(*, older_than: datetime.timedelta) -> int:
    """Build the downloads still pending after ``older_than`` (their task was
    lost: a queue outage, a worker killed)."""
    cutoff = timezone.now() - older_than
    built = 0
    for export_id in DataExport.objects.filter(
        status=ExportStatus.PENDING, created_at__lt=cutoff
    ).values_list("pk", flat=True):
        try:
            built += build_export(export_id) is not None
        except Exception:  # noqa: BLE001 - logged by build_export; the rest go on
            logger.warning("Data download %s left failed", export_id)
    return built


# The link ----------------------------------------------------------------------


def download_token(export: DataExport) -> str:
    return signing.TimestampSigner(salt=LINK_SALT).sign_object(
        {"e": export.pk, "m": export.member_id}
    )


def download_url(export: DataExport) -> str:
    return reverse("privacy:download", args=[download_token(export)])


def open_download(*, token: str, user: Any) -> DataExport:
    """The download a link names, for the member it belongs to only; raises
    ``BadLink`` (with a sentence) for a link that is forged, expired, another
    member's, or whose file is gone."""
    try:
        payload = signing.TimestampSigner(salt=LINK_SALT).unsign_object(
            token, max_age=datetime.timedelta(days=link_days())
        )
        export_id, member_id = int(payload["e"]), int(payload["m"])
    except signing.SignatureExpired as exc:
        raise BadLink(
            _("This download link has expired. Ask for a new download below.")
        ) from exc
    except (signing.BadSignature, KeyError, TypeError, ValueError) as exc:
        raise BadLink(_("This download link is not valid.")) from exc
    if not permissions.is_member(user) or user.pk != member_id:
        raise BadLink(_("This download link is not valid."))
    export = DataExport.objects.filter(pk=export_id, member_id=member_id).first()
    if export is None or not export.file_name:
        raise BadLink(_("This download link is not valid."))
    if not export.is_ready:
        raise BadLink(_("This download has expired. Ask for a new download below."))
    return export


# Clean-up ----------------------------------------------------------------------


def expire_exports(*, now: datetime.datetime | None = None) -> int:
    """Delete the zips whose link expired; the rows stay, marked expired."""
    now = now or timezone.now()
    storage = export_storage()
    count = 0
    for export in DataExport.objects.filter(
        status=ExportStatus.READY, expires_at__lte=now
    ):
        delete_file(export, storage=storage)
        count += 1
    return count


def delete_file(export: DataExport, *, storage: Storage | None = None) -> None:
    storage = storage or export_storage()
    if export.file_name:
        try:
            storage.delete(export.file_name)
        except Exception:  # noqa: BLE001 - logged; the row still says expired
            logger.exception("Could not delete the data download %s", export.pk)
    DataExport.objects.filter(pk=export.pk).update(
        status=ExportStatus.EXPIRED, file_name=""
    )

"""Re-encode untrusted uploads with Pillow: check limits, drop EXIF, make thumbnails;
and keep storage in step with the database.

Every image a member uploads passes through here before it touches storage, so
what we serve is always pixels we wrote ourselves, never the original bytes. Files
follow their transaction: those written by a service that fails are removed again
(``files_removed_on_rollback`` and ``save_file``), and those of removed rows are
deleted only once the removal commits (``delete_on_commit``). A storage that fails
(a full disk, a bucket that is down) raises ``FileNotStored``, never a bare backend
error, so services can turn it into a sentence and roll back.
"""

from __future__ import annotations

import functools
import io
import logging
import secrets
from collections.abc import Callable
from contextvars import ContextVar
from dataclasses import dataclass
from typing import ParamSpec, TypeVar, cast

from django.conf import settings
from django.core.files.base import ContentFile, File
from django.core.files.storage import Storage
from django.db import transaction
from django.db.models.fields.files import FieldFile
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

ALLOWED_FORMATS = {"JPEG", "PNG", "GIF", "WEBP"}


class ImageRejected(ValueError):
    """The upload is not an image we accept; the message says why, in words."""


class FileNotStored(Exception):
    """The storage refused a file (OSError or any backend's error): nothing is wrong
    with the upload, so the person may send it again in a moment."""


@dataclass(frozen=True)
class ProcessedImage:
    full: ContentFile
    thumbnail: ContentFile
    width: int
    height: int


def _limits() -> tuple[int, int]:
    return settings.COCREATE_IMAGE_MAX_BYTES, settings.COCREATE_IMAGE_MAX_PIXELS


def _open_checked(upload: File) -> Image.Image:
    max_bytes, max_pixels = _limits()
    too_large = ImageRejected(
        _("The file %(name)s is too large: the limit is %(limit)s.")
        % {"name": getattr(upload, "name", ""), "limit": filesizeformat(max_bytes)}
    )
    size = getattr(upload, "size", None)
    if size is not None and size > max_bytes:
        raise too_large
    upload.seek(0)
    data = upload.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise too_large
    try:
        probe = Image.open(io.BytesIO(data))
        width, height = probe.size
        image_format = probe.format
    except (UnidentifiedImageError, OSError, Image.DecompressionBombError) as exc:
        raise ImageRejected(
            _("%(name)s is not an image we can read (JPEG, PNG, GIF or WebP).")
            % {"name": getattr(upload, "name", "")}
        ) from exc
    if image_format not in ALLOWED_FORMATS:
        raise ImageRejected(
            _("%(name)s is not a JPEG, PNG, GIF or WebP image.")
            % {"name": getattr(upload, "name", "")}
        )
    if width * height > max_pixels:
        raise ImageRejected(
            _(
                "%(name)s is %(width)d×%(height)d pixels; the limit is "
                "%(limit)s megapixels."
            )
            % {
                "name": getattr(upload, "name", ""),
                "width": width,
                "height": height,
                # 40 for 40,000,000 pixels, 0.01 for a small limit, never 0.
                "limit": f"{max_pixels / 1_000_000:g}",
            }
        )
    try:
        image = Image.open(io.BytesIO(data))
        image.load()
    except (OSError, Image.DecompressionBombError, SyntaxError) as exc:
        raise ImageRejected(
            _("%(name)s is damaged or incomplete and cannot be read.")
            % {"name": getattr(upload, "name", "")}
        ) from exc
    return image


def _encode(image: Image.Image, name: str) -> ContentFile:
    buffer = io.BytesIO()
    if image.mode in ("RGBA", "LA") or (
        image.mode == "P" and "transparency" in image.info
    ):
        image = image.convert("RGBA")
        image.save(buffer, format="WEBP", quality=85, method=4)
        extension = "webp"
    else:
        image = image.convert("RGB")
        image.save(buffer, format="JPEG", quality=85, optimize=True, progressive=True)
        extension = "jpg"
    return ContentFile(buffer.getvalue(), name=f"{name}.{extension}")


def process_image(
    upload: File, *, name: str, max_side: int = 2048, thumb_side: int = 480
) -> ProcessedImage:
    """Validate an upload; return re-encoded full and thumbnail files, no EXIF."""
    image = _open_checked(upload)
    image = ImageOps.exif_transpose(image)
    image.thumbnail((max_side, max_side), Image.Resampling.LANCZOS)
    thumbnail = image.copy()
    thumbnail.thumbnail((thumb_side, thumb_side), Image.Resampling.LANCZOS)
    return ProcessedImage(
        full=_encode(image, name),
        thumbnail=_encode(thumbnail, f"{name}-thumb"),
        width=image.width,
        height=image.height,
    )


def process_avatar(upload: File, *, name: str, side: int = 256) -> ContentFile:
    """A square, centred avatar, re-encoded without EXIF."""
    image = _open_checked(upload)
    image = ImageOps.exif_transpose(image)
    image = ImageOps.fit(image, (side, side), Image.Resampling.LANCZOS)
    return _encode(image, name)


def fresh_name(stem: str) -> str:
    """``idea-7-0`` -> ``idea-7-0-3f9a1c2b``: a name never used before, so a stored
    file is never replaced by other bytes under the same name, even after the
    first one was deleted (docs/operations.md: why backups rely on it)."""
    return f"{stem}-{secrets.token_hex(4)}"


def validate_image(upload: File) -> None:
    """Raise ImageRejected early, so a form can say what is wrong with each file."""
    _open_checked(upload)
    upload.seek(0)


# Files and transactions -----------------------------------------------------------

logger = logging.getLogger(__name__)
P = ParamSpec("P")
R = TypeVar("R")

#: Files written since the innermost ``files_removed_on_rollback`` call began.
_written: ContextVar[list[tuple[Storage, str]] | None] = ContextVar(
    "cocreate_written_files", default=None
)


def _delete(files: list[tuple[Storage, str]]) -> None:
    """Delete stored files; a storage error is logged, never raised, so it cannot
    hide the error that caused the clean-up or break a committed request."""
    for storage, name in files:
        try:
            storage.delete(name)
        except Exception:  # noqa: BLE001 - any storage backend's error
            logger.exception("Could not delete the stored file %s", name)


def save_file(field_file: FieldFile, content: ContentFile) -> None:
    """Write ``content`` into ``field_file`` without saving its row; within a
    ``files_removed_on_rollback`` call the file is removed again if the call fails.

    Raises ``FileNotStored`` when the storage fails; the cause is logged for the
    operators, the person is told in words by the service that called this."""
    # ``_encode`` names every file it makes, and ``save`` gives the field the
    # name it stored the file under.
    try:
        field_file.save(cast(str, content.name), content, save=False)
    except Exception as exc:  # noqa: BLE001 - any storage backend's error
        logger.exception("Could not store the file %s", content.name)
        raise FileNotStored(
            _("We could not store your picture just now. Please try again later.")
        ) from exc
    written = _written.get()
    if written is not None:
        written.append((field_file.storage, cast(str, field_file.name)))


def files_removed_on_rollback(service: Callable[P, R]) -> Callable[P, R]:
    """For an atomic service that writes files with ``save_file`` (put it above
    ``@transaction.atomic``): when the service raises, its transaction has rolled
    back, so the files it wrote are deleted (Django has no on-rollback hook).

    A call nested in another such call hands its files to the outer one, so the
    outer failure removes them too. A plain ``atomic`` block around the service
    that rolls back after it returned is not seen: its files stay.
    """

    @functools.wraps(service)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        outer = _written.get()
        written: list[tuple[Storage, str]] = []
        token = _written.set(written)
        try:
            result = service(*args, **kwargs)
        except BaseException:
            _written.reset(token)
            _delete(written)
            raise
        _written.reset(token)
        if outer is not None:
            outer.extend(written)
        return result

    return wrapper


def delete_on_commit(*field_files: FieldFile) -> None:
    """Delete these stored files once the current transaction commits, so that a
    rolled-back removal keeps the files its rows still point to."""
    files = [(f.storage, f.name) for f in field_files if f and f.name]
    if files:
        transaction.on_commit(functools.partial(_delete, files), robust=True)

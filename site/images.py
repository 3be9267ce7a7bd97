"""Re-encode untrusted uploads with Pillow: check limits, drop every metadata
segment, make thumbnails; name stored files unguessably; and keep storage in step
with the database.

Every image a member uploads passes through here before it touches storage, so
what we serve is always pixels we wrote ourselves, never the original bytes: no
EXIF (camera, GPS), XMP, JPEG comment, PNG text chunk or ICC profile survives
(colours are converted to sRGB first, so dropping the profile changes nothing
visible). The pixel count is read from the header and checked before anything is
decoded. Files
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
import os
import secrets
import warnings
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
#: The extensions ``_encode`` writes; a stored name keeps only these.
STORED_EXTENSIONS = {".jpg", ".webp"}

# Pillow's own guard against decompression bombs, at our limit rather than its
# 89 megapixels: above it Image.open warns, above twice it raises, for every
# image the site opens (Wagtail's too). Uploads are refused in words either way.
Image.MAX_IMAGE_PIXELS = settings.COCREATE_IMAGE_MAX_PIXELS


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
        # Reads the header only: nothing is decoded before the checks below.
        probe = _open_header(data)
        width, height = probe.size
        image_format = probe.format
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise ImageRejected(
            _("%(name)s has too many pixels; the limit is %(limit)s megapixels.")
            % {
                "name": getattr(upload, "name", ""),
                "limit": f"{max_pixels / 1_000_000:g}",
            }
        ) from exc
    except (UnidentifiedImageError, OSError) as exc:
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
        image = _open_header(data)
        image.load()
    except (
        OSError,
        Image.DecompressionBombError,
        Image.DecompressionBombWarning,
        SyntaxError,
    ) as exc:
        raise ImageRejected(
            _("%(name)s is damaged or incomplete and cannot be read.")
            % {"name": getattr(upload, "name", "")}
        ) from exc
    return image


def _open_header(data: bytes) -> Image.Image:
    """Image.open, which reads the header only. Pillow's bomb warning (over
    ``MAX_IMAGE_PIXELS``, our limit) is recorded rather than printed: the check of
    the size that follows refuses the image in words, with its dimensions; over
    twice the limit Pillow raises DecompressionBombError, refused in words too."""
    with warnings.catch_warnings(record=True):
        warnings.simplefilter("always", Image.DecompressionBombWarning)
        return Image.open(io.BytesIO(data))


def _to_srgb(image: Image.Image, mode: str) -> Image.Image:
    """``image`` in ``mode``; pixels described by an embedded ICC profile are
    converted to sRGB on the way, so dropping the profile changes no colour. A
    profile we cannot apply (broken, or Pillow without lcms) is ignored."""
    profile = image.info.get("icc_profile")
    if profile and image.mode in ("RGB", "RGBA", "CMYK"):
        try:
            from PIL import ImageCms

            converted = ImageCms.profileToProfile(
                image,
                ImageCms.ImageCmsProfile(io.BytesIO(profile)),
                ImageCms.createProfile("sRGB"),
                outputMode=mode,
            )
            if converted is not None:
                return converted
        except Exception:  # noqa: BLE001, S110 - any lcms error: keep the pixels
            pass
    return image.convert(mode)


def _bare(image: Image.Image, mode: str) -> Image.Image:
    """The pixels alone, in ``mode``: a new image whose ``info`` (JPEG comment,
    PNG text chunks, XMP, EXIF, ICC) is emptied, so Pillow cannot carry any of it
    into what it saves; ``_encode`` passes empty values besides."""
    converted = _to_srgb(image, mode)
    if converted is image:
        converted = image.copy()
    converted.info.clear()
    return converted


def _encode(image: Image.Image, name: str) -> ContentFile:
    buffer = io.BytesIO()
    if image.mode in ("RGBA", "LA") or (
        image.mode == "P" and "transparency" in image.info
    ):
        image = _bare(image, "RGBA")
        image.save(buffer, format="WEBP", quality=85, method=4, exif=b"", xmp=b"")
        extension = "webp"
    else:
        image = _bare(image, "RGB")
        image.save(
            buffer,
            format="JPEG",
            quality=85,
            optimize=True,
            progressive=True,
            exif=b"",
            comment=b"",
        )
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


def unguessable_name(folder: str, filename: str) -> str:
    """``ideas/Qx/Qx7….jpg``: a random name under ``folder`` that keeps only the
    extension, so a stored path tells nothing of the idea, the member or the
    original file, cannot be guessed, and is never used twice (docs/operations.md:
    backups rely on it). The first two characters spread files over folders."""
    extension = os.path.splitext(filename)[1].lower()
    if extension not in STORED_EXTENSIONS:
        extension = ""
    token = secrets.token_urlsafe(18)
    return f"{folder}/{token[:2]}/{token}{extension}"


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

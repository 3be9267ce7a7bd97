"""Re-encode untrusted uploads with Pillow: check limits, drop EXIF, make thumbnails.

Every image a member uploads passes through here before it touches storage, so
what we serve is always pixels we wrote ourselves, never the original bytes.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

from django.conf import settings
from django.core.files.base import ContentFile
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

ALLOWED_FORMATS = {"JPEG", "PNG", "GIF", "WEBP"}


class ImageRejected(ValueError):
    """The upload is not an image we accept; the message says why, in words."""


@dataclass(frozen=True)
class ProcessedImage:
    full: ContentFile
    thumbnail: ContentFile
    width: int
    height: int


def _limits() -> tuple[int, int]:
    return settings.COCREATE_IMAGE_MAX_BYTES, settings.COCREATE_IMAGE_MAX_PIXELS


def _open_checked(upload) -> Image.Image:
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
    upload, *, name: str, max_side: int = 2048, thumb_side: int = 480
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


def process_avatar(upload, *, name: str, side: int = 256) -> ContentFile:
    """A square, centred avatar, re-encoded without EXIF."""
    image = _open_checked(upload)
    image = ImageOps.exif_transpose(image)
    image = ImageOps.fit(image, (side, side), Image.Resampling.LANCZOS)
    return _encode(image, name)


def validate_image(upload) -> None:
    """Raise ImageRejected early, so a form can say what is wrong with each file."""
    _open_checked(upload)
    upload.seek(0)

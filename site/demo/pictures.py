"""The demo's pictures, drawn with Pillow: idea sketches, banners and avatars."""

from __future__ import annotations

import io
import random
import textwrap

from django.core.files.base import ContentFile
from django.utils.text import slugify
from PIL import Image, ImageDraw, ImageFont, ImageOps
from wagtail.images import get_image_model

from cocreate.demo.context import Demo

PALETTES = (
    ("#0b3d2e", "#7ccf9c"),
    ("#1d3557", "#a8dadc"),
    ("#5f0f40", "#fb8b24"),
    ("#22223b", "#c9ada7"),
    ("#003049", "#fcbf49"),
    ("#2b2d42", "#ef233c"),
    ("#264653", "#e9c46a"),
    ("#3c096c", "#ff9e00"),
)


def _font(size: int):
    try:
        return ImageFont.load_default(size=size)
    except (TypeError, OSError, ImportError):  # Pillow without FreeType
        return ImageFont.load_default()


def draw_picture(
    rng: random.Random, size: tuple[int, int], text: str, palette: tuple[str, str]
) -> bytes:
    """A gradient with translucent shapes and a caption, as JPEG bytes."""
    width, height = size
    gradient = Image.linear_gradient("L").rotate(rng.choice((0, 90, 180, 270)))
    gradient = gradient.resize(size, Image.Resampling.BILINEAR)
    image = ImageOps.colorize(gradient, *palette).convert("RGBA")
    overlay = Image.new("RGBA", size, (0, 0, 0, 0))
    shapes = ImageDraw.Draw(overlay)
    for _ in range(rng.randint(3, 7)):
        radius = rng.randint(height // 10, height // 2)
        x, y = rng.randint(0, width), rng.randint(0, height)
        fill = (255, 255, 255, rng.randint(30, 90))
        if rng.random() < 0.5:
            shapes.ellipse((x - radius, y - radius, x + radius, y + radius), fill=fill)
        else:
            box = (x - radius, y - radius // 2, x + radius, y + radius // 2)
            shapes.rounded_rectangle(box, radius=radius // 4, fill=fill)
    image = Image.alpha_composite(image, overlay).convert("RGB")
    draw = ImageDraw.Draw(image)
    font_size = max(height // 11, 14)
    font = _font(font_size)
    lines = textwrap.wrap(text, width=max(int(width / (font_size * 0.55)), 12))[:4]
    margin = width // 20
    y = height - margin - len(lines) * int(font_size * 1.25)
    for line in lines:
        draw.text(
            (margin, y),
            line,
            font=font,
            fill="white",
            stroke_width=2,
            stroke_fill="black",
        )
        y += int(font_size * 1.25)
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", quality=90)
    return buffer.getvalue()


def draw_avatar(name: str, colour: str) -> bytes:
    side = 256
    image = Image.new("RGB", (side, side), colour)
    draw = ImageDraw.Draw(image)
    initials = "".join(part[0] for part in name.replace(".", "").split()[:2]).upper()
    font = _font(110)
    left, top, right, bottom = draw.textbbox((0, 0), initials, font=font)
    position = ((side - (right - left)) / 2 - left, (side - (bottom - top)) / 2 - top)
    draw.text(position, initials, font=font, fill="white")
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


def wagtail_image(demo: Demo, caption: str, size: tuple[int, int], palette):
    """A banner in the image library, titled (and so described) by its caption."""
    image_model = get_image_model()
    existing = image_model.objects.filter(title=caption).first()
    if existing is not None:
        return existing
    data = draw_picture(demo.rng(caption), size, caption, palette)
    image = image_model(
        title=caption, file=ContentFile(data, name=f"{slugify(caption)}.jpg")
    )
    image.save()
    return image

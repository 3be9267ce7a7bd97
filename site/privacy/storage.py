"""Where the downloads are kept: a private folder, never served as media."""

from __future__ import annotations

from django.conf import settings
from django.core.files.storage import FileSystemStorage, Storage


def export_storage() -> Storage:
    """Read at every use, so a deploy (or a test) can point it elsewhere."""
    return FileSystemStorage(location=str(settings.COCREATE_EXPORTS_ROOT))

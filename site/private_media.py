"""Files only some people may see (idea images): stored outside ``MEDIA_ROOT`` and
served by views that have checked permission first.

Nothing under ``PRIVATE_MEDIA_ROOT`` has a public URL, so hiding an idea makes its
images unreachable at once: the view that served them answers 404. In production
the view hands the file to nginx with ``X-Accel-Redirect`` (an ``internal``
location, docs/deploy.md); without ``PRIVATE_MEDIA_ACCEL_PREFIX`` it streams the
file itself (development, tests).
"""

from __future__ import annotations

import mimetypes
from urllib.parse import quote

from django.conf import settings
from django.core.files.storage import FileSystemStorage, storages
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.http import FileResponse, Http404, HttpResponse
from django.http.response import HttpResponseBase
from django.utils.cache import patch_cache_control
from django.utils.functional import LazyObject, cached_property, empty
from django.views.defaults import page_not_found


class PrivateMediaStorage(FileSystemStorage):
    """A file system storage in ``PRIVATE_MEDIA_ROOT`` whose files have no URL."""

    @cached_property
    def base_location(self):
        location = getattr(self, "_location", None)  # OPTIONS may name one
        return self._value_or_setting(location, settings.PRIVATE_MEDIA_ROOT)

    def _clear_cached_properties(self, setting, **kwargs):
        # Each instance listens to setting_changed; tests move the private root.
        super()._clear_cached_properties(setting, **kwargs)
        if setting == "PRIVATE_MEDIA_ROOT":
            self.__dict__.pop("base_location", None)
            self.__dict__.pop("location", None)

    def url(self, name):
        raise ValueError(
            "Private files have no public URL; link to the view that serves them."
        )


class _PrivateStorage(LazyObject):
    """``STORAGES["private"]``, looked up on use like Django's ``default_storage``:
    a model field keeps the object its ``storage`` callable returned at start."""

    def _setup(self):
        self._wrapped = storages["private"]


private_media_storage = _PrivateStorage()


@receiver(setting_changed)
def _storages_changed(*, setting, **kwargs) -> None:
    if setting == "STORAGES":
        private_media_storage._wrapped = empty  # type: ignore[assignment]


def private_storage():
    """The storage of private files, for model fields (``storage=``)."""
    return private_media_storage


def serve(name: str, *, public: bool) -> HttpResponseBase:
    """Answer with the private file ``name``; the caller has checked permission.

    ``public``: everybody may see it now, so browsers and caches keep it for
    ``COCREATE_IDEA_IMAGE_MAX_AGE``; otherwise nothing stores it.
    """
    storage = private_storage()
    prefix = settings.PRIVATE_MEDIA_ACCEL_PREFIX
    content_type = mimetypes.guess_type(name)[0] or "application/octet-stream"
    response: HttpResponseBase
    if prefix:
        response = HttpResponse(content_type=content_type)
        response["X-Accel-Redirect"] = prefix.rstrip("/") + "/" + quote(name)
    else:
        try:
            handle = storage.open(name, "rb")
        except (FileNotFoundError, OSError) as exc:
            raise Http404(name) from exc
        response = FileResponse(handle, content_type=content_type)
    if public:
        patch_cache_control(
            response, public=True, max_age=settings.COCREATE_IDEA_IMAGE_MAX_AGE
        )
    else:
        patch_cache_control(response, private=True, no_store=True)
    return response


def not_found(request) -> HttpResponse:
    """The site's 404 page, which no cache may keep: the same URL answers 200 to
    someone allowed, or once the idea is public again."""
    response = page_not_found(request, Http404())
    patch_cache_control(response, private=True, no_store=True)
    return response

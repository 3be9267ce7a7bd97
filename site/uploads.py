"""Upload limits enforced while the request body is parsed, before it is stored.

Django's own limits count the text fields only (``DATA_UPLOAD_MAX_MEMORY_SIZE``);
files are streamed to memory (up to ``FILE_UPLOAD_MAX_MEMORY_SIZE``) or to a
temporary file whatever their size. ``LimitedUploadHandler`` goes first in a
view's handlers (``limited_uploads``) and:

- refuses a request whose ``Content-Length`` is over ``COCREATE_UPLOAD_MAX_BYTES``
  without parsing its body at all: the form then says why, with no text to keep;
- drops a file as soon as it grows past ``COCREATE_IMAGE_MAX_BYTES``: the rest of
  it is skipped chunk by chunk, never stored, and the form keeps the text fields.

Either refusal is a sentence in ``refusals(request)`` for the form to show.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.files.uploadhandler import FileUploadHandler, SkipFile
from django.forms.utils import ErrorDict
from django.http import HttpRequest, QueryDict
from django.template.defaultfilters import filesizeformat
from django.utils.datastructures import MultiValueDict
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt, csrf_protect

_REFUSALS = "_cocreate_upload_refusals"
_WHOLE = "_cocreate_upload_refused_whole"


def _refuse(request: HttpRequest | None, sentence: str, *, whole: bool = False) -> None:
    if request is None:  # a handler always has its request in a view
        return
    refusals = getattr(request, _REFUSALS, None)
    if refusals is None:
        refusals = []
        setattr(request, _REFUSALS, refusals)
    refusals.append(sentence)
    if whole:
        setattr(request, _WHOLE, True)


class LimitedUploadHandler(FileUploadHandler):
    """First in the chain: passes chunks on until a limit is crossed."""

    def handle_raw_input(
        self, input_data, META, content_length, boundary, encoding=None
    ):
        limit = settings.COCREATE_UPLOAD_MAX_BYTES
        if content_length > limit:
            _refuse(
                self.request,
                _(
                    "What you sent (%(size)s) is over the limit of %(limit)s, so "
                    "nothing was received. Please send fewer or smaller images."
                )
                % {
                    "size": filesizeformat(content_length),
                    "limit": filesizeformat(limit),
                },
                whole=True,
            )
            # Returning the result ends the parsing: the body is never read.
            return QueryDict(encoding=encoding), MultiValueDict()
        return None

    def new_file(self, *args, **kwargs):
        super().new_file(*args, **kwargs)
        self.received = 0

    def receive_data_chunk(self, raw_data, start):
        self.received += len(raw_data)
        limit = settings.COCREATE_IMAGE_MAX_BYTES
        if self.received > limit:
            _refuse(
                self.request,
                _("The file %(name)s is too large: the limit is %(limit)s.")
                % {"name": self.file_name, "limit": filesizeformat(limit)},
            )
            # The parser closes what the next handlers wrote and skips the rest.
            raise SkipFile
        return raw_data

    def file_complete(self, file_size):
        return None  # the next handler (memory or temporary file) keeps it


def limited_uploads(view: Callable) -> Callable:
    """Put ``LimitedUploadHandler`` first for this view. The CSRF check reads the
    body, so it runs inside, once the handler is in place (Django's documented way
    to change upload handlers in a view).

    A body refused unread carries no CSRF token to check: the view is then called
    as is, and its form, told by ``refusals``, must be invalid, so nothing changes
    and the person reads why (another site cannot read that page)."""
    protected = csrf_protect(view)

    @csrf_exempt
    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        request.upload_handlers.insert(0, LimitedUploadHandler(request))
        if request.method == "POST" and refused_whole(request):
            return view(request, *args, **kwargs)
        return protected(request, *args, **kwargs)

    return wrapper


def refusals(request: HttpRequest) -> list[str]:
    """What the upload limits refused in this request (parses the body first)."""
    if request.method == "POST":
        request.FILES  # noqa: B018 - parsing fills in the refusals
    return list(getattr(request, _REFUSALS, []))


def refused_whole(request: HttpRequest) -> bool:
    """The whole body was refused unread: the form has nothing of what was typed."""
    refusals(request)
    return bool(getattr(request, _WHOLE, False))


def form_kwargs(request: HttpRequest) -> dict:
    """What a ``RefusedUploadsMixin`` form needs to know of this request."""
    return {
        "upload_refusals": refusals(request),
        "upload_refused_whole": refused_whole(request),
    }


if TYPE_CHECKING:
    from django.forms import Form as _FormBase
else:
    _FormBase = object


class RefusedUploadsMixin(_FormBase):
    """A form that shows what the upload limits refused: beside ``upload_field``
    (the text fields, received, are kept), or alone when nothing was received."""

    upload_field = "images"

    def __init__(self, *args, upload_refusals=(), upload_refused_whole=False, **kw):
        super().__init__(*args, **kw)
        self.upload_refusals = list(upload_refusals)
        self.upload_refused_whole = upload_refused_whole

    def full_clean(self):
        if self.is_bound and self.upload_refused_whole:
            # Nothing of the form arrived: "this field is required" would mislead.
            self._errors = ErrorDict()
            self.cleaned_data = {}
            for sentence in self.upload_refusals:
                self.add_error(None, sentence)
            return
        super().full_clean()
        if self.is_bound:
            for sentence in self.upload_refusals:
                self.add_error(self.upload_field, sentence)

"""Exports of ideas for the product team: CSV, XLSX and JSON.

One generator (``idea_rows``) reads an ordered queryset in chunks, with a constant
number of queries per chunk, and three writers turn its rows into files: CSV and
JSON stream with constant memory, XLSX goes through openpyxl's write-only mode
into a temporary file. Views check ``permissions.can_export`` and the "export"
rate limit before they call ``export_response``.
"""

from __future__ import annotations

import csv
import datetime
import json
import tempfile
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from itertools import islice
from typing import IO, Any, cast

from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.db.models import Count, QuerySet
from django.http import FileResponse, HttpRequest, StreamingHttpResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.log_actions import log

from cocreate.spreadsheets import XLSX_ILLEGAL, neutralise
from ideas.models import Criterion, Idea, IdeaStatus, Support, TaggedIdea
from ideas.product import scoring
from ideas.ranking import TRENDING_DAYS

#: Ideas read per query; every chunk costs the same few queries.
CHUNK_SIZE = 500
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
XLSX_DATE_FORMAT = "yyyy-mm-dd hh:mm"
#: Bytes gathered before a streamed piece goes out (fewer, larger writes).
STREAM_PIECE = 64 * 1024


#: Said when the "export" rate limit is used up.
TOO_MANY_EXPORTS = gettext_lazy("Too many exports in a short time; please try later.")


class ExportFormat(models.TextChoices):
    CSV = "csv", "CSV"
    XLSX = "xlsx", "XLSX"
    JSON = "json", "JSON"


# Rows -----------------------------------------------------------------------------


def _chunks(items: Iterable[Any], size: int) -> Iterator[list[Any]]:
    iterator = iter(items)
    while chunk := list(islice(iterator, size)):
        yield chunk


def _recent_supports(idea_ids: list[int]) -> dict[int, int]:
    since = timezone.now() - datetime.timedelta(days=TRENDING_DAYS)
    rows = (
        Support.objects.filter(idea_id__in=idea_ids, created_at__gte=since)
        .values("idea_id")
        .annotate(count=Count("id"))
        .order_by()
        .values_list("idea_id", "count")
    )
    return dict(rows)


def _tag_names(idea_ids: list[int]) -> dict[int, list[str]]:
    """Tags per idea, in one query (taggit's prefetch builds a queryset per idea)."""
    names: dict[int, list[str]] = defaultdict(list)
    rows = (
        TaggedIdea.objects.filter(content_object_id__in=idea_ids)
        .order_by("tag__name")
        .values_list("content_object_id", "tag__name")
    )
    for idea_id, name in rows:
        names[idea_id].append(name)
    return names


def _idea_link(base_url: str) -> Callable[[int], str]:
    """An idea's absolute link without a URL reversal per row: reverse once with a
    marker id, then put each id in its place."""
    marker = 987654321
    path = reverse("ideas:detail", args=[marker])
    prefix, _marker, suffix = path.partition(str(marker))
    return lambda pk: f"{base_url}{prefix}{pk}{suffix}"


def criteria_in_use() -> list[Criterion]:
    """The criteria that get a column, in their order."""
    return list(Criterion.objects.filter(is_active=True).order_by("position", "id"))


def idea_rows(
    ideas: QuerySet[Idea],
    *,
    base_url: str,
    criteria: list[Criterion],
    notes: Mapping[int, str] | None = None,
    tz: datetime.tzinfo | None = None,
    chunk_size: int | None = None,
) -> Iterator[dict[str, Any]]:
    """One dict per idea, in the queryset's order; values stay Python data (lists,
    datetimes, numbers), the writers format them.

    The ideas come through ``iterator(chunk_size)`` (a server-side cursor on
    PostgreSQL); each chunk adds one query for its tags, one for recent supports
    and one for criterion means. Memory holds one chunk at a time.
    Dates are in ``tz`` (by default the current time zone): a streamed response
    runs after the view, when the admin's time zone is no longer active.
    """
    tz = tz or timezone.get_current_timezone()
    chunk_size = chunk_size or CHUNK_SIZE
    queryset = ideas.select_related("author", "campaign", "category").defer(
        "description", "description_html"
    )
    link = _idea_link(base_url)
    if not queryset.ordered:
        queryset = queryset.order_by("pk")
    for chunk in _chunks(queryset.iterator(chunk_size=chunk_size), chunk_size):
        ids = [idea.pk for idea in chunk]
        tags = _tag_names(ids)
        recent = _recent_supports(ids)
        means = scoring.criterion_means(ids)
        for idea in chunk:
            author = idea.author
            idea_means = means.get(idea.pk, {})
            row = {
                "id": idea.pk,
                "title": idea.title,
                "link": link(idea.pk),
                "campaign": idea.campaign.title if idea.campaign else "",
                "category": idea.category.name if idea.category else "",
                "language": idea.language,
                "tags": tags.get(idea.pk, []),
                "status": idea.status,
                "supports": idea.supports_count,
                "supports_recent": recent.get(idea.pk, 0),
                "comments": idea.comments_count,
                "score": idea.score,
                "criteria": {c.pk: idea_means.get(c.pk) for c in criteria},
                "author": author.public_name,
                # Only members who agreed to be contacted about their ideas.
                "author_email": author.email if author.contact_consent else "",
                "created_at": timezone.localtime(idea.created_at, tz),
            }
            if notes is not None:
                row["note"] = notes.get(idea.pk, "")
            yield row


# Columns of the spreadsheets ---------------------------------------------------------


@dataclass(frozen=True)
class Column:
    heading: str
    value: Callable[[dict[str, Any]], Any]


def _criterion_column(criterion: Criterion) -> Column:
    return Column(criterion.name, lambda row: row["criteria"][criterion.pk])


def spreadsheet_columns(criteria: list[Criterion], *, with_notes: bool) -> list[Column]:
    """Headings and values of CSV and XLSX: criteria in use by position, the
    shortlist note last when there are notes. Labels are translated here, in
    the view, not while the response streams (outside the request's language)."""
    statuses = {value: str(label) for value, label in IdeaStatus.choices}
    columns = [
        Column(_("ID"), lambda row: row["id"]),
        Column(_("Title"), lambda row: row["title"]),
        Column(_("Link"), lambda row: row["link"]),
        Column(_("Campaign"), lambda row: row["campaign"]),
        Column(_("Category"), lambda row: row["category"]),
        Column(_("Language"), lambda row: row["language"]),
        Column(_("Tags"), lambda row: ", ".join(row["tags"])),
        Column(_("Status"), lambda row: statuses[row["status"]]),
        Column(_("Supports"), lambda row: row["supports"]),
        Column(
            _("Supports in the last %(days)d days") % {"days": TRENDING_DAYS},
            lambda row: row["supports_recent"],
        ),
        Column(_("Comments"), lambda row: row["comments"]),
        Column(_("Score"), lambda row: row["score"]),
        *(_criterion_column(criterion) for criterion in criteria),
        Column(_("Author"), lambda row: row["author"]),
        Column(_("Author's email (consented)"), lambda row: row["author_email"]),
        Column(_("Created"), lambda row: row["created_at"]),
    ]
    if with_notes:
        columns.append(Column(_("Shortlist note"), lambda row: row["note"]))
    return columns


# Writers --------------------------------------------------------------------------


class _Echo:
    """A file-like object whose write returns what it is given (for csv.writer)."""

    def write(self, value: str) -> str:
        return value


class _RowCounter:
    def __init__(self, rows: Iterable[dict[str, Any]]):
        self.rows = rows
        self.count = 0

    def __iter__(self) -> Iterator[dict[str, Any]]:
        for row in self.rows:
            self.count += 1
            yield row


def _pieces(lines: Iterable[str]) -> Iterator[bytes]:
    """Gather lines into pieces of about STREAM_PIECE bytes."""
    buffer: list[str] = []
    size = 0
    for line in lines:
        buffer.append(line)
        size += len(line)
        if size >= STREAM_PIECE:
            yield "".join(buffer).encode()
            buffer, size = [], 0
    if buffer:
        yield "".join(buffer).encode()


def _csv_cell(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, str):
        return neutralise(value)
    if isinstance(value, datetime.datetime):
        return value.isoformat(timespec="seconds")
    return value


def csv_lines(rows: Iterable[dict[str, Any]], columns: list[Column]) -> Iterator[str]:
    writer = csv.writer(_Echo())
    # A byte-order mark, so that Excel reads the file as UTF-8.
    yield "\ufeff" + writer.writerow([neutralise(c.heading) for c in columns])
    for row in rows:
        yield writer.writerow([_csv_cell(c.value(row)) for c in columns])


def json_object(row: dict[str, Any], criteria: list[Criterion]) -> dict[str, Any]:
    """The JSON shape of a row: values as data, criteria by name, status as code."""
    data = {
        "id": row["id"],
        "title": row["title"],
        "link": row["link"],
        "campaign": row["campaign"],
        "category": row["category"],
        "language": row["language"],
        "tags": row["tags"],
        "status": row["status"],
        "supports": row["supports"],
        "supports_last_7_days": row["supports_recent"],
        "comments": row["comments"],
        "score": row["score"],
        "criteria": {c.name: row["criteria"][c.pk] for c in criteria},
        "author": row["author"],
        "author_email": row["author_email"],
        "created_at": row["created_at"],
    }
    if "note" in row:
        data["note"] = row["note"]
    return data


def json_lines(
    rows: Iterable[dict[str, Any]], criteria: list[Criterion]
) -> Iterator[str]:
    """A JSON array, one object per line."""
    separator = "[\n"
    for row in rows:
        yield separator + json.dumps(
            json_object(row, criteria), cls=DjangoJSONEncoder, ensure_ascii=False
        )
        separator = ",\n"
    yield "[]\n" if separator == "[\n" else "\n]\n"


def _xlsx_value(worksheet: Any, value: Any) -> Any:
    """A value for a write-only row: text cleaned and neutralised (so openpyxl
    never takes it for a formula), dates as cells with a date format, the rest
    as is (plain values are much cheaper than cells)."""
    from openpyxl.cell import WriteOnlyCell

    if isinstance(value, str):
        return neutralise(XLSX_ILLEGAL.sub("", value))
    if isinstance(value, datetime.datetime):
        # Local time: Excel knows no time zones.
        cell = WriteOnlyCell(worksheet, value=value.replace(tzinfo=None))
        cell.number_format = XLSX_DATE_FORMAT
        return cell
    return value


def write_xlsx(
    rows: Iterable[dict[str, Any]], columns: list[Column], file: IO[bytes]
) -> None:
    """Write a workbook row by row (openpyxl's write-only mode) into ``file``."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    workbook = Workbook(write_only=True)
    worksheet = workbook.create_sheet(title=_("Ideas")[:31])
    bold = Font(bold=True)
    headings = []
    for column in columns:
        cell = WriteOnlyCell(worksheet, value=_xlsx_value(worksheet, column.heading))
        cell.font = bold
        headings.append(cell)
    worksheet.append(headings)
    for row in rows:
        worksheet.append([_xlsx_value(worksheet, c.value(row)) for c in columns])
    workbook.save(file)


# The response ---------------------------------------------------------------------


def _log_export(
    request: HttpRequest, *, fmt: str, source: str, rows: int, complete: bool
) -> None:
    """Record who exported what and how many rows, on the exporter's own record
    (an export concerns many ideas, so no single idea holds it)."""
    log(
        instance=request.user,
        action="cocreate.export",
        user=request.user,
        title=source,
        data={"format": fmt, "source": source, "rows": rows, "complete": complete},
    )


def _logged_stream(
    pieces: Iterable[bytes],
    counter: _RowCounter,
    request: HttpRequest,
    *,
    fmt: str,
    source: str,
) -> Iterator[bytes]:
    """Stream, then log the rows actually sent: also when the download breaks
    off (the server closes the generator), with ``complete`` false."""
    complete = False
    try:
        yield from pieces
        complete = True
    finally:
        _log_export(
            request, fmt=fmt, source=source, rows=counter.count, complete=complete
        )


def export_filename(basename: str, fmt: str) -> str:
    slug = slugify(basename) or "ideas"
    return f"{slug}-{timezone.localdate():%Y-%m-%d}.{fmt}"


def export_response(
    request: HttpRequest,
    *,
    ideas: QuerySet[Idea],
    fmt: str,
    source: str,
    notes: Mapping[int, str] | None = None,
    basename: str = "ideas",
) -> StreamingHttpResponse:
    """The export of these ideas, in their order, as a download.

    Ideas removed by their author are left out. ``source`` says in the audit log
    what was exported ("shortlist:3 Running shoes 2027"); ``notes`` (idea id ->
    shortlist note) adds the note column. The caller checks
    ``permissions.can_export`` and the rate limit.
    """
    if fmt not in ExportFormat.values:
        raise ValueError(f"Unknown export format: {fmt!r}")
    # An idea its author removed when erasing their account leaves no copy behind:
    # not in a file that outlives the back office (its shortlist row stays there).
    ideas = ideas.exclude(status=IdeaStatus.REMOVED)
    criteria = criteria_in_use()
    counter = _RowCounter(
        idea_rows(
            ideas,
            base_url=request.build_absolute_uri("/").rstrip("/"),
            criteria=criteria,
            notes=notes,
            tz=timezone.get_current_timezone(),
        )
    )
    columns = spreadsheet_columns(criteria, with_notes=notes is not None)
    filename = export_filename(basename, fmt)
    if fmt == ExportFormat.XLSX:
        # The workbook goes to disk as it is written; FileResponse closes (and so
        # deletes) the temporary file once sent.
        file = tempfile.TemporaryFile(suffix=".xlsx")
        write_xlsx(counter, columns, file)
        file.seek(0)
        _log_export(request, fmt=fmt, source=source, rows=counter.count, complete=True)
        return FileResponse(
            file, as_attachment=True, filename=filename, content_type=XLSX_CONTENT_TYPE
        )
    if fmt == ExportFormat.CSV:
        lines = csv_lines(counter, columns)
        content_type = "text/csv; charset=utf-8"
    else:
        lines = json_lines(counter, criteria)
        content_type = "application/json"
    response = StreamingHttpResponse(
        _logged_stream(_pieces(lines), counter, request, fmt=fmt, source=source),
        content_type=content_type,
    )
    # Never None for an attachment.
    response["Content-Disposition"] = cast(
        str, content_disposition_header(as_attachment=True, filename=filename)
    )
    return response

"""Helpers the export tests share: run an export and read its rows."""

from __future__ import annotations

import csv
import io
import json

import openpyxl

from ideas.models import Idea
from ideas.product.exports import export_response


def content_of(response) -> bytes:
    if response.streaming:
        return b"".join(response.streaming_content)
    return b"".join(response)


def csv_rows(response) -> list[list[str]]:
    return list(csv.reader(io.StringIO(content_of(response).decode("utf-8-sig"))))


def xlsx_rows(response) -> list[tuple]:
    workbook = openpyxl.load_workbook(io.BytesIO(content_of(response)))
    return list(workbook.active.iter_rows(values_only=True))


def json_rows(response) -> list[dict]:
    return json.loads(content_of(response))


def export(request, fmt: str, ideas=None, **kwargs):
    ideas = Idea.objects.order_by("pk") if ideas is None else ideas
    return export_response(
        request, ideas=ideas, fmt=fmt, source=kwargs.pop("source", "test"), **kwargs
    )

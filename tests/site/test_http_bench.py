"""`make bench-http`'s pure helpers (tests/load/http_bench.py) and its hello view,
which is routed only when the benchmark asks for it."""

from __future__ import annotations

import math

import pytest
from django.test import RequestFactory
from django.urls import NoReverseMatch, reverse

from cocreate import views
from tests.load.http_bench import (
    PARTS,
    Sample,
    compare_sizes,
    format_table,
    parse_parts,
    percentile,
    ratio,
)


def test_percentile_interpolates_between_ranks():
    values = [5.0, 1.0, 4.0, 2.0, 3.0]
    assert percentile(values, 0) == 1.0
    assert percentile(values, 50) == 3.0
    assert percentile(values, 100) == 5.0
    assert percentile(values, 95) == pytest.approx(4.8)
    assert percentile([7.0], 99) == 7.0
    assert math.isnan(percentile([], 50))


def test_sample_reports_rate_and_milliseconds():
    sample = Sample(latencies=[0.010, 0.020, 0.030, 0.040], elapsed=2.0)
    assert sample.rate == 2.0
    assert sample.ms(50) == pytest.approx(25.0)
    assert Sample().rate == 0.0


def test_ratio_to_hello_is_a_percentage():
    assert ratio(50, 1000) == 5.0
    assert math.isnan(ratio(50, 0))


def test_a_page_that_grows_with_the_tables_beyond_a_fifth_is_named():
    small = {"list": 10.0, "home": 20.0, "idea": 8.0, "only small": 1.0}
    large = {"list": 11.9, "home": 24.5, "idea": 8.0, "only large": 1.0}

    rows, grown = compare_sizes(small, large)

    assert grown == ["home"]  # 22.5 % more; the list's 19 % is within
    assert [row[0] for row in rows] == ["list", "home", "idea"]
    assert rows[1][3] == pytest.approx(1.225)


def test_table_aligns_numbers_right_and_text_left():
    table = format_table(
        ["page", "req/s", "p95 ms"],
        [["hello", 12345.6, 1.234], ["/ideas/", 19.84, None]],
    ).splitlines()
    assert table[0] == "| page    |  req/s | p95 ms |"
    assert table[1] == "|---------|-------:|-------:|"
    assert table[2] == "| hello   | 12,346 |   1.23 |"
    assert table[3] == "| /ideas/ |   19.8 |      - |"


def test_hello_is_not_routed_by_default(client, db):
    with pytest.raises(NoReverseMatch):
        reverse("bench_hello")
    # Nothing but the pages' catch-all answers it: a slash is added, then 404.
    assert client.get("/bench/hello", follow=True).status_code == 404


def test_hello_view_answers_with_a_few_bytes():
    response = views.bench_hello(RequestFactory().get("/bench/hello"))
    assert response.status_code == 200
    assert response.content == b"hello"


def test_bench_only_names_the_parts_to_run():
    assert parse_parts("") == PARTS == ("pages", "writes")
    assert parse_parts("writes") == ("writes",)
    assert parse_parts(" Writes , pages ") == ("pages", "writes")
    with pytest.raises(SystemExit, match="unknown part"):
        parse_parts("writes,nope")

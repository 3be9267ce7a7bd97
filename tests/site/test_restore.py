"""Backups restore: the checks a restore runs (docs/operations.md), and on
PostgreSQL the whole of scripts/restore_check.sh, so CI proves every change of
schema still dumps and restores into a site whose ledger and counters agree."""

from __future__ import annotations

import io
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connection

from ideas.counters import recount_ideas
from ideas.models import Idea
from tests.factories import IdeaFactory, SupportFactory

ROOT = Path(__file__).resolve().parents[2]


def check_counters() -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("recount_ideas", "--check", stdout=out, stderr=err)
    except SystemExit as exit:
        return int(exit.code or 0), out.getvalue(), err.getvalue()
    return 0, out.getvalue(), err.getvalue()


@pytest.mark.django_db
class TestRecountCheck:
    def test_it_passes_when_every_counter_is_right(self):
        SupportFactory(idea=IdeaFactory())
        recount_ideas()  # factories leave the counters to the services

        code, out, err = check_counters()

        assert code == 0
        assert "ideas with a wrong counter: 0" in out
        assert err == ""

    def test_it_names_a_wrong_counter_exits_1_and_writes_nothing(self):
        idea = IdeaFactory()
        SupportFactory(idea=idea)
        recount_ideas()
        Idea.objects.filter(pk=idea.pk).update(supports_count=7)

        code, out, err = check_counters()

        assert code == 1
        assert "ideas with a wrong counter: 1 (nothing written)" in out
        assert f"idea {idea.pk}: supports_count is 7, should be 1" in err
        assert Idea.objects.get(pk=idea.pk).supports_count == 7


@pytest.mark.postgres
@pytest.mark.slow
@pytest.mark.skipif(
    connection.vendor != "postgresql" or not shutil.which("pg_restore"),
    reason="needs PostgreSQL and its client tools",
)
def test_a_dump_restores_into_a_site_whose_books_balance():
    # Its own scratch databases, never pytest's: the script needs DATABASE_URL.
    result = subprocess.run(  # noqa: S603 - our own script, fixed arguments
        [str(ROOT / "scripts" / "restore_check.sh")],
        cwd=ROOT,
        env={**os.environ, "PYTHON": sys.executable},
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
    )

    assert result.returncode == 0, result.stdout + result.stderr
    assert "== rewards_audit" in result.stdout
    assert "ideas with a wrong counter: 0" in result.stdout
    assert "0 missing" in result.stdout
    assert "== the backup restores" in result.stdout

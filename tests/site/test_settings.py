"""Settings come from the environment and refuse an unsafe production start."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.db.utils import ConnectionHandler

from cocreate.env import database_from_env, env_bool, env_count, env_int, env_list

ROOT = Path(__file__).resolve().parents[2]
PROBE = (
    "from django.conf import settings as s; "
    "print(s.DEBUG, s.SESSION_COOKIE_SECURE, s.SECURE_SSL_REDIRECT)"
)
# Variables that would make the settings believe they run in tests or development.
SCRUBBED = {
    "SECRET_KEY",
    "ALLOWED_HOSTS",
    "DEBUG",
    "COCREATE_TESTING",
    "DATABASE_URL",
    "REDIS_URL",
    "TASKS_BACKEND",
    "SECURE_COOKIES",
    "SECURE_SSL_REDIRECT",
}


def load_settings(probe: str = PROBE, **env: str) -> subprocess.CompletedProcess:
    """Import the settings in a fresh interpreter that has never seen pytest."""
    clean = {k: v for k, v in os.environ.items() if k not in SCRUBBED}
    clean = {k: v for k, v in clean.items() if not k.startswith("PYTEST")}
    clean.update(DJANGO_SETTINGS_MODULE="cocreate.settings", **env)
    return subprocess.run(  # noqa: S603 - a fixed command line, our own interpreter
        [sys.executable, "-c", probe],
        cwd=ROOT,
        env=clean,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_debug_off_without_a_secret_key_refuses_to_start():
    result = load_settings(DEBUG="false", ALLOWED_HOSTS="cocreate.example")

    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert "SECRET_KEY must be set when DEBUG is off." in result.stderr


def test_debug_off_without_allowed_hosts_refuses_to_start():
    result = load_settings(DEBUG="false", SECRET_KEY="s3cret-" * 8)

    assert result.returncode != 0
    assert "ALLOWED_HOSTS must be set when DEBUG is off." in result.stderr


def test_production_settings_load_with_secure_defaults():
    result = load_settings(SECRET_KEY="s3cret-" * 8, ALLOWED_HOSTS="cocreate.example")

    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["False", "True", "True"]


def test_debug_on_starts_without_a_secret_key():
    result = load_settings(DEBUG="true")

    assert result.returncode == 0, result.stderr
    assert result.stdout.split()[0] == "True"


def test_a_typo_in_a_switch_refuses_to_start():
    result = load_settings(DEBUG="ture")

    assert result.returncode != 0
    assert "DEBUG must be true or false, not 'ture'" in result.stderr


class TestEnvReaders:
    def test_env_bool_reads_the_usual_words(self, monkeypatch):
        for word, value in [("True", True), ("off", False), ("1", True), ("", None)]:
            monkeypatch.setenv("FLAG", word)
            assert env_bool("FLAG", None) is value

    def test_env_bool_refuses_anything_else(self, monkeypatch):
        monkeypatch.setenv("FLAG", "maybe")

        with pytest.raises(ImproperlyConfigured, match="FLAG must be true or false"):
            env_bool("FLAG")

    def test_env_int_refuses_words(self, monkeypatch):
        monkeypatch.setenv("COUNT", "ten")

        with pytest.raises(ImproperlyConfigured, match="whole number"):
            env_int("COUNT", 1)

    def test_env_list_splits_on_commas(self, monkeypatch):
        monkeypatch.setenv("HOSTS", " a.example, b.example ,,")

        assert env_list("HOSTS") == ["a.example", "b.example"]
        monkeypatch.delenv("HOSTS")
        assert env_list("HOSTS", ["x"]) == ["x"]

    def test_env_count_refuses_a_negative_number(self, monkeypatch):
        monkeypatch.setenv("TRUSTED_PROXY_COUNT", "-1")

        with pytest.raises(ImproperlyConfigured, match="zero or more"):
            env_count("TRUSTED_PROXY_COUNT", 0)


def test_the_proxy_settings_reach_allauth():
    probe = (
        "from django.conf import settings as s; print(s.TRUSTED_PROXY_COUNT, "
        "s.ALLAUTH_TRUSTED_PROXY_COUNT, s.ALLAUTH_TRUSTED_CLIENT_IP_HEADER)"
    )

    assert load_settings(probe, DEBUG="true").stdout.split() == ["0", "0", "None"]
    behind = load_settings(
        probe, DEBUG="true", TRUSTED_PROXY_COUNT="1", TRUSTED_CLIENT_IP_HEADER="X-IP"
    )
    assert behind.stdout.split() == ["1", "1", "X-IP"], behind.stderr


POSTGRES = "postgres://cocreate:secret@db.example:5432/cocreate"
DB_VARIABLES = [
    "DB_CONN_MAX_AGE",
    "DB_POOL_MAX_SIZE",
    "DB_POOL_MIN_SIZE",
    "DB_POOL_TIMEOUT",
    "DB_STATEMENT_TIMEOUT_MS",
]


class TestDatabaseFromEnv:
    @pytest.fixture(autouse=True)
    def _no_database_variables(self, monkeypatch):
        for name in DB_VARIABLES:
            monkeypatch.delenv(name, raising=False)

    def test_by_default_each_thread_keeps_a_connection_and_queries_time_out(self):
        database = database_from_env(POSTGRES)

        assert database["CONN_MAX_AGE"] == 60
        assert database["CONN_HEALTH_CHECKS"] is True
        assert "pool" not in database["OPTIONS"]
        assert database["OPTIONS"]["options"] == "-c statement_timeout=15000"

    def test_a_pool_size_switches_to_a_bounded_pool_without_persistent_connections(
        self, monkeypatch
    ):
        monkeypatch.setenv("DB_POOL_MAX_SIZE", "8")
        monkeypatch.setenv("DB_CONN_MAX_AGE", "600")  # ignored: the pool keeps them

        database = database_from_env(POSTGRES)

        assert database["CONN_MAX_AGE"] == 0
        assert database["OPTIONS"]["pool"] == {
            "min_size": 1,
            "max_size": 8,
            "timeout": 10,
        }

    def test_the_pool_reads_its_minimum_and_timeout_and_caps_the_minimum(
        self, monkeypatch
    ):
        monkeypatch.setenv("DB_POOL_MAX_SIZE", "4")
        monkeypatch.setenv("DB_POOL_MIN_SIZE", "6")
        monkeypatch.setenv("DB_POOL_TIMEOUT", "3")

        pool = database_from_env(POSTGRES)["OPTIONS"]["pool"]

        assert pool == {"min_size": 4, "max_size": 4, "timeout": 3}

    def test_the_statement_timeout_joins_options_from_the_url(self, monkeypatch):
        monkeypatch.setenv("DB_STATEMENT_TIMEOUT_MS", "5000")

        database = database_from_env(POSTGRES + "?options=-c%20search_path%3Dideas")

        assert database["OPTIONS"]["options"] == (
            "-c search_path=ideas -c statement_timeout=5000"
        )

    def test_a_statement_timeout_of_zero_sets_none(self, monkeypatch):
        monkeypatch.setenv("DB_STATEMENT_TIMEOUT_MS", "0")

        assert "options" not in database_from_env(POSTGRES)["OPTIONS"]

    def test_a_pool_on_sqlite_refuses_to_start(self, monkeypatch):
        monkeypatch.setenv("DB_POOL_MAX_SIZE", "8")

        with pytest.raises(ImproperlyConfigured, match="needs a PostgreSQL"):
            database_from_env("sqlite:////tmp/cocreate.sqlite3")

    def test_sqlite_gets_no_postgresql_options(self):
        database = database_from_env("sqlite:////tmp/cocreate.sqlite3")

        assert "options" not in database.get("OPTIONS", {})

    def test_django_builds_the_pool_from_these_settings(self, monkeypatch):
        """The pool is built, not opened: no connection to the example host."""
        pytest.importorskip("psycopg_pool", reason="psycopg[pool] is not installed")
        monkeypatch.setenv("DB_POOL_MAX_SIZE", "8")
        # Another alias than "default": Django keeps pools per alias, process-wide.
        databases = {"default": {}, "pool_probe": database_from_env(POSTGRES)}
        wrapper = ConnectionHandler(databases)["pool_probe"]
        try:
            pool = wrapper.pool
            assert (pool.min_size, pool.max_size, pool.timeout) == (1, 8, 10)
            assert pool.kwargs["options"] == "-c statement_timeout=15000"
        finally:
            wrapper.close_pool()


DEPLOY = (ROOT / "docs" / "deploy.md").read_text()


def documented_granian_commands() -> list[str]:
    return [
        line.strip().strip("|` ")
        for line in DEPLOY.splitlines()
        if "granian --interface wsgi" in line
    ]


def test_every_documented_granian_command_survives_a_crash_and_a_rush():
    commands = documented_granian_commands()

    assert len(commands) >= 2  # the process table and the systemd unit
    for command in commands:
        options = command.split()
        assert "--respawn-failed-workers" in options, command
        threads = int(options[options.index("--blocking-threads") + 1])
        backpressure = int(options[options.index("--backpressure") + 1])
        assert 1 <= threads <= 32, command
        assert threads <= backpressure <= 4 * threads, command


def test_the_documented_environment_bounds_connections_and_trusts_nginx():
    assert "TRUSTED_PROXY_COUNT=1\n" in DEPLOY
    pool = int(DEPLOY.split("DB_POOL_MAX_SIZE=")[1].split()[0])
    threads = int(DEPLOY.split("--blocking-threads ")[1].split()[0])
    assert pool >= threads  # a thread never waits for a connection
    assert "limit_conn_status 503;" in DEPLOY

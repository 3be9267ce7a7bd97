"""Settings come from the environment and refuse an unsafe production start."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from cocreate.env import env_bool, env_int, env_list

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


def load_settings(**env: str) -> subprocess.CompletedProcess:
    """Import the settings in a fresh interpreter that has never seen pytest."""
    clean = {k: v for k, v in os.environ.items() if k not in SCRUBBED}
    clean = {k: v for k, v in clean.items() if not k.startswith("PYTEST")}
    clean.update(DJANGO_SETTINGS_MODULE="cocreate.settings", **env)
    return subprocess.run(  # noqa: S603 - a fixed command line, our own interpreter
        [sys.executable, "-c", PROBE],
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

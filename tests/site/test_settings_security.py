"""With DEBUG off the settings refuse a weak SECRET_KEY and default to a year of
HSTS; tests and development still start."""

from __future__ import annotations

import pytest
from django.core.exceptions import ImproperlyConfigured

from cocreate.env import refuse_weak_secret_key
from tests.site.test_settings import load_settings

STRONG = "k7#Qz!p2@Lm9$Vx4^Rt6&Yw1*Nb8(Hc3)Jd5_Fg0+Se" + "u" * 10
HOSTS = "cocreate.example"


def test_debug_off_with_a_short_secret_key_refuses_to_start():
    result = load_settings(DEBUG="false", SECRET_KEY="short", ALLOWED_HOSTS=HOSTS)

    assert result.returncode != 0
    assert "ImproperlyConfigured: SECRET_KEY is too weak: it has 5 characters" in (
        result.stderr
    )


def test_debug_off_with_djangos_insecure_key_refuses_to_start():
    key = "django-insecure-" + "abcdefghij" * 5
    result = load_settings(DEBUG="false", SECRET_KEY=key, ALLOWED_HOSTS=HOSTS)

    assert result.returncode != 0
    assert "SECRET_KEY is Django's insecure development key" in result.stderr


def test_debug_on_accepts_a_short_key():
    result = load_settings(DEBUG="true", SECRET_KEY="short")

    assert result.returncode == 0, result.stderr


def test_hsts_defaults_to_a_year_with_debug_off():
    probe = (
        "from django.conf import settings as s; "
        "print(s.SECURE_HSTS_SECONDS, s.SECURE_HSTS_INCLUDE_SUBDOMAINS)"
    )
    result = load_settings(probe, SECRET_KEY=STRONG, ALLOWED_HOSTS=HOSTS)

    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["31536000", "False"]


@pytest.mark.parametrize(
    "key", ["", "x" * 80, "abcd" * 20, "django-insecure-" + STRONG, STRONG[:49]]
)
def test_weak_keys_are_refused(key):
    with pytest.raises(ImproperlyConfigured, match="SECRET_KEY"):
        refuse_weak_secret_key(key)


def test_a_long_random_key_is_accepted():
    refuse_weak_secret_key(STRONG)

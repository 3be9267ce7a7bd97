"""cocreate.http.client_ip: the person's address behind the reverse proxy, trusted
only as far as TRUSTED_PROXY_COUNT and TRUSTED_CLIENT_IP_HEADER say."""

from __future__ import annotations

import pytest
from allauth.account.adapter import get_adapter
from django.core.exceptions import PermissionDenied
from django.test import RequestFactory

from cocreate.http import client_ip

PROXY = "127.0.0.1"


def request_from(remote_addr: str = PROXY, **headers: str):
    return RequestFactory().get("/", REMOTE_ADDR=remote_addr, headers=headers)


@pytest.fixture
def trusting(settings):
    def trust(*, proxies: int = 0, header: str = ""):
        settings.TRUSTED_PROXY_COUNT = proxies
        settings.TRUSTED_CLIENT_IP_HEADER = header

    return trust


def test_it_is_the_connecting_address_by_default(trusting):
    trusting()

    assert client_ip(request_from("198.51.100.20")) == "198.51.100.20"


def test_it_ignores_a_forwarded_for_header_it_was_not_told_to_trust(trusting):
    trusting()

    request = request_from(X_Forwarded_For="203.0.113.7")

    assert client_ip(request) == PROXY


def test_it_ignores_a_client_ip_header_it_was_not_told_to_trust(trusting):
    trusting(proxies=1)

    request = request_from(X_Real_IP="203.0.113.7", X_Forwarded_For="198.51.100.20")

    assert client_ip(request) == "198.51.100.20"


def test_behind_one_proxy_it_takes_the_entry_that_proxy_appended(trusting):
    trusting(proxies=1)

    # nginx appends the address it saw to whatever the client sent.
    request = request_from(X_Forwarded_For="10.9.9.9, 203.0.113.7")

    assert client_ip(request) == "203.0.113.7"


def test_behind_two_proxies_it_takes_the_entry_the_outer_one_appended(trusting):
    trusting(proxies=2)

    request = request_from(X_Forwarded_For="10.9.9.9, 203.0.113.7, 192.0.2.1")

    assert client_ip(request) == "203.0.113.7"


def test_fewer_entries_than_proxies_gives_the_first_one_rather_than_an_error(
    trusting,
):
    trusting(proxies=2)

    assert client_ip(request_from(X_Forwarded_For="203.0.113.7")) == "203.0.113.7"


def test_without_the_header_behind_a_proxy_it_falls_back_to_the_connection(
    trusting,
):
    trusting(proxies=1)

    assert client_ip(request_from("198.51.100.20")) == "198.51.100.20"


def test_a_header_set_by_the_proxy_wins_over_forwarded_for(trusting):
    trusting(proxies=1, header="X-Real-IP")

    request = request_from(X_Real_IP="203.0.113.7", X_Forwarded_For="198.51.100.20")

    assert client_ip(request) == "203.0.113.7"


@pytest.mark.parametrize(
    ("given", "address"),
    [
        ("203.0.113.7:51234", "203.0.113.7"),
        ("[2001:db8::1]:443", "2001:db8::1"),
        ("2001:DB8::1", "2001:db8::1"),
        ("  203.0.113.7 ", "203.0.113.7"),
        ("not-an-address", None),
        ("", None),
    ],
)
def test_it_returns_a_clean_address_or_none(trusting, given, address):
    trusting(proxies=1)

    assert client_ip(request_from(X_Forwarded_For=f"10.9.9.9,{given}")) == address


def test_allauth_asks_the_same_function(trusting):
    trusting(proxies=1)

    request = request_from(X_Forwarded_For="203.0.113.7")

    assert get_adapter(request).get_client_ip(request) == "203.0.113.7"


def test_allauth_refuses_a_request_without_a_usable_address(trusting):
    trusting(proxies=1)

    with pytest.raises(PermissionDenied):
        get_adapter().get_client_ip(request_from(X_Forwarded_For="nonsense"))

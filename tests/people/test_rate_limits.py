"""Login rate limits count per client behind the TLS proxy (TRUSTED_PROXY_COUNT)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from tests import factories as f

pytestmark = pytest.mark.django_db
PROXY = "10.0.0.1"  # every request reaches the app from the proxy's address
PASSWORD = "geheim-wachtwoord-123"


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()
    yield
    cache.clear()


def login(client_ip: str, email: str, password: str):
    return Client(REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=client_ip).post(
        reverse("account_login"), {"login": email, "password": password}
    )


def attack(from_ip: str) -> None:
    for n in range(10):  # ten wrong passwords, each for another address (the per-ip limit)
        response = login(from_ip, f"slachtoffer{n}@example.org", "fout")
        assert response.status_code == 200


@pytest.mark.parametrize("proxies", [1, 2])
def test_ten_wrong_passwords_lock_out_only_that_client(settings, proxies):
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = proxies
    user = f.make_user("leider@school.example", password=PASSWORD)
    chain = (lambda ip: ip) if proxies == 1 else (lambda ip: f"{ip}, 10.0.0.9")
    attack(chain("203.0.113.7"))
    blocked = login(chain("203.0.113.7"), user.email, PASSWORD)
    assert blocked.status_code == 200  # the attacker is limited, even with the right password
    assert "_auth_user_id" not in blocked.client.session
    ok = login(chain("198.51.100.20"), user.email, PASSWORD)
    assert ok.status_code == 302  # another client behind the same proxy still gets in


def test_without_the_setting_everyone_behind_the_proxy_shares_one_limit(settings):
    """The reported fault, kept as the control: proxy count 0 counts the proxy's address."""
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 0
    user = f.make_user("leider@school.example", password=PASSWORD)
    attack("203.0.113.7")
    assert login("198.51.100.20", user.email, PASSWORD).status_code == 200


def test_trusted_proxy_count_comes_from_the_environment():
    root = Path(__file__).resolve().parents[2]
    code = "from django.conf import settings; print(settings.ALLAUTH_TRUSTED_PROXY_COUNT)"
    base = {"PATH": os.environ.get("PATH", ""), "DJANGO_SETTINGS_MODULE": "mentoring.settings"}
    for extra, expected in (
        ({"TRUSTED_PROXY_COUNT": "2"}, "2"),
        ({"DEBUG": "true"}, "0"),
        ({"DEBUG": "true", "BEHIND_TLS_PROXY": "true"}, "1"),
    ):
        result = subprocess.run(
            [sys.executable, "-c", "import django; django.setup(); " + code],
            cwd=root,
            env={**base, "SECRET_KEY": "x" * 50, **extra},
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert result.stdout.strip() == expected, result.stderr

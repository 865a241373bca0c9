"""Production configuration: check --deploy is clean with production variables."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_check_deploy_has_no_warnings(tmp_path):
    env = {
        "PATH": os.environ.get("PATH", ""),
        "DEBUG": "false",
        "SECRET_KEY": "x" * 20 + "-Production-Secret-Key-0123456789-abcdefghij",
        "ALLOWED_HOSTS": "mentoring.example.org",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "EMAIL_PROVIDER": "postmark",
        "POSTMARK_SERVER_TOKEN": "token",
        "ANYMAIL_WEBHOOK_SECRET": "hook:long-random-secret",
        "DJANGO_SETTINGS_MODULE": "mentoring.settings",
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_missing_secret_key_in_production_fails_loudly(tmp_path):
    env = {"PATH": os.environ.get("PATH", ""), "DEBUG": "false"}
    result = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_bad_boolean_fails_loudly():
    env = {"PATH": os.environ.get("PATH", ""), "DEBUG": "misschien"}
    result = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode != 0
    assert "DEBUG must be true or false" in result.stderr

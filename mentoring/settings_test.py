"""Settings for the test suite and benches: the real settings, with the test-only choices
spelled out here instead of guessed inside ``settings.py``.

pytest uses this module (``pyproject.toml``); the environment still wins where it sets a
value (``DATABASE_URL`` for the PostgreSQL run, ``EMAIL_PROVIDER``, ``TASKS_BACKEND``).
"""

import os

# Read by settings.py, so set before importing it: mail stays in memory, tasks run inline.
os.environ.setdefault("EMAIL_PROVIDER", "locmem")
os.environ.setdefault("TASKS_BACKEND", "django_tasks.backends.immediate.ImmediateBackend")

from .settings import *  # noqa: E402, F403
from .settings import STORAGES  # noqa: E402

# Hashing passwords the production way costs seconds per test file.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# No collectstatic in tests: serve the source files.
STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

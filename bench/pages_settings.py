"""Settings of ``bench/pages.py``'s gunicorn (bench only, never production).

The production settings as the environment gives them (``bench/pages.py`` sets DEBUG off,
a secret key, the allowed host and a throw-away PostgreSQL database), with what plain HTTP
on 127.0.0.1 needs, and one addition: every response carries ``X-Bench-Queries``, the
number of database queries the request ran.
"""

from __future__ import annotations

import copy
import warnings
from collections.abc import Callable
from typing import Any, cast

from django.db import connections
from django.http import HttpRequest, HttpResponse

from mentoring.settings import *  # noqa: F403
from mentoring.settings import LOGGING, MIDDLEWARE, STORAGES

# Plain HTTP on the loopback: the cookies must travel without TLS.
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
# No collectstatic for a bench: pages link the source files (they are not fetched).
STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# Finding a role's pages meets many 403s and 404s on purpose: log only real errors.
LOGGING = copy.deepcopy(LOGGING)
cast(dict[str, Any], LOGGING["loggers"])["django.request"] = {"level": "ERROR"}
# WhiteNoise looks for collected static files; a bench serves none.
warnings.filterwarnings("ignore", message="No directory at")

QUERY_HEADER = "X-Bench-Queries"


class QueryCountMiddleware:
    """Counts every query of a request (outermost, so sessions and users count too)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        count = 0

        def counter(execute, sql, params, many, context):
            nonlocal count
            count += 1
            return execute(sql, params, many, context)

        with connections["default"].execute_wrapper(counter):
            response = self.get_response(request)
        response[QUERY_HEADER] = str(count)
        return response


MIDDLEWARE = ["bench.pages_settings.QueryCountMiddleware", *MIDDLEWARE]

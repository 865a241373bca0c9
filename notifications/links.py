"""The one absolute-URL builder: links in mail, calendar files and feeds point at SITE_URL.

A worker may send a message long after the request that queued it, so every link it carries
is absolute and built from ``settings.SITE_URL``, never from a request.
"""

from __future__ import annotations

from django.conf import settings
from django.urls import reverse


def absolute_path(path: str) -> str:
    """``/a/b/`` -> ``https://site/a/b/``."""
    return f"{settings.SITE_URL}{path}"


def absolute_url(viewname: str, *args: object) -> str:
    """The absolute address of a named URL, e.g. ``absolute_url("webinars:choose", 3)``."""
    return absolute_path(reverse(viewname, args=args))

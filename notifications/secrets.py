"""One-time links in messages: found, and replaced by a marker wherever a message is shown.

A password-reset, email-confirmation or invitation link (and a personal calendar-feed
address) works for whoever holds it. The outbox stores the real message only until it has
been sent; every page, the admin and every export show :func:`redacted` copies. See
docs/security.md.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.urls import Resolver404, resolve
from django.utils.translation import gettext as _

#: Views whose URL is itself the secret (whoever has the link can use it).
SECRET_VIEW_NAMES = frozenset(
    {
        "account_reset_password_from_key",
        "account_confirm_email",
        "people:invitation_accept",
        "meetings:feed",
    }
)
#: Query parameters whose value is a secret in any URL.
SECRET_PARAMS = ("token", "key", "code", "sig", "signature", "otp")

# An absolute URL or a path (starting with "/"), up to whitespace, a quote or a tag.
_URL = re.compile(r"""(?:https?://[^/\s"'<>]+)?/[^\s"'<>]*""")
_PARAM = re.compile(
    r"""([?&](?:amp;)?(?:""" + "|".join(SECRET_PARAMS) + r""")=)[^&\s"'<>#]+""", re.IGNORECASE
)
_SCHEME_HOST = re.compile(r"^https?://[^/]+")


def marker() -> str:
    return _("[eenmalige link verborgen]")


def _is_secret_path(url: str) -> bool:
    path = _SCHEME_HOST.sub("", url).split("?", 1)[0].split("#", 1)[0]
    if not path.startswith("/") or len(path) < 3:
        return False
    try:
        match = resolve(path)
    except Resolver404:
        return False
    except Exception:  # noqa: BLE001 - odd input never breaks a page
        return False
    return match.view_name in SECRET_VIEW_NAMES


def redact(text: str) -> str:
    """``text`` with every one-time link replaced by a marker (plain text or HTML)."""
    if not text:
        return text or ""
    hidden = marker()

    def replace(match: re.Match) -> str:
        url = match.group(0)
        return hidden if _is_secret_path(url) else url

    text = _URL.sub(replace, text)
    return _PARAM.sub(lambda m: m.group(1) + hidden, text)


def contains_secret(*texts: str) -> bool:
    return any(t and redact(t) != t for t in texts)


@dataclass(frozen=True)
class Shown:
    """What staff may see of a message's content."""

    subject: str
    body_text: str
    body_html: str
    has_secret: bool


def redacted(row) -> Shown:
    subject, text, html = redact(row.subject), redact(row.body_text), redact(row.body_html)
    return Shown(
        subject=subject,
        body_text=text,
        body_html=html,
        has_secret=(subject, text, html) != (row.subject, row.body_text, row.body_html),
    )

"""Render a notification kind's templates into subject, text and HTML.

Templates live in ``templates/notifications/<kind>/``: ``subject.txt``, ``body.txt`` and
``body.html`` (which extends ``notifications/email/base.html``). ``.txt`` templates render
without HTML autoescaping, so ``{{ name }}`` stays ``Jansen & Zn`` in the text version.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.template import TemplateDoesNotExist
from django.template.backends.django import DjangoTemplates
from django.template.loader import get_template, render_to_string
from django.utils import translation

SUBJECT_MAX = 998


@dataclass(frozen=True)
class Rendered:
    subject: str
    text: str
    html: str


@functools.cache
def _text_engine() -> DjangoTemplates:
    """A copy of the project's template engine with autoescape off (for .txt)."""
    conf = next(t for t in settings.TEMPLATES if t["BACKEND"].endswith("DjangoTemplates"))
    options = {
        key: value
        for key, value in conf.get("OPTIONS", {}).items()
        if key not in {"context_processors"}
    }
    options["autoescape"] = False
    return DjangoTemplates(
        {
            "NAME": "notifications_text",
            "DIRS": conf.get("DIRS", []),
            "APP_DIRS": conf.get("APP_DIRS", False),
            "OPTIONS": options,
        }
    )


def render_text(template_name: str, context: dict[str, Any]) -> str:
    return _text_engine().get_template(template_name).render(context)


def one_line(subject: str) -> str:
    return " ".join(subject.split())[:SUBJECT_MAX]


def base_context() -> dict[str, Any]:
    return {
        "site_url": settings.SITE_URL,
        "site_name": "leerKRACHT",
    }


def text_as_html(text: str, context: dict[str, Any]) -> str:
    """Wrap a text-only message in the HTML layout (escaped, links made clickable)."""
    return render_to_string("notifications/email/text_as_html.html", {**context, "text": text})


def render_kind(kind: str, context: dict[str, Any], *, language: str) -> Rendered:
    """Render ``kind``'s three templates in ``language``.

    ``subject.txt`` and ``body.txt`` are required; without ``body.html`` the text is wrapped
    in the HTML layout.
    """
    folder = f"notifications/{kind}"
    with translation.override(language):
        subject = one_line(render_text(f"{folder}/subject.txt", context))
        text = render_text(f"{folder}/body.txt", context).strip() + "\n"
        try:
            html_template = get_template(f"{folder}/body.html")
        except TemplateDoesNotExist:
            html = text_as_html(text, {**context, "subject": subject})
        else:
            html = html_template.render({**context, "subject": subject})
    return Rendered(subject=subject, text=text, html=html)

"""allauth's own messages (verification, password reset, ...) through the outbox.

``AccountAdapter.send_mail`` calls :func:`queue_allauth_mail`: allauth's templates
(overridden in ``templates/account/email/`` with the site's layout) are rendered now, in the
recipient's language, and stored as an essential outbox row. Links in them (activate_url,
password_reset_url) are absolute, so they keep working when the worker sends later.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.sites.shortcuts import get_current_site
from django.template import TemplateDoesNotExist
from django.template.loader import render_to_string
from django.utils import translation

from .models import Notification
from .outbox import queue_message
from .rendering import Rendered, base_context, one_line, text_as_html
from .suppression import normalize_email


def kind_for(template_prefix: str) -> str:
    """``account/email/password_reset_key`` → ``account_password_reset_key``."""
    return template_prefix.replace("/email/", "_").replace("/", "_")[:100]


def render_allauth(adapter, template_prefix: str, context: dict[str, Any]) -> Rendered:
    subject = render_to_string(f"{template_prefix}_subject.txt", context)
    subject = one_line(adapter.format_email_subject(one_line(subject)))
    context = {**context, "subject": subject}
    text = render_to_string(f"{template_prefix}_message.txt", context).strip() + "\n"
    try:
        html = render_to_string(f"{template_prefix}_message.html", context)
    except TemplateDoesNotExist:
        html = text_as_html(text, context)
    return Rendered(subject=subject, text=text, html=html)


def queue_allauth_mail(
    adapter, template_prefix: str, email: str, context: dict[str, Any]
) -> Notification | None:
    from allauth.core import context as allauth_context

    request = getattr(allauth_context, "request", None)
    address = normalize_email(email)
    user = get_user_model().objects.filter(email__iexact=address).first()
    language = getattr(user, "language", "") or translation.get_language() or settings.LANGUAGE_CODE
    ctx: dict[str, Any] = {
        **base_context(),
        "request": request,
        "email": email,
        "essential": True,
        "recipient": user,
    }
    if request is not None:
        ctx["current_site"] = get_current_site(request)
    ctx.update(context)
    with translation.override(language):
        rendered = render_allauth(adapter, template_prefix, ctx)
    return queue_message(
        kind_for(template_prefix),
        address,
        rendered=rendered,
        user=user,
        language=language,
        essential=True,
    )

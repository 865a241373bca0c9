"""System checks: production email must have a protected tracking webhook.

With DEBUG off a missing webhook secret (or Mailgun's signing key) is an error, so a
deployment cannot start with a webhook anyone could post forged bounces to; with DEBUG on
it is a warning. Until configured the endpoints answer 404 (``notifications.webhooks``).
"""

from __future__ import annotations

from django.conf import settings
from django.core.checks import Error, Warning, register

ESP_PROVIDERS = {"postmark", "mailgun", "amazon_ses", "brevo", "sendgrid", "mailjet"}


@register()
def webhook_secret_check(app_configs=None, **kwargs) -> list:
    from .webhooks import anymail_setting, missing_keys

    provider = getattr(settings, "EMAIL_PROVIDER", "")
    if provider not in ESP_PROVIDERS:
        return []
    level, prefix = (Warning, "W") if settings.DEBUG else (Error, "E")
    problems = []
    if not anymail_setting("WEBHOOK_SECRET"):
        problems.append(
            level(
                "ANYMAIL_WEBHOOK_SECRET is not set: the delivery-tracking webhook is off "
                "(404) and bounces are not recorded.",
                hint="Set ANYMAIL_WEBHOOK_SECRET=user:password and use it in the ESP's "
                "webhook URL (see docs/email.md and docs/security.md).",
                id=f"notifications.{prefix}001",
            )
        )
    for key in missing_keys(provider):
        problems.append(
            level(
                f"{key} is not set: the {provider} webhook cannot check signatures.",
                hint=f"Set {key} from the ESP's webhook settings (see docs/email.md).",
                id=f"notifications.{prefix}002",
            )
        )
    return problems

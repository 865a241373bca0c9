"""allauth adapter: where people land after signing in or up."""

from __future__ import annotations

from allauth.account.adapter import DefaultAccountAdapter
from django.urls import reverse


class AccountAdapter(DefaultAccountAdapter):
    def get_login_redirect_url(self, request):
        return reverse("home")

    def get_signup_redirect_url(self, request):
        return reverse("people:mentor_signup_done")

    def send_mail(self, template_prefix: str, email: str, context: dict) -> None:
        """Every allauth message goes through the notifications outbox (essential)."""
        from notifications.allauth import queue_allauth_mail

        queue_allauth_mail(self, template_prefix, email, context)

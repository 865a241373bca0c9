"""allauth adapter: where people land after signing in or up."""

from __future__ import annotations

from allauth.account.adapter import DefaultAccountAdapter
from django.urls import reverse


class AccountAdapter(DefaultAccountAdapter):
    def get_login_redirect_url(self, request):
        return reverse("home")

    def is_open_for_signup(self, request) -> bool:
        """Self-registration is for mentors, only while a mentor registration is open.

        Closed, allauth shows ``account/signup_closed.html``: the interest list and the
        other ways in (invitations for schoolleiders, the staff's address).
        """
        from .services import open_mentor_program

        return open_mentor_program() is not None

    def get_signup_redirect_url(self, request):
        return reverse("people:mentor_signup_done")

    def send_mail(self, template_prefix: str, email: str, context: dict) -> None:
        """Every allauth message goes through the notifications outbox (essential)."""
        from notifications.allauth import queue_allauth_mail

        queue_allauth_mail(self, template_prefix, email, context)

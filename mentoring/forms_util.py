"""Putting a service's ``ValidationError`` on the form that sent the data.

A service raises ``ValidationError({"field": ...})`` or ``ValidationError("message")``; the
view shows each message by its field, or above the form when the form has no such field.
Outside the layers of pyproject.toml (like ``mentoring.inputs``): every app's views use it.
"""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError


def add_errors(form: forms.Form, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for name, errors in exc.error_dict.items():
            for error in errors:
                form.add_error(name if name in form.fields else None, error)
    else:
        for message in exc.messages:
            form.add_error(None, message)

"""Dates in the page's language: "1 dec 2026" on a Dutch page, "1 Dec 2026" on an English one.

Django's ``M`` capitalises the Dutch abbreviation ("1 Dec", which reads as English) and ``b``
writes English in lower case ("1 dec"); these filters pick the right one per language.
Registered as template builtins (settings.TEMPLATES), so no ``{% load %}`` is needed.
"""

from __future__ import annotations

from django import template
from django.template.defaultfilters import date as date_filter
from django.utils.translation import get_language

register = template.Library()

#: Per language: (day month, day month year).
FORMATS = {"nl": ("j b", "j b Y"), "en": ("j M", "j M Y")}


def _formats() -> tuple[str, str]:
    return FORMATS.get((get_language() or "nl")[:2], FORMATS["nl"])


@register.filter(expects_localtime=True, is_safe=False)
def day_month(value, time: str = ""):
    """Day and month, "1 dec" / "1 Dec"; ``value|day_month:"H:i"`` adds the time."""
    if value in (None, ""):
        return ""
    fmt = _formats()[0] + (f" {time}" if time else "")
    return date_filter(value, fmt)


@register.filter(expects_localtime=True, is_safe=False)
def day_month_year(value, time: str = ""):
    """Day, month and year, "1 dec 2026" / "1 Dec 2026"; ``value|day_month_year:"H:i"`` adds the time."""
    if value in (None, ""):
        return ""
    fmt = _formats()[1] + (f" {time}" if time else "")
    return date_filter(value, fmt)

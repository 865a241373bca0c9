"""``{% once %}``: the one-time token that makes a create form act once (people.submissions).

Registered as a template builtin (settings.TEMPLATES), so no ``{% load %}`` is needed.
"""

from __future__ import annotations

from django import template

from people.submissions import token_field

register = template.Library()


@register.simple_tag
def once() -> str:
    return token_field()

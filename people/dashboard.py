"""Home-page panels and staff task links that every app contributes.

An app registers, in its ``AppConfig.ready()``, functions that return a ``Panel`` (or None)
for a role's home page, and links for the staff overview. The home page stays one view with
a constant number of queries per panel, and apps never edit each other's templates.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.http import HttpRequest

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


@dataclass
class Panel:
    template: str
    context: dict[str, Any] = field(default_factory=dict)
    order: int = 50


@dataclass(frozen=True)
class StaffLink:
    label: StrOrPromise
    url_name: str
    order: int = 50
    description: StrOrPromise = ""
    program_kinds: tuple[str, ...] = ()  # empty: every kind of program


PanelFunc = Callable[[HttpRequest, Any, Any], "Panel | None"]
_panels: dict[str, list[tuple[int, PanelFunc]]] = {}
_staff_links: list[StaffLink] = []


def panel(*kinds: str, order: int = 50) -> Callable[[PanelFunc], PanelFunc]:
    """Register ``func(request, program, role)`` as a home panel for the given role kinds.

    For staff ``role`` is None (foundation staff may have no Role row).
    """

    def decorator(func: PanelFunc) -> PanelFunc:
        for kind in kinds:
            entries = _panels.setdefault(kind, [])
            if all(f is not func for _, f in entries):
                entries.append((order, func))
        return func

    return decorator


def register_staff_link(link: StaffLink) -> None:
    if link not in _staff_links:
        _staff_links.append(link)


def panels_for(request: HttpRequest, program, kind: str, role) -> list[Panel]:
    result = []
    for order, func in sorted(_panels.get(kind, []), key=lambda item: item[0]):
        got = func(request, program, role)
        if got is not None:
            got.order = order
            result.append(got)
    return result


def staff_links_for(program) -> list[StaffLink]:
    return sorted(
        (
            link
            for link in _staff_links
            if not link.program_kinds or program.kind in link.program_kinds
        ),
        key=lambda link: (link.order, link.label),
    )

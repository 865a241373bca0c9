"""The one permission layer every view uses.

Rules:
- Anonymous visitors are sent to the login page.
- Foundation staff (``User.is_staff``) act as program staff in every program year.
- Everyone else gets rights through a ``Role`` in one program year.
- An account that is foundation staff or holds a staff role in any program year must have
  TOTP two-factor authentication before any page but the account and two-factor pages
  opens, whatever other roles it has (``settings.STAFF_REQUIRE_MFA``; middleware and
  decorators both check).
- Objects a person may not know about give 404 (see the ``get_*_for`` helpers in each app);
  pages of a role a person does not have give 403.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from functools import wraps

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _

from programs.models import ProgramYear

from .enums import RoleKind
from .models import Role


def is_foundation_staff(user) -> bool:
    return bool(user.is_authenticated and user.is_active and user.is_staff)


def roles_in(user, program: ProgramYear) -> set[str]:
    """The role kinds ``user`` has in ``program`` (foundation staff always count as staff)."""
    if not user.is_authenticated or not user.is_active:
        return set()
    cache = getattr(user, "_program_roles_cache", None)
    if cache is None:
        cache = {}
        user._program_roles_cache = cache
    if program.pk not in cache:
        kinds = set(Role.objects.filter(user=user, program=program).values_list("kind", flat=True))
        if is_foundation_staff(user):
            kinds.add(RoleKind.STAFF)
        cache[program.pk] = kinds
    return cache[program.pk]


def role_ids(user) -> list[int]:
    """Ids of every role ``user`` holds (all program years), read once per request.

    For "a pair of mine" filters as ``mentor_id IN (...) OR schoolleider_id IN (...)``: each
    side is an index lookup, where an OR over two joined role tables makes the database read
    every pair."""
    if not user.is_authenticated:
        return []
    cached = getattr(user, "_role_ids_cache", None)
    if cached is None:
        cached = list(Role.objects.filter(user=user).values_list("id", flat=True))
        user._role_ids_cache = cached
    return cached


def has_totp(user) -> bool:
    from allauth.mfa.models import Authenticator

    return Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()


def is_privileged(user) -> bool:
    """Foundation staff, a superuser, or staff in any program year — whatever other roles."""
    if not user.is_authenticated or not user.is_active:
        return False
    if user.is_staff or user.is_superuser:
        return True
    cached = getattr(user, "_is_privileged_cache", None)
    if cached is None:
        cached = Role.objects.filter(user=user, kind=RoleKind.STAFF).exists()
        user._is_privileged_cache = cached
    return cached


def staff_mfa_missing(user) -> bool:
    """A privileged account without TOTP (when ``STAFF_REQUIRE_MFA``): it opens nothing but
    the account and two-factor pages (see ``people.middleware.StaffMFAMiddleware``)."""
    return bool(settings.STAFF_REQUIRE_MFA) and is_privileged(user) and not has_totp(user)


def mfa_redirect(request: HttpRequest) -> HttpResponse:
    messages.warning(
        request,
        _(
            "Stel eerst tweestapsverificatie in met een authenticator-app; "
            "zonder tweestapsverificatie zijn de stafpagina's niet toegankelijk."
        ),
    )
    return redirect("mfa_activate_totp")


def get_role(request: HttpRequest, kind: str) -> Role:
    """The requesting user's ``Role`` of ``kind`` in ``request.program`` (404 if absent)."""
    return get_object_or_404(
        Role.objects.select_related("user", "program"),
        user=request.user,
        program=request.program,
        kind=kind,
    )


def program_view(*kinds: str) -> Callable:
    """Guard a view whose URL has ``program_id``: only the given role kinds get in.

    Sets ``request.program`` and ``request.roles`` (the user's role kinds there).
    """
    allowed = set(kinds)

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        def wrapper(request: HttpRequest, program_id: int, *args, **kwargs) -> HttpResponse:
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            program = get_object_or_404(ProgramYear, pk=program_id)
            have = roles_in(request.user, program)
            granted = have & allowed
            if not granted:
                raise PermissionDenied(_("U heeft geen toegang tot deze pagina."))
            if staff_mfa_missing(request.user):  # any privileged account, any role granted
                return mfa_redirect(request)
            request.program = program
            request.roles = have
            return view(request, program, *args, **kwargs)

        wrapper.allowed_roles = allowed  # type: ignore[attr-defined]
        return wrapper

    return decorator


staff_view = program_view(RoleKind.STAFF)


def foundation_staff_view(view: Callable) -> Callable:
    """Guard a view outside any program that only foundation staff may use."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not is_foundation_staff(request.user):
            raise PermissionDenied(_("Alleen medewerkers van de stichting hebben hier toegang."))
        if staff_mfa_missing(request.user):
            return mfa_redirect(request)
        return view(request, *args, **kwargs)

    return wrapper


def any_staff(user) -> bool:
    """Staff in at least one program (for navigation only; views check per program)."""
    if is_foundation_staff(user):
        return True
    return bool(
        user.is_authenticated and Role.objects.filter(user=user, kind=RoleKind.STAFF).exists()
    )


def programs_for(user) -> Iterable[tuple[ProgramYear, set[str]]]:
    """Every program year the user has a role in, newest first, with the role kinds."""
    if not user.is_authenticated:
        return []
    if is_foundation_staff(user):
        programs = list(ProgramYear.objects.filter(is_archived=False))
        extra: dict[int, set[str]] = {}
        for program_id, kind in Role.objects.filter(user=user).values_list("program_id", "kind"):
            extra.setdefault(program_id, set()).add(kind)
        return [(p, {RoleKind.STAFF, *extra.get(p.pk, set())}) for p in programs]
    result: dict[int, tuple[ProgramYear, set[str]]] = {}
    for role in (
        Role.objects.filter(user=user).select_related("program").order_by("-program__school_year")
    ):
        result.setdefault(role.program_id, (role.program, set()))[1].add(role.kind)
    return list(result.values())

"""Views for mentor registration and review, schoolleider details and invitations."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import get_language, gettext_lazy, ngettext
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from mentoring.inputs import clean_text, sort_choice
from mentoring.listing import page_of
from programs.models import ProgramYear

from .access import get_role, program_view, roles_in, staff_view
from .enums import MentorStatus, RoleKind
from .forms import (
    InterestForm,
    InvitationPasswordForm,
    MentorProfileForm,
    MentorReviewForm,
    SchoolleiderProfileForm,
)
from .models import InterestSignup, Invitation, MentorProfile, SchoolleiderProfile
from .search import words_query
from .services import (
    interest_register,
    invitation_accept,
    meeting_months,
    mentor_profile_submit,
    mentor_review,
    mentor_role_ensure,
    mentors_approve,
    open_mentor_program,
    schoolleider_confirm,
)

#: The staff mentor list: rows per page and sort orders (``?sorteer=``), in the database.
MENTORS_PER_PAGE = 50
MENTOR_SORTS: dict[str, tuple[str, ...]] = {
    "ingediend": ("submitted_at", "role__user__last_name", "pk"),
    "naam": ("role__user__last_name", "role__user__first_name", "pk"),
    "organisatie": ("organisation", "role__user__last_name", "pk"),
}
MENTOR_SORT_LABELS = [
    ("ingediend", gettext_lazy("eerst ingediend eerst")),
    ("-ingediend", gettext_lazy("laatst ingediend eerst")),
    ("naam", gettext_lazy("naam")),
    ("organisatie", gettext_lazy("organisatie")),
]


def mentor_signup_info(request: HttpRequest) -> HttpResponse:
    """Public page: what being a mentor means, and the way in.

    While registration is closed the way in is the interest list: leave name and email
    and get one email when the next round opens.
    """
    program = open_mentor_program()
    form = None
    if program is None:
        form = InterestForm(request.POST if request.method == "POST" else None)
        if request.method == "POST" and form.is_valid():
            interest_register(
                name=form.cleaned_data["name"],
                email=form.cleaned_data["email"],
                language=get_language() or "nl",
            )
            messages.success(
                request,
                _(
                    "Dank u wel. U staat op de lijst en krijgt één e-mail zodra de aanmelding "
                    "voor mentoren opengaat."
                ),
            )
            return redirect("people:mentor_signup_info")
        if form.is_bound:
            return render(
                request,
                "people/mentor_signup_info.html",
                {"program": None, "interest_form": form},
                status=400,
            )
    elif request.method == "POST":
        return redirect("people:mentor_signup_info")
    return render(
        request, "people/mentor_signup_info.html", {"program": program, "interest_form": form}
    )


@staff_view
def interest_list(request: HttpRequest, program: ProgramYear) -> HttpResponse:
    """Staff: who asked to hear when mentor registration opens (and whether they did)."""
    entries = InterestSignup.objects.select_related("notified_program").order_by("-created_at")
    page = Paginator(entries, 100).get_page(request.GET.get("page"))
    return render(
        request,
        "people/interest_list.html",
        {
            "program": program,
            "page": page,
            "waiting": InterestSignup.objects.filter(notified_at__isnull=True).count(),
            "open_program": open_mentor_program(),
        },
    )


@login_required
def mentor_signup_done(request: HttpRequest) -> HttpResponse:
    """After sign-up and email verification: join the open mentoring program."""
    program = open_mentor_program()
    if program is None:
        messages.info(request, _("De aanmelding voor mentoren is op dit moment gesloten."))
        return redirect("home")
    if roles_in(request.user, program) - {RoleKind.MENTOR}:
        messages.info(request, _("U heeft in dit programma al een andere rol."))
        return redirect("program_home", program.pk)
    mentor_role_ensure(user=request.user, program=program)
    return redirect("people:mentor_profile", program.pk)


@program_view(RoleKind.MENTOR)
def mentor_profile(request: HttpRequest, program: ProgramYear) -> HttpResponse:
    role = get_role(request, RoleKind.MENTOR)
    profile = MentorProfile.objects.filter(role=role).first()
    months = meeting_months(program)
    if request.method == "POST":
        form = MentorProfileForm(request.POST, meeting_months=months)
        if form.is_valid():
            profile = mentor_profile_submit(role=role, data=form.cleaned_data)
            if profile.status == MentorStatus.PENDING:
                messages.success(
                    request,
                    _(
                        "Dank u wel! Uw profiel is ingediend. U hoort van ons zodra het is beoordeeld."
                    ),
                )
            else:
                messages.success(request, _("Uw profiel is bijgewerkt."))
            return redirect("program_home", program.pk)
    else:
        initial = {
            "first_name": request.user.first_name,
            "last_name": request.user.last_name,
            "phone": request.user.phone,
        }
        if profile:
            initial.update(
                organisation=profile.organisation,
                job_title=profile.job_title,
                methods=profile.methods,
                methods_other=profile.methods_other,
                postcode=profile.postcode,
                online_only=profile.online_only,
                max_travel_km=profile.max_travel_km,
                sector_preference=profile.sector_preference,
                months_available=profile.months_available,
                introduction=profile.introduction,
            )
        else:
            initial["months_available"] = months
        form = MentorProfileForm(initial=initial, meeting_months=months)
    return render(
        request,
        "people/mentor_profile.html",
        {"program": program, "form": form, "profile": profile},
    )


@staff_view
def mentor_list(request: HttpRequest, program: ProgramYear) -> HttpResponse:
    status = request.GET.get("status", MentorStatus.PENDING)
    query = clean_text(request.GET.get("q"))
    profiles = MentorProfile.objects.filter(role__program=program).select_related("role__user")
    if status in MentorStatus.values:
        profiles = profiles.filter(status=status)
    if query:
        profiles = profiles.filter(
            words_query(
                query,
                (
                    "role__user__first_name",
                    "role__user__last_name",
                    "role__user__email",
                    "organisation",
                ),
                profiles.model,
            )
        )
    sort, order = sort_choice(request.GET.get("sorteer"), MENTOR_SORTS, "ingediend")
    page = page_of(profiles.order_by(*order), request.GET.get("page"), MENTORS_PER_PAGE)
    counts = dict(
        MentorProfile.objects.filter(role__program=program)
        .values_list("status")
        .annotate(n=Count("id"))
    )
    return render(
        request,
        "people/mentor_list.html",
        {
            "program": program,
            "page": page,
            "status": status,
            "query": query,
            "sort": sort,
            "sorts": MENTOR_SORT_LABELS,
            "statuses": [
                (value, label, counts.get(value, 0)) for value, label in MentorStatus.choices
            ],
        },
    )


@staff_view
@require_POST
def mentor_bulk_approve(request: HttpRequest, program: ProgramYear) -> HttpResponse:
    """Approve the ticked mentors of the pending list in one go."""
    ids = [int(v) for v in request.POST.getlist("ids") if v.isdigit()]
    try:
        count = mentors_approve(program=program, reviewer=request.user, profile_ids=ids)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(
            request,
            ngettext(
                "%(n)s mentor is goedgekeurd en krijgt een e-mail.",
                "%(n)s mentoren zijn goedgekeurd en krijgen een e-mail.",
                count,
            )
            % {"n": count},
        )
    back = request.POST.get("next", "")
    if back.startswith(reverse("people:mentor_list", args=[program.pk])) and (
        url_has_allowed_host_and_scheme(back, {request.get_host()}, request.is_secure())
    ):
        return redirect(back)  # the same filtered, sorted page
    return redirect(f"{reverse('people:mentor_list', args=[program.pk])}?status=pending")


@staff_view
def mentor_review_view(request: HttpRequest, program: ProgramYear, profile_id: int) -> HttpResponse:
    profile = get_object_or_404(
        MentorProfile.objects.select_related("role__user", "reviewed_by"),
        pk=profile_id,
        role__program=program,
    )
    if request.method == "POST":
        form = MentorReviewForm(request.POST)
        if profile.status == MentorStatus.DRAFT:
            messages.error(request, _("Deze mentor heeft het profiel nog niet ingediend."))
            return redirect("people:mentor_review", program.pk, profile.pk)
        if form.is_valid():
            approve = form.cleaned_data["decision"] == "approve"
            mentor_review(
                profile=profile,
                reviewer=request.user,
                approve=approve,
                reason=form.cleaned_data["reason"],
            )
            name = profile.role.user.full_name or profile.role.user.email
            if approve:
                messages.success(
                    request, _("%(name)s is goedgekeurd en krijgt een e-mail.") % {"name": name}
                )
            else:
                messages.success(
                    request,
                    _("%(name)s is afgewezen en krijgt de reden per e-mail.") % {"name": name},
                )
            return redirect(f"{reverse('people:mentor_list', args=[program.pk])}?status=pending")
    else:
        form = MentorReviewForm()
    return render(
        request, "people/mentor_review.html", {"program": program, "profile": profile, "form": form}
    )


@program_view(RoleKind.SCHOOLLEIDER)
def schoolleider_profile(request: HttpRequest, program: ProgramYear) -> HttpResponse:
    role = get_role(request, RoleKind.SCHOOLLEIDER)
    profile = get_object_or_404(
        SchoolleiderProfile.objects.select_related("school__region"),
        role=role,
    )
    if request.method == "POST":
        form = SchoolleiderProfileForm(request.POST)
        if form.is_valid():
            schoolleider_confirm(profile=profile, data=form.cleaned_data)
            messages.success(request, _("Dank u wel, uw gegevens zijn opgeslagen."))
            return redirect("program_home", program.pk)
    else:
        form = SchoolleiderProfileForm(
            initial={
                "first_name": request.user.first_name,
                "last_name": request.user.last_name,
                "phone": request.user.phone,
                "job_title": profile.job_title,
                "prefers_online": profile.prefers_online,
                "preferred_methods": profile.preferred_methods,
                "wishes": profile.wishes,
                "school_confirmed": bool(profile.confirmed_at),
            }
        )
    return render(
        request,
        "people/schoolleider_profile.html",
        {"program": program, "form": form, "profile": profile, "school": profile.school},
    )


def invitation_accept_view(request: HttpRequest, token: str) -> HttpResponse:
    """Set a first password from an emailed link. Opening the link changes nothing."""
    invitation = Invitation.objects.select_related("user").filter(token=token).first()
    if invitation is None or not invitation.is_usable:
        return render(
            request,
            "people/invitation_invalid.html",
            {"invitation": invitation},
            status=410 if invitation else 404,
        )
    if request.method == "POST":
        form = InvitationPasswordForm(invitation.user, request.POST)
        if form.is_valid():
            user = invitation_accept(invitation=invitation, password_form=form)
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            messages.success(request, _("Welkom! Uw wachtwoord is ingesteld."))
            return redirect("home")
    else:
        form = InvitationPasswordForm(invitation.user)
    return render(
        request, "people/invitation_accept.html", {"form": form, "invitation": invitation}
    )


@require_POST
def set_language(request: HttpRequest) -> HttpResponse:
    """Switch the interface language and remember it on the account."""
    from django.conf import settings
    from django.utils import translation

    language = request.POST.get("language", "")
    next_url = request.POST.get("next") or "/"
    # Only a local path: never a URL name (redirect() would try to reverse it), another
    # host, or a value with control characters.
    if (
        not next_url.startswith("/")
        or len(next_url) > 2000
        or any(ord(c) < 32 for c in next_url)
        or not url_has_allowed_host_and_scheme(
            next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        )
    ):
        next_url = "/"
    response = HttpResponseRedirect(next_url)
    if language in dict(settings.LANGUAGES):
        if request.user.is_authenticated:
            request.user.language = language
            request.user.save(update_fields=["language"])
        translation.activate(language)
        response.set_cookie(
            settings.LANGUAGE_COOKIE_NAME,
            language,
            max_age=365 * 24 * 3600,
            samesite="Lax",
            secure=not settings.DEBUG,
        )
    return response

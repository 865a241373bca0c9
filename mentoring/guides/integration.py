"""Read-only bridges to apps built alongside this one (meetings, webinars).

These apps may still be taking shape: every bridge degrades to "nothing known" when the
model or field it needs is not there yet, instead of failing a page that does not depend on it.
"""

from __future__ import annotations

from django.apps import apps
from django.db.models import Model


def _model(app_label: str, name: str) -> type[Model] | None:
    try:
        return apps.get_model(app_label, name)
    except LookupError:
        return None


def _has_fields(model: type[Model], *names: str) -> bool:
    fields = {f.name for f in model._meta.get_fields()}
    return all(n in fields for n in names)


def meeting_model() -> type[Model] | None:
    model = _model("meetings", "Meeting")
    if model is None or not _has_fields(model, "pair", "number", "status"):
        return None
    return model


def meeting_for(pair, number: int):
    """The planned Meeting row for (pair, number), or None (not planned, or no meetings app)."""
    model = meeting_model()
    if model is None:
        return None
    return model.objects.filter(pair=pair, number=number).order_by("-pk").first()


# Meeting statuses the meetings app accepts an outcome for (mentoring/meetings/enums.py).
OUTCOME_STATUSES = ("planned", "held", "not_held")


def mark_meeting_held(*, meeting, by, held: bool) -> None:
    """Tell the meetings app that a side recorded whether the meeting took place.

    Only for a meeting that was planned through the platform and has started: a pair that
    met on a date they arranged elsewhere can still record it here, and the report counts it.
    """
    from django.utils import timezone

    if meeting is None or meeting.status not in OUTCOME_STATUSES:
        return
    starts_at = getattr(meeting, "starts_at", None)
    if starts_at is None or starts_at > timezone.now():
        return
    try:
        from mentoring.meetings.services import meeting_mark_held
    except ImportError:
        return
    meeting_mark_held(meeting=meeting, by=by, held=held)


def webinar_registration_model() -> type[Model] | None:
    for name in ("Registration", "WebinarRegistration"):
        model = _model("webinars", name)
        if model is not None:
            return model
    return None


def webinar_attendance(program) -> dict[str, int] | None:
    """Registrations and attendance of the program's webinars, or None when unknown."""
    model = webinar_registration_model()
    if model is None:
        return None
    fields = {f.name for f in model._meta.get_fields()}
    qs = model.objects.all()
    if "session" in fields:
        qs = qs.filter(session__program=program)
    elif "program" in fields:
        qs = qs.filter(program=program)
    else:
        return None
    # Confirmed registrations: the waitlisted, withdrawn and switched never held a seat.
    registered = (qs.filter(status="confirmed") if "status" in fields else qs).count()
    attended = None
    if "attended" in fields:
        attended = qs.filter(attended=True).count()
    elif "attended_at" in fields:
        attended = qs.filter(attended_at__isnull=False).count()
    return {"registered": registered, "attended": attended if attended is not None else 0}


def webinar_attended(user, program) -> bool:
    """Whether ``user`` attended a webinar session of ``program`` (False when unknown)."""
    model = webinar_registration_model()
    if model is None:
        return False
    fields = {f.name for f in model._meta.get_fields()}
    qs = model.objects.all()
    if "user" in fields:
        qs = qs.filter(user=user)
    elif "role" in fields:
        qs = qs.filter(role__user=user)
    else:
        return False
    if "session" in fields:
        qs = qs.filter(session__program=program)
    elif "program" in fields:
        qs = qs.filter(program=program)
    if "attended" in fields:
        return qs.filter(attended=True).exists()
    if "attended_at" in fields:
        return qs.filter(attended_at__isnull=False).exists()
    return False


def held_numbers(pair_ids) -> dict[int, set[int]]:
    """Meeting numbers the meetings app has as held, per pair (empty without that app)."""
    model = meeting_model()
    result: dict[int, set[int]] = {}
    if model is None:
        return result
    for pair_id, number in model.objects.filter(pair_id__in=pair_ids, status="held").values_list(
        "pair_id", "number"
    ):
        result.setdefault(pair_id, set()).add(number)
    return result

"""Connecting a person's own calendar: connect, read (in the background), disconnect.

Only busy blocks inside the meeting windows of the person's programs are stored; the
address itself is a secret (it grants reading the whole calendar) and is shown only
shortened. Every failure is kept as a code and shown to the person in Dutch.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import transaction
from django.db.models import Max, Min
from django.utils import timezone
from django.utils.translation import gettext as _

from . import calendar_fetch as cf
from .planning_models import BusyBlock, CalendarConnection
from .rules import LOCAL_TZ

REFRESH_EVERY = dt.timedelta(hours=4)


def limits() -> cf.Limits:
    return cf.Limits(
        timeout=getattr(settings, "CALENDAR_FETCH_TIMEOUT", 10.0),
        deadline=getattr(settings, "CALENDAR_FETCH_DEADLINE", 30.0),
        max_bytes=getattr(settings, "CALENDAR_FETCH_MAX_BYTES", 5 * 1024 * 1024),
        allow_loopback=getattr(settings, "CALENDAR_FETCH_ALLOW_LOOPBACK", False),
    )


def error_message(code: str, detail: str = "") -> str:
    """The Dutch sentence for a fetch error code."""
    messages = {
        cf.BAD_ADDRESS: _("Dit is geen geldig internetadres. Plak het volledige iCal-adres."),
        cf.BAD_SCHEME: _(
            "Alleen adressen die beginnen met https:// (of http://) kunnen worden gelezen. "
            "Een webcal://-adres werkt als u webcal vervangt door https."
        ),
        cf.BLOCKED_ADDRESS: _(
            "Dit adres wijst naar een intern of privé netwerk; zo'n adres lezen we niet. "
            "Gebruik het openbare iCal-adres van uw agenda."
        ),
        cf.UNREACHABLE: _(
            "De agenda op dit adres is niet bereikbaar. Controleer het adres en probeer het "
            "opnieuw."
        ),
        cf.TIMEOUT: _(
            "De agenda reageerde niet op tijd. We proberen het over een paar uur opnieuw; u "
            "kunt ook nu opnieuw laten lezen."
        ),
        cf.TOO_LARGE: _(
            "Het agendabestand is groter dan %(mb)s MB; zo'n groot bestand lezen we niet. "
            "Gebruik een agenda met minder oude afspraken."
        )
        % {"mb": limits().max_bytes // (1024 * 1024)},
        cf.HTTP_ERROR: _(
            "De agendaserver weigerde het adres (foutcode %(status)s). Is het adres nog "
            "geldig? Maak in uw agenda zo nodig een nieuw privé-adres."
        )
        % {"status": detail or "?"},
        cf.TOO_MANY_REDIRECTS: _("Het adres stuurt te vaak door naar een ander adres."),
        cf.NOT_ICAL: _(
            "Op dit adres staat geen agenda in iCal-formaat. Kopieer het adres dat eindigt "
            "op .ics (bij Google: 'Geheim adres in iCal-indeling')."
        ),
    }
    return messages.get(code, _("De agenda kon niet worden gelezen."))


def short_url(url: str) -> str:
    """The address shown back to its owner: host and the first characters only."""
    from urllib.parse import urlsplit

    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.hostname}/…" if parts.hostname else "…"


def window_for(user, now: dt.datetime | None = None) -> tuple[dt.datetime, dt.datetime]:
    """The span to keep busy blocks for: the meeting windows of the person's programs."""
    from programs.models import ProgramYear

    now = now or timezone.now()
    today = timezone.localdate(now)
    span = ProgramYear.objects.filter(roles__user=user, meetings_end__gte=today).aggregate(
        start=Min("meetings_start"), end=Max("meetings_end")
    )
    if span["start"] is None:
        return now, now + dt.timedelta(days=180)
    start = max(now, dt.datetime.combine(span["start"], dt.time(0), tzinfo=LOCAL_TZ))
    end = dt.datetime.combine(span["end"] + dt.timedelta(days=1), dt.time(0), tzinfo=LOCAL_TZ)
    return start, end


@transaction.atomic
def disconnect(*, user) -> bool:
    """Forget the address and every busy block read from it."""
    deleted, _detail = CalendarConnection.objects.filter(user=user).delete()
    return bool(deleted)


def read(connection_id: int, *, now: dt.datetime | None = None) -> CalendarConnection | None:
    """Fetch and store one calendar now; the outcome is recorded on the connection."""
    connection = CalendarConnection.objects.filter(pk=connection_id).first()
    if connection is None:
        return None  # disconnected meanwhile
    now = now or timezone.now()
    start, end = window_for(connection.user, now)
    try:
        fetched = cf.fetch(
            connection.url,
            limits(),
            etag=connection.etag if connection.last_read_at else "",
            last_modified=connection.last_modified if connection.last_read_at else "",
        )
        blocks = (
            None
            if fetched.not_modified
            else cf.busy_intervals(fetched.body, start, end, local_tz=LOCAL_TZ)
        )
    except cf.FetchError as exc:
        CalendarConnection.objects.filter(pk=connection.pk).update(
            last_attempt_at=now, error_code=exc.code, error_detail=exc.detail[:200]
        )
        connection.refresh_from_db()
        return connection
    with transaction.atomic():
        # The row may have been deleted (disconnect) while we were fetching.
        locked = CalendarConnection.objects.select_for_update().filter(pk=connection.pk).first()
        if locked is None or locked.url != connection.url:
            return locked
        if blocks is not None:
            BusyBlock.objects.filter(connection=locked).delete()
            BusyBlock.objects.bulk_create(
                [BusyBlock(connection=locked, starts_at=s, ends_at=e) for s, e in blocks]
            )
            locked.etag, locked.last_modified = fetched.etag, fetched.last_modified
        locked.last_attempt_at = locked.last_read_at = now
        locked.error_code = locked.error_detail = ""
        locked.save()
    return locked


def due_connections(now: dt.datetime | None = None) -> list[int]:
    """Connections not tried for ``REFRESH_EVERY`` (or never)."""
    now = now or timezone.now()
    from django.db.models import Q

    return list(
        CalendarConnection.objects.filter(
            Q(last_attempt_at__isnull=True) | Q(last_attempt_at__lte=now - REFRESH_EVERY)
        ).values_list("pk", flat=True)
    )


def busy_of(user_ids, start: dt.datetime, end: dt.datetime) -> dict[int, list[tuple]]:
    """Busy blocks of these people's connected calendars overlapping ``[start, end)``."""
    result: dict[int, list[tuple]] = {uid: [] for uid in user_ids}
    rows = BusyBlock.objects.filter(
        connection__user_id__in=list(user_ids), starts_at__lt=end, ends_at__gt=start
    ).values_list("connection__user_id", "starts_at", "ends_at")
    for uid, s, e in rows:
        result[uid].append((s, e))
    return result

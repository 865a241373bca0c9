"""Reading a person's private iCal address safely, and keeping only busy intervals.

No Django here: the caller passes the limits (from settings). Guards:

- only ``http``/``https``; no user:password in the address;
- every address a host name resolves to is checked *when the socket connects* (so a DNS
  answer cannot change between the check and the connection): private, loopback,
  link-local, multicast, reserved and unspecified addresses are refused. Loopback is
  allowed only when ``allow_loopback`` (the tests serve files from 127.0.0.1);
- redirects are followed by hand (at most ``MAX_REDIRECTS``), each hop checked again;
- connect and read timeouts plus a total deadline; a size cap while streaming;
- no proxies from the environment; ETag / Last-Modified for conditional requests.

Parsing expands recurring events (RRULE, RDATE, EXDATE, RECURRENCE-ID) with
``recurring_ical_events``; all-day events block the whole day in the site's time zone; floating
times are read as Amsterdam time; free (TRANSP:TRANSPARENT) and cancelled events are skipped.
"""

from __future__ import annotations

import datetime as dt
import ipaddress
import socket
import time
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

import icalendar
import recurring_ical_events
import requests
from requests.adapters import HTTPAdapter
from urllib3.connection import HTTPConnection, HTTPSConnection
from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool

MAX_REDIRECTS = 5
MAX_BLOCKS = 20_000

# Error codes; ``calendars.error_message`` gives the Dutch text.
BAD_ADDRESS = "bad_address"
BAD_SCHEME = "bad_scheme"
BLOCKED_ADDRESS = "blocked_address"
UNREACHABLE = "unreachable"
TIMEOUT = "timeout"
TOO_LARGE = "too_large"
HTTP_ERROR = "http_error"
TOO_MANY_REDIRECTS = "too_many_redirects"
NOT_ICAL = "not_ical"


class FetchError(Exception):
    def __init__(self, code: str, detail: str = ""):
        super().__init__(code, detail)
        self.code = code
        self.detail = detail


@dataclass(frozen=True)
class Limits:
    timeout: float = 10.0  # seconds, connect and each read
    deadline: float = 30.0  # seconds for the whole fetch
    max_bytes: int = 5 * 1024 * 1024
    allow_loopback: bool = False


@dataclass(frozen=True)
class Fetched:
    not_modified: bool
    body: bytes = b""
    etag: str = ""
    last_modified: str = ""


def check_url(url: str) -> None:
    """Refuse what is not an http(s) address with a host (before any network use)."""
    try:
        parts = urlsplit(url.strip())
    except ValueError as exc:
        raise FetchError(BAD_ADDRESS) from exc
    if parts.scheme not in ("http", "https"):
        raise FetchError(BAD_SCHEME, parts.scheme)
    if not parts.hostname or parts.username or parts.password:
        raise FetchError(BAD_ADDRESS)


def address_allowed(ip: str, allow_loopback: bool) -> bool:
    address = ipaddress.ip_address(ip.split("%", 1)[0])
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped:
        address = address.ipv4_mapped
    if address.is_loopback:
        return allow_loopback
    return not (
        address.is_private
        or address.is_link_local
        or address.is_multicast
        or address.is_reserved
        or address.is_unspecified
        or not address.is_global
    )


def _guarded_socket(host: str, port: int, timeout, allow_loopback: bool) -> socket.socket:
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except socket.gaierror as exc:
        raise FetchError(UNREACHABLE, host) from exc
    for *_, sockaddr in infos:
        if not address_allowed(sockaddr[0], allow_loopback):
            raise FetchError(BLOCKED_ADDRESS, host)
    last: OSError | None = None
    for family, kind, proto, _name, sockaddr in infos:
        sock = socket.socket(family, kind, proto)
        try:
            if isinstance(timeout, int | float):
                sock.settimeout(timeout)
            sock.connect(sockaddr)  # the checked address itself: no second lookup
            return sock
        except OSError as exc:
            sock.close()
            last = exc
    raise last or OSError("no address")


def _connection_classes(allow_loopback: bool):
    class GuardedHTTPConnection(HTTPConnection):
        def _new_conn(self) -> socket.socket:
            return _guarded_socket(self._dns_host, self.port, self.timeout, allow_loopback)

    class GuardedHTTPSConnection(HTTPSConnection):
        def _new_conn(self) -> socket.socket:
            return _guarded_socket(self._dns_host, self.port, self.timeout, allow_loopback)

    class GuardedHTTPPool(HTTPConnectionPool):
        ConnectionCls = GuardedHTTPConnection

    class GuardedHTTPSPool(HTTPSConnectionPool):
        ConnectionCls = GuardedHTTPSConnection

    return GuardedHTTPPool, GuardedHTTPSPool


class GuardedAdapter(HTTPAdapter):
    def __init__(self, allow_loopback: bool):
        self._pools = _connection_classes(allow_loopback)
        super().__init__(max_retries=0)

    def init_poolmanager(self, *args, **kwargs):
        super().init_poolmanager(*args, **kwargs)
        self.poolmanager.pool_classes_by_scheme = {"http": self._pools[0], "https": self._pools[1]}
        self.poolmanager.key_fn_by_scheme = dict(self.poolmanager.key_fn_by_scheme)


def _unwrap(exc: BaseException) -> FetchError | None:
    seen = set()
    while exc is not None and id(exc) not in seen:
        seen.add(id(exc))
        if isinstance(exc, FetchError):
            return exc
        for arg in getattr(exc, "args", ()):
            if isinstance(arg, BaseException):
                found = _unwrap(arg)
                if found:
                    return found
        reason = getattr(exc, "reason", None)
        if isinstance(reason, BaseException):
            found = _unwrap(reason)
            if found:
                return found
        exc = exc.__cause__ or exc.__context__
    return None


def fetch(url: str, limits: Limits, *, etag: str = "", last_modified: str = "") -> Fetched:
    """GET ``url`` under the guards; raises :class:`FetchError` with a code."""
    check_url(url)
    session = requests.Session()
    session.trust_env = False  # no proxies or netrc from the environment
    adapter = GuardedAdapter(limits.allow_loopback)
    session.mount("http://", adapter)
    session.mount("https://", adapter)
    headers = {"Accept": "text/calendar, */*;q=0.5", "User-Agent": "leerKRACHT-mentoring/1"}
    if etag:
        headers["If-None-Match"] = etag
    if last_modified:
        headers["If-Modified-Since"] = last_modified
    started = time.monotonic()
    try:
        for _hop in range(MAX_REDIRECTS + 1):
            try:
                response = session.get(
                    url,
                    headers=headers,
                    timeout=(limits.timeout, limits.timeout),
                    allow_redirects=False,
                    stream=True,
                )
            except requests.Timeout as exc:
                raise FetchError(TIMEOUT) from exc
            except requests.RequestException as exc:
                raise _unwrap(exc) or FetchError(UNREACHABLE, type(exc).__name__) from exc
            if response.is_redirect:
                location = response.headers.get("Location", "")
                response.close()
                url = urljoin(url, location)
                check_url(url)
                continue
            return _read(response, limits, started)
        raise FetchError(TOO_MANY_REDIRECTS)
    finally:
        session.close()


def _read(response: requests.Response, limits: Limits, started: float) -> Fetched:
    with response:
        if response.status_code == 304:
            return Fetched(not_modified=True)
        if response.status_code != 200:
            raise FetchError(HTTP_ERROR, str(response.status_code))
        declared = response.headers.get("Content-Length", "")
        if declared.isdigit() and int(declared) > limits.max_bytes:
            raise FetchError(TOO_LARGE)
        chunks: list[bytes] = []
        size = 0
        try:
            for chunk in response.iter_content(64 * 1024):
                size += len(chunk)
                if size > limits.max_bytes:
                    raise FetchError(TOO_LARGE)
                if time.monotonic() - started > limits.deadline:
                    raise FetchError(TIMEOUT)
                chunks.append(chunk)
        except requests.RequestException as exc:
            raise FetchError(TIMEOUT) from exc
        return Fetched(
            not_modified=False,
            body=b"".join(chunks),
            etag=response.headers.get("ETag", "")[:300],
            last_modified=response.headers.get("Last-Modified", "")[:100],
        )


def _aware(value, local_tz: dt.tzinfo, *, end: bool = False) -> dt.datetime:
    if isinstance(value, dt.datetime):
        if value.tzinfo is None:
            value = value.replace(tzinfo=local_tz)
        return value.astimezone(dt.UTC)
    # A date: the whole day in local time (an all-day event's DTEND is the next day).
    return dt.datetime.combine(value, dt.time(0), tzinfo=local_tz).astimezone(dt.UTC)


def busy_intervals(
    body: bytes, start: dt.datetime, end: dt.datetime, *, local_tz: dt.tzinfo
) -> list[tuple[dt.datetime, dt.datetime]]:
    """The busy intervals of an iCal file between ``start`` and ``end``, merged and clipped.
    Floating times and all-day events are read in ``local_tz`` (the site's zone).

    Only times leave this function: nothing of the events' titles, places or people.
    """
    try:
        calendar = icalendar.Calendar.from_ical(body)
    except Exception as exc:  # the library raises ValueError and others on bad input
        raise FetchError(NOT_ICAL) from exc
    if calendar.name != "VCALENDAR":
        raise FetchError(NOT_ICAL)
    try:
        events = recurring_ical_events.of(calendar, components=["VEVENT"]).between(start, end)
    except Exception as exc:
        raise FetchError(NOT_ICAL, type(exc).__name__) from exc
    intervals = []
    for event in events:
        if str(event.get("TRANSP", "OPAQUE")).upper() == "TRANSPARENT":
            continue
        if str(event.get("STATUS", "")).upper() == "CANCELLED":
            continue
        if "DTSTART" not in event:
            continue
        begin = event["DTSTART"].dt
        if "DTEND" in event:
            finish = event["DTEND"].dt
        elif "DURATION" in event:
            finish = begin + event["DURATION"].dt
        elif isinstance(begin, dt.datetime):
            finish = begin
        else:
            finish = begin + dt.timedelta(days=1)
        s, e = max(_aware(begin, local_tz), start), min(_aware(finish, local_tz, end=True), end)
        if e > s:
            intervals.append((s, e))
    intervals.sort()
    merged: list[tuple[dt.datetime, dt.datetime]] = []
    for s, e in intervals:
        if merged and s <= merged[-1][1]:
            if e > merged[-1][1]:
                merged[-1] = (merged[-1][0], e)
        else:
            merged.append((s, e))
    return merged[:MAX_BLOCKS]

"""A small HTTP server on 127.0.0.1 serving test calendars (recurring, all-day, time zones,
too big, hanging, redirecting to private addresses, conditional requests)."""

from __future__ import annotations

import contextlib
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

RECURRING = b"""BEGIN:VCALENDAR
VERSION:2.0
PRODID:-//test//EN
BEGIN:VTIMEZONE
TZID:Europe/Amsterdam
BEGIN:STANDARD
DTSTART:19701025T030000
RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU
TZOFFSETFROM:+0200
TZOFFSETTO:+0100
END:STANDARD
BEGIN:DAYLIGHT
DTSTART:19700329T020000
RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU
TZOFFSETFROM:+0100
TZOFFSETTO:+0200
END:DAYLIGHT
END:VTIMEZONE
BEGIN:VEVENT
UID:weekly@test
SUMMARY:Geheim overleg met de directie
LOCATION:Kamer 12
ATTENDEE:mailto:someone@example.org
DTSTART;TZID=Europe/Amsterdam:20261123T090000
DTEND;TZID=Europe/Amsterdam:20261123T100000
RRULE:FREQ=WEEKLY;COUNT=6
EXDATE;TZID=Europe/Amsterdam:20261207T090000
END:VEVENT
BEGIN:VEVENT
UID:weekly@test
RECURRENCE-ID;TZID=Europe/Amsterdam:20261130T090000
SUMMARY:Geheim overleg (verplaatst)
DTSTART;TZID=Europe/Amsterdam:20261130T140000
DTEND;TZID=Europe/Amsterdam:20261130T153000
END:VEVENT
BEGIN:VEVENT
UID:newyork@test
SUMMARY:Call with New York
DTSTART;TZID=America/New_York:20261124T090000
DTEND;TZID=America/New_York:20261124T100000
END:VEVENT
BEGIN:VEVENT
UID:utc@test
SUMMARY:UTC
DTSTART:20261125T120000Z
DTEND:20261125T130000Z
END:VEVENT
BEGIN:VEVENT
UID:allday@test
SUMMARY:Studiereis
DTSTART;VALUE=DATE:20261126
DTEND;VALUE=DATE:20261128
END:VEVENT
BEGIN:VEVENT
UID:free@test
SUMMARY:Herinnering
TRANSP:TRANSPARENT
DTSTART:20261201T120000Z
DTEND:20261201T130000Z
END:VEVENT
BEGIN:VEVENT
UID:cancelled@test
STATUS:CANCELLED
DTSTART:20261202T120000Z
DTEND:20261202T130000Z
END:VEVENT
BEGIN:VEVENT
UID:outside@test
DTSTART:20280101T120000Z
DTEND:20280101T130000Z
END:VEVENT
END:VCALENDAR
"""

SIMPLE = b"""BEGIN:VCALENDAR
VERSION:2.0
PRODID:-//test//EN
BEGIN:VEVENT
UID:one@test
DTSTART:20261201T100000Z
DTEND:20261201T110000Z
END:VEVENT
END:VCALENDAR
"""


class Handler(BaseHTTPRequestHandler):
    hits: list[tuple[str, dict]] = []

    def log_message(self, *args):  # keep the test output quiet
        pass

    def _send(self, status: int, body: bytes = b"", headers: dict | None = None):
        self.send_response(status)
        for key, value in (headers or {}).items():
            self.send_header(key, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if body:
            with contextlib.suppress(BrokenPipeError, ConnectionResetError):
                self.wfile.write(body)

    def do_GET(self):  # noqa: N802 (http.server API)
        Handler.hits.append((self.path, dict(self.headers)))
        path = self.path
        if path == "/recurring.ics":
            self._send(200, RECURRING, {"Content-Type": "text/calendar"})
        elif path == "/simple.ics":
            if self.headers.get("If-None-Match") == '"v1"':
                self._send(304)
            else:
                self._send(200, SIMPLE, {"ETag": '"v1"', "Last-Modified": "Tue, 01 Dec 2026"})
        elif path == "/big.ics":
            body = SIMPLE[:-15] + b"X-PAD:" + b"x" * (10 * 1024 * 1024) + b"\r\nEND:VCALENDAR\r\n"
            self._send(200, body)
        elif path == "/big-chunked.ics":
            # No Content-Length: the size cap must work while streaming.
            self.send_response(200)
            self.end_headers()
            try:
                for _ in range(10 * 16):
                    self.wfile.write(b"x" * 65536)
            except (BrokenPipeError, ConnectionResetError):
                pass
        elif path == "/hang.ics":
            time.sleep(5)
            self._send(200, SIMPLE)
        elif path.startswith("/redirect-to/"):
            self._send(302, headers={"Location": path[len("/redirect-to/") :]})
        elif path == "/notical.ics":
            self._send(200, b"<html>login</html>", {"Content-Type": "text/html"})
        else:
            self._send(404, b"no")


class Server:
    def __init__(self):
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.httpd.block_on_close = False
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()
        Handler.hits = []

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.httpd.server_address[1]}{path}"

    @property
    def hits(self):
        return Handler.hits

    def close(self):
        self.httpd.shutdown()
        self.httpd.server_close()

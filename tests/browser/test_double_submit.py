"""A real double click on a create form acts once (issue 9 item 11)."""

from __future__ import annotations

import pytest
from django.db import connection

from mentoring.guides.models import Action
from tests.browser.test_guides import setup  # noqa: F401  (fixture)

pytestmark = pytest.mark.browser


def test_double_click_on_add_action_adds_one(page, login, setup):  # noqa: F811
    program, pair, mentor, _leader, _staff = setup
    login(mentor.email)
    page.goto(f"/programma/{program.pk}/koppel/{pair.pk}/gesprek/1/")
    form = page.locator("#afspraken form")
    form.locator("textarea, input[name=description]").first.fill("Rooster delen")
    # Two submissions of the same form, as a double click on a slow connection sends them
    # (Chromium's own dblclick lets the second cancel the first). At the same moment on
    # PostgreSQL; one after the other on SQLite, whose in-memory test database the live
    # server shares between its threads as one connection.
    together = connection.vendor == "postgresql"
    statuses = page.evaluate(
        """async (together) => {
            const form = document.querySelector('#afspraken form');
            const send = () => fetch(form.action, {method: 'POST', body: new FormData(form),
                                                   redirect: 'manual'});
            const answers = together ? await Promise.all([send(), send()])
                                     : [await send(), await send()];
            return answers.map(a => a.type === 'opaqueredirect' ? 302 : a.status);
        }""",
        together,
    )
    assert statuses == [302, 302], statuses
    assert Action.objects.filter(pair=pair, description="Rooster delen").count() == 1
    page.reload()
    assert page.locator(".actions-list :text('Rooster delen')").count() == 1

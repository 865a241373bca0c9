"""Every notification kind's templates exist and compile (a broken one would fail a notify)."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.conf import settings
from django.template.loader import get_template

from notifications.rendering import _text_engine

KINDS_DIR = Path(settings.BASE_DIR) / "templates" / "notifications"
KINDS = sorted(
    p.name for p in KINDS_DIR.iterdir() if p.is_dir() and p.name not in {"email", "panels"}
)


def test_there_are_kinds():
    assert "staff_message" in KINDS


@pytest.mark.parametrize("kind", KINDS)
def test_kind_templates_compile(kind):
    folder = KINDS_DIR / kind
    assert (folder / "subject.txt").exists(), f"{kind}: subject.txt missing"
    assert (folder / "body.txt").exists(), f"{kind}: body.txt missing"
    _text_engine().get_template(f"notifications/{kind}/subject.txt")
    _text_engine().get_template(f"notifications/{kind}/body.txt")
    if (folder / "body.html").exists():
        get_template(f"notifications/{kind}/body.html")

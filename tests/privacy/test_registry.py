"""The privacy registry: every app with personal data registers its export and erasure, the
"Mijn gegevens" flows run them all, and nothing is cut off."""

from __future__ import annotations

import dataclasses

import pytest
from django.apps import apps
from django.urls import reverse

from mentoring import privacy_registry as registry
from mentoring.pairs.models import Pair
from people.models import Role, User

OUR_APPS = {
    "people",
    "places",
    "programs",
    "notifications",
    "pairs",
    "matching",
    "webinars",
    "meetings",
    "guides",
    "privacy",
    "periodic",
}


def _apps_with_personal_data() -> set[str]:
    """Our apps with a model that points at a person: their account, a role or a pair."""
    found = set()
    for model in apps.get_models():
        label = model._meta.app_label
        if label not in OUR_APPS:
            continue
        for field in model._meta.get_fields():
            if field.is_relation and field.concrete and field.related_model in (User, Role, Pair):
                found.add(label)
    return found | {"people"}  # the account itself


def test_every_app_holding_personal_data_is_registered():
    registered = {entry.app_label for entry in registry.entries()}
    assert _apps_with_personal_data() <= registered
    assert registered >= {
        "people",
        "programs",
        "pairs",
        "guides",
        "meetings",
        "webinars",
        "notifications",
        "matching",
    }


def test_the_account_is_exported_first_and_erased_last():
    order = [entry.app_label for entry in registry.entries()]
    assert order[0] == "people"
    erasing = [e.app_label for e in reversed(registry.entries()) if e.erase is not None]
    assert erasing[-1] == "people"


def test_a_registered_apps_export_appears_in_the_download(monkeypatch, client_for, mentor):
    monkeypatch.setitem(
        registry._ENTRIES,
        "extra",
        registry.Entry("extra", export=lambda user: {"extra": {"who": user.email}}, order=99),
    )
    data = client_for(mentor).get(reverse("privacy:my_data_download")).json()
    assert data["extra"] == {"who": mentor.email}
    assert list(data)[:3] == ["generated_at", "account", "roles"]


def test_two_apps_may_not_claim_one_section(monkeypatch, mentor):
    monkeypatch.setitem(
        registry._ENTRIES, "extra", registry.Entry("extra", export=lambda user: {"account": {}})
    )
    with pytest.raises(ValueError, match="repeats section 'account'"):
        registry.export_user_data(mentor)


def test_erasure_calls_every_apps_erase_function_in_reverse_order(monkeypatch, mentor):
    called: list[str] = []
    for entry in registry.entries():
        if entry.erase is None:
            continue

        def spy(user, _real=entry.erase, _label=entry.app_label):
            called.append(_label)
            return _real(user)

        monkeypatch.setitem(
            registry._ENTRIES, entry.app_label, dataclasses.replace(entry, erase=spy)
        )
    counts = registry.erase_user(user=mentor)
    expected = [e.app_label for e in reversed(registry.entries()) if e.erase is not None]
    assert called == expected and len(called) >= 5
    assert counts["account"] == 1
    mentor.refresh_from_db()
    assert not mentor.is_active


def test_erasure_is_all_or_nothing(monkeypatch, mentor):
    def broken(user):
        raise RuntimeError("disk full")

    monkeypatch.setitem(
        registry._ENTRIES, "extra", registry.Entry("extra", erase=broken, order=5)
    )  # order 5: erased after the account, so the account change must be rolled back
    with pytest.raises(RuntimeError):
        registry.erase_user(user=mentor)
    mentor.refresh_from_db()
    assert mentor.is_active and not mentor.email.endswith(".invalid")


def test_the_export_is_not_capped(monkeypatch, client_for, mentor):
    from notifications.models import Notification

    Notification.objects.bulk_create(
        Notification(kind="test", recipient=mentor, to_email=mentor.email, subject=f"Bericht {i}")
        for i in range(7)
    )
    monkeypatch.setattr(registry, "CHUNK_SIZE", 2)  # 4 chunks, the last one short
    data = client_for(mentor).get(reverse("privacy:my_data_download")).json()
    subjects = sorted(e["subject"] for e in data["notifications"]["emails"])
    assert subjects == [f"Bericht {i}" for i in range(7)]


def test_rows_reads_across_chunks_of_exactly_the_chunk_size(monkeypatch, mentor):
    from notifications.models import Notification

    Notification.objects.bulk_create(
        Notification(kind="test", recipient=mentor, to_email=mentor.email) for _ in range(6)
    )
    monkeypatch.setattr(registry, "CHUNK_SIZE", 3)
    found = registry.rows(Notification.objects.filter(recipient=mentor), ("kind",))
    assert len(found) == 6


def test_my_data_pages_live_in_the_privacy_app_only(client_for, mentor):
    from django.urls import NoReverseMatch

    for name in ("my_data", "my_data_download", "my_data_erase"):
        assert reverse(f"privacy:{name}").startswith("/mijn-gegevens/")
        with pytest.raises(NoReverseMatch):
            reverse(f"guides:{name}")
    assert client_for(mentor).get(reverse("privacy:my_data")).status_code == 200

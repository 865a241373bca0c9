"""The house's layers (docs/architecture.md), enforced on every test run.

``pyproject.toml`` holds the import-linter contract: each app may import only from its own
layer or the layers below it, apart from the few upward arrows listed there as known debts.
A new upward import fails this test.
"""

from __future__ import annotations

import tomllib
from pathlib import Path

import grimp
from importlinter.cli import lint_imports

ROOT = Path(__file__).resolve().parent.parent
CONFIG = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"][
    "importlinter"
]


def test_the_layer_contract_is_kept(monkeypatch):
    monkeypatch.chdir(ROOT)
    assert lint_imports(config_filename=str(ROOT / "pyproject.toml")) == 0


def test_the_contract_covers_every_app_and_stays_short_on_exceptions():
    [contract] = CONFIG["contracts"]
    named = {p.strip() for layer in contract["layers"] for p in layer.split(":")}
    apps = {
        "mentoring.pairs",
        "mentoring.meetings",
        "mentoring.guides",
        "mentoring.privacy",
        "people",
        "places",
        "notifications",
        "programs",
        "webinars",
        "matching",
    }
    assert apps <= named
    assert len(contract["ignore_imports"]) <= 3  # debts only shrink


def test_places_at_the_bottom_imports_no_other_app():
    graph = grimp.build_graph(*CONFIG["root_packages"])
    others = [p for p in CONFIG["root_packages"] if p != "places"]
    found = [
        (m, i)
        for m in graph.find_children("places") | graph.find_descendants("places")
        for i in graph.find_modules_directly_imported_by(m)
        if any(i == o or i.startswith(o + ".") for o in others)
    ]
    assert found == []

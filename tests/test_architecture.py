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
        "mentoring.periodic",
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


def _import_cycles(graph) -> list[list[str]]:
    """Strongly connected components (size > 1) of the module import graph."""
    modules = sorted(graph.modules)
    edges = {m: sorted(graph.find_modules_directly_imported_by(m)) for m in modules}
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    counter = 0
    for root in modules:
        if root in index:
            continue
        work = [(root, iter(edges[root]))]
        index[root] = low[root] = counter
        counter += 1
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in edges:
                    continue
                if child not in index:
                    index[child] = low[child] = counter
                    counter += 1
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(edges[child])))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])
            if low[node] == index[node]:
                component = []
                while True:
                    top = stack.pop()
                    on_stack.discard(top)
                    component.append(top)
                    if top == node:
                        break
                if len(component) > 1:
                    found.append(sorted(component))
    return found


def test_there_are_no_import_cycles_not_even_through_function_level_imports():
    graph = grimp.build_graph(*CONFIG["root_packages"])
    assert _import_cycles(graph) == []


def test_the_cycle_finder_finds_a_cycle():
    class Graph:
        modules = {"a", "b", "c"}

        @staticmethod
        def find_modules_directly_imported_by(module):
            return {"a": {"b"}, "b": {"a"}, "c": {"a"}}[module]

    assert _import_cycles(Graph()) == [["a", "b"]]

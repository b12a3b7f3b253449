"""The Lighthouse gate of CI (``bench/lighthouse.py --check``): a performance score
under its target fails only when the baseline, audited alongside, did better by
more than the margin; every other category holds its target on its own."""

from __future__ import annotations

import importlib
import sys
from pathlib import Path
from types import ModuleType

import pytest

BENCH = Path(__file__).resolve().parent.parent / "bench"


@pytest.fixture(scope="module")
def lighthouse() -> ModuleType:
    sys.path.insert(0, str(BENCH))  # the script imports its neighbours by name
    try:
        return importlib.import_module("lighthouse")
    finally:
        sys.path.remove(str(BENCH))


def _page(performance: int, accessibility: int = 100) -> dict[str, int]:
    return {
        "performance": performance,
        "accessibility": accessibility,
        "best-practices": 100,
        "seo": 100,
    }


def test_a_slow_machine_that_kept_the_baseline_under_target_too_passes(lighthouse) -> None:
    margin = lighthouse.PERFORMANCE_MARGIN
    pages = {"conversation": _page(80 - margin), "signin": _page(95)}
    baseline = {"conversation": _page(80), "signin": _page(96)}
    assert lighthouse.under_target(pages, baseline) == []


def test_a_page_slower_than_its_baseline_by_more_than_the_margin_fails(lighthouse) -> None:
    margin = lighthouse.PERFORMANCE_MARGIN
    pages = {"conversation": _page(80 - margin - 1), "signin": _page(95)}
    baseline = {"conversation": _page(80), "signin": _page(96)}
    assert lighthouse.under_target(pages, baseline) == [
        f"conversation performance {80 - margin - 1} < 90 and < {80 - margin} (baseline)"
    ]


def test_at_target_a_page_passes_whatever_the_baseline_did(lighthouse) -> None:
    pages = {"conversation": _page(90), "signin": _page(95)}
    baseline = {"conversation": _page(99), "signin": _page(99)}
    assert lighthouse.under_target(pages, baseline) == []


def test_accessibility_holds_its_target_even_when_the_baseline_missed_it(lighthouse) -> None:
    pages = {"conversation": _page(95, accessibility=90), "signin": _page(95)}
    baseline = {"conversation": _page(95, accessibility=90), "signin": _page(95)}
    assert lighthouse.under_target(pages, baseline) == ["conversation accessibility 90 < 95"]


def test_without_a_baseline_every_target_stands_alone(lighthouse) -> None:
    pages = {"conversation": _page(89), "signin": _page(95)}
    assert lighthouse.under_target(pages) == ["conversation performance 89 < 90"]

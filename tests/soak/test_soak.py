"""A few minutes of three people using the app together, on a phone and two
desktops, through the production topology, with every screen checked against
the database after every step (``tests/soak/run.py`` says what they do).

The seed is fixed, so CI takes the same walk each time and a failure replays;
``SOAK_SEED`` and ``SOAK_ACTIONS`` choose another walk or a longer one, and
``bench/soak.py`` runs for as many minutes as asked.
"""

from __future__ import annotations

import os
from pathlib import Path

from playwright.sync_api import Browser

from tests.soak.run import Soak
from tests.stack import Stack

SEED = int(os.environ.get("SOAK_SEED", "20261203"))
ACTIONS = int(os.environ.get("SOAK_ACTIONS", "90"))


def test_people_using_the_app_together_see_the_truth(
    browser: Browser, stack: Stack, tmp_path: Path
) -> None:
    soak = Soak(browser, stack, seed=SEED, people=3, artifacts=tmp_path / "soak")
    outcome = soak.run(actions=ACTIONS)
    assert outcome.violations == [], outcome.report
    assert outcome.actions > ACTIONS  # every step was taken, then the final agreement
    assert outcome.redis_restarts == 1

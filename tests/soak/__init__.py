"""A seeded, randomized soak: several people use the app together, in real
Chromium pages through the production topology, while every screen is checked
against the database after each step.

``tests/soak/test_soak.py`` runs a short one in CI; ``bench/soak.py`` runs long
ones and writes ``bench/results/soak.json``. A failure names the seed and the
step, and the same seed replays the same moves.
"""

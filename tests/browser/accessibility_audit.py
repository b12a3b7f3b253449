"""axe-core, injected into a page, reporting what a screen-reader or low-vision user would hit.

Only findings of impact "serious" or "critical" fail a test: those are the
ones that stop a person (no name on a button, unreadable contrast, a broken
ARIA structure). The report lists each finding with the elements it names,
so a failure says what to fix without rerunning anything.
"""

from __future__ import annotations

from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page

BLOCKING_IMPACTS = ("serious", "critical")
_AXE = Axe()
# Animations that end (a spinner's never does), awaited until they have.
_ANIMATIONS_FINISHED_JS = """() => Promise.all(document.getAnimations()
  .filter((a) => a.effect && a.effect.getComputedTiming().endTime !== Infinity)
  .map((a) => a.finished.catch(() => null)))"""


def blocking_findings(page: Page) -> list[dict]:
    """Run axe on the whole page as it is now and return its serious and critical violations.

    axe reads colours as painted, so a dialog still fading in would be judged
    on its half-transparent colours: the running animations finish first.
    """
    page.evaluate(_ANIMATIONS_FINISHED_JS)
    results = _AXE.run(page)
    return [v for v in results.response["violations"] if v["impact"] in BLOCKING_IMPACTS]


def report(findings: list[dict]) -> str:
    """One paragraph per rule: what it checks, where it failed and why, readable in a test log."""
    lines = []
    for finding in findings:
        lines.append(
            f"[{finding['impact']}] {finding['id']}: {finding['help']} ({finding['helpUrl']})"
        )
        for node in finding["nodes"]:
            lines.append(f"    at {', '.join(map(str, node['target']))}")
            lines.append(f"       {node['html'][:200]}")
            for check in node.get("any", []) + node.get("all", []) + node.get("none", []):
                lines.append(f"       - {check['message']}")
    return "\n".join(lines)

"""The app can be added to a phone's home screen: a manifest with icons, standalone display."""

from __future__ import annotations

from playwright.sync_api import Page


def test_manifest_and_icons_load(page: Page, app_url: str) -> None:
    page.goto("/signin")
    href = page.locator("link[rel=manifest]").get_attribute("href")
    assert href is not None
    manifest = page.request.get(href)
    assert manifest.ok
    data = manifest.json()
    assert data["display"] == "standalone"
    assert data["start_url"] == "/"
    sizes = {icon["sizes"] for icon in data["icons"]}
    assert {"192x192", "512x512"} <= sizes
    for icon in data["icons"]:
        response = page.request.get(icon["src"])
        assert response.ok, icon["src"]
        assert response.body()[:8] == b"\x89PNG\r\n\x1a\n"
    touch = page.locator("link[rel=apple-touch-icon]").get_attribute("href")
    assert touch is not None
    assert page.request.get(touch).ok

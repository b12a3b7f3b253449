"""Names for the design tokens defined in assets/theme.css (light and dark values live there)."""

from __future__ import annotations

PANEL = "var(--wa-panel)"
SIDEBAR = "var(--wa-sidebar)"
ACCENT = "var(--wa-accent)"
ACCENT_STRONG = "var(--wa-accent-strong)"
ON_ACCENT = "var(--wa-on-accent)"
TEXT = "var(--wa-text)"
TEXT_SECONDARY = "var(--wa-text-secondary)"
DIVIDER = "var(--wa-divider)"
DANGER = "var(--wa-danger)"
AVATAR = "var(--wa-avatar)"

SPACE_1 = "var(--wa-space-1)"
SPACE_2 = "var(--wa-space-2)"
SPACE_3 = "var(--wa-space-3)"
SPACE_4 = "var(--wa-space-4)"
SPACE_6 = "var(--wa-space-6)"
RADIUS_M = "var(--wa-radius-m)"
RADIUS_PILL = "var(--wa-radius-pill)"

TAP_TARGET = "44px"
PHONE_BREAKPOINT_PX = 768

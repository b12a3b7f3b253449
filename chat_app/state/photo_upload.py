"""Receiving a picture from an upload control: shared by the profile and a group's info.

Both places accept one picture, show the upload's progress and put the
service's refusal next to the control; only what is done with the stored
picture differs, so each state keeps its own ``upload_photo`` handler and uses
:meth:`PhotoUploadMixin._chosen_photo` for the rest.
"""

from __future__ import annotations

from typing import Any, BinaryIO

import reflex as rx

from chat_app.services.file_types import NOT_AN_IMAGE


class PhotoUploadMixin(rx.State, mixin=True):
    """Progress and the error of the picture being uploaded."""

    photo_uploading: bool = False
    photo_progress: int = 0
    photo_error: str = ""

    def _reset_photo(self) -> None:
        self.photo_uploading, self.photo_progress, self.photo_error = False, 0, ""

    @rx.event
    def track_photo_progress(self, progress: dict[str, Any]):
        """The browser reports how much it has sent. The last report (all of it) may
        arrive after the handler has finished, so it never turns the bar back on."""
        fraction = float(progress.get("progress", 0) or 0)
        if fraction < 1:
            self.photo_uploading = True
        self.photo_progress = min(100, round(fraction * 100))

    @rx.event
    def photo_rejected(self, rejected: list[dict[str, Any]]):
        """The browser refused the file by its type before sending it: say so here,
        not in a toast far from the control."""
        self.photo_uploading, self.photo_error = False, NOT_AN_IMAGE

    def _chosen_photo(self, files: list[rx.UploadFile]) -> BinaryIO | None:
        """The bytes of the one uploaded picture, or None with ``photo_error`` set.
        The caller hands them to its service, which checks the right to make the
        change before storing anything, then calls :meth:`_photo_done`."""
        self.photo_error = ""
        if len(files) != 1:
            self._photo_done("Choose one picture.")
            return None
        return files[0].file

    def _photo_done(self, error: str = "") -> None:
        self.photo_uploading, self.photo_progress, self.photo_error = False, 0, error

"""Finding and picking people: shared by "New group" and a group's "Add members".

Both screens search the same way and keep the same chips of picked people, so
the search box, results and picks live in one mixin rather than twice.
"""

from __future__ import annotations

import asyncio

import reflex as rx

from chat_app.services import people
from chat_app.services.errors import ServiceError
from chat_app.state.people_rows import PersonRow, to_person_row


class PeoplePickerMixin(rx.State, mixin=True):
    """Search results and the people picked so far (shown as removable chips)."""

    picker_query: str = ""
    picker_results: list[PersonRow] = []
    picker_picked: list[PersonRow] = []
    picker_error: str = ""

    @rx.var
    def picked_ids(self) -> list[int]:
        return [p.id for p in self.picker_picked]

    @rx.var
    def picker_searched(self) -> bool:
        return self.picker_query.strip().lstrip("@") != ""

    def _picker_excluded(self) -> set[int]:
        """People not to offer (a group's current members); states override it."""
        return set()

    def _reset_picker(self) -> None:
        self.picker_query = ""
        self.picker_results = []
        self.picker_picked = []
        self.picker_error = ""

    @rx.event
    async def picker_search(self, value: str):
        """Debounced from the search box: people whose name or username starts with it."""
        self.picker_query = value[:100]
        try:
            found = await asyncio.to_thread(
                people.search_people,
                user_id=self.user_id,  # type: ignore[attr-defined]  (from SessionState)
                query=self.picker_query,
            )
        except ServiceError as error:
            self.picker_error = str(error)
            return
        self.picker_error = ""
        excluded = self._picker_excluded()
        viewer = self.user_id  # type: ignore[attr-defined]
        self.picker_results = [to_person_row(p, viewer) for p in found if p.id not in excluded]

    @rx.event
    def toggle_pick(self, person_id: int, checked: bool):
        picked = [p for p in self.picker_picked if p.id != person_id]
        if checked:
            person = next((p for p in self.picker_results if p.id == person_id), None)
            if person is not None:
                picked.append(person)
        self.picker_picked = picked

    @rx.event
    def unpick(self, person_id: int):
        self.picker_picked = [p for p in self.picker_picked if p.id != person_id]

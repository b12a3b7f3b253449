"""Pure display rules of the controllers, without a browser."""

from __future__ import annotations

import pytest

from chat_app.state.formatting import chat_id_in_path, chat_route


@pytest.mark.parametrize("chat_id", [1, 7, 12345678901])
def test_a_chat_address_names_its_chat_again(chat_id: int) -> None:
    assert chat_id_in_path(chat_route(chat_id)) == chat_id
    assert chat_id_in_path(chat_route(chat_id) + "/") == chat_id


@pytest.mark.parametrize(
    "path", ["", "/", "/chat", "/chat/", "/chat/x", "/chat/-1", "/chat/1/2", "/signin", "/chat/1e3"]
)
def test_any_other_address_names_no_chat(path: str) -> None:
    assert chat_id_in_path(path) == 0

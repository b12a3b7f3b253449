"""The app's addresses (chat_app/routes.py): a chat's address names only a whole
number, and reading one back takes only a whole number out of it."""

from __future__ import annotations

import pytest

from chat_app.routes import (
    after_sign_in_route,
    chat_id_in_path,
    chat_id_in_query,
    chat_route,
    sign_in_route,
)


@pytest.mark.parametrize("chat_id", [1, 7, 12345678901])
def test_a_chat_address_names_its_chat_again(chat_id: int) -> None:
    assert chat_id_in_path(chat_route(chat_id)) == chat_id
    assert chat_id_in_path(chat_route(chat_id) + "/") == chat_id


@pytest.mark.parametrize(
    "path", ["", "/", "/chat", "/chat/", "/chat/x", "/chat/-1", "/chat/1/2", "/signin", "/chat/1e3"]
)
def test_any_other_address_names_no_chat(path: str) -> None:
    assert chat_id_in_path(path) == 0


@pytest.mark.parametrize(("chat_id", "route"), [(0, "/signin"), (7, "/signin?chat=7")])
def test_the_sign_in_page_names_the_chat_a_link_asked_for(chat_id: int, route: str) -> None:
    assert sign_in_route(chat_id) == route


@pytest.mark.parametrize(
    ("query", "route"),
    [
        ({"chat": "7"}, "/chat/7"),
        ({}, "/"),
        ({"chat": ""}, "/"),
        ({"chat": "7; alert(1)"}, "/"),
        ({"chat": "javascript:x"}, "/"),
        ({"chat": "-3"}, "/"),
        ({"chat": "9" * 40}, "/"),
    ],
)
def test_signing_in_leads_only_to_a_chat_by_number(query: dict[str, str], route: str) -> None:
    assert after_sign_in_route(chat_id_in_query(query)) == route


@pytest.mark.parametrize("builder", [chat_route, sign_in_route, after_sign_in_route])
def test_routes_take_only_whole_numbers(builder) -> None:
    with pytest.raises(TypeError):
        builder("7")

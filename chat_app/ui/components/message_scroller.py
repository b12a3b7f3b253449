"""The React scrolling area of the conversation (assets/message_scroller.jsx), as a component."""

from __future__ import annotations

import reflex as rx
from reflex.event import no_args_event_spec, passthrough_event_spec


class MessageScroller(rx.Component):
    library = "$/public/message_scroller.jsx"
    tag = "MessageScroller"

    scroll_key: rx.Var[str]
    first_id: rx.Var[int]
    last_id: rx.Var[int]
    scroll_to_id: rx.Var[str]

    on_reach_top: rx.EventHandler[no_args_event_spec]
    on_bottom_change: rx.EventHandler[passthrough_event_spec(bool)]


message_scroller = MessageScroller.create

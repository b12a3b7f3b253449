"""The attach button and its dialog: choose files, caption, progress, send."""

from __future__ import annotations

import reflex as rx

from chat_app.state.attach import MAX_FILES, UPLOAD_ID, AttachState
from chat_app.ui import tokens
from chat_app.ui.components.dialog_escape import closes_dialog
from chat_app.ui.components.icon_button import icon_button
from chat_app.ui.components.upload_input import hide_file_input, signed_in_upload

ACCEPT = {
    "image/jpeg": [".jpg", ".jpeg"],
    "image/png": [".png"],
    "image/gif": [".gif"],
    "image/webp": [".webp"],
    "application/pdf": [".pdf"],
    "text/plain": [".txt"],
    "application/zip": [".zip", ".docx", ".xlsx", ".pptx"],
}


def _chosen_file(name: rx.Var[str]) -> rx.Component:
    return rx.hstack(
        rx.icon("file", size=18, color=tokens.TEXT_SECONDARY),
        rx.text(name, size="2", class_name="wa-ellipsis", flex="1"),
        rx.cond(
            AttachState.uploading,
            rx.progress(
                value=AttachState.progress, max=100, width="96px", aria_label="Upload progress"
            ),
        ),
        align="center",
        width="100%",
        role="listitem",
    )


def _refused(rejected: rx.Var) -> rx.event.EventSpec:
    """react-dropzone's refusals, as plain data the controller can word: each
    file's name and size (read here, in the browser) and its reason codes."""

    def summary(record: rx.Var) -> rx.Var:
        entry = record.to(dict)
        file = entry["file"].to(dict)
        codes = entry["errors"].to(list).map(lambda error: error.to(dict)["code"])
        return rx.Var.create({"name": file["name"], "size": file["size"], "codes": codes})

    return AttachState.refuse(rejected.to(list).map(summary))


def attach_button() -> rx.Component:
    # The last choice is forgotten in the browser, before the dialog opens: done
    # by the server's answer instead, it could land after a file was already
    # chosen in the opened dialog, and Send then had nothing to send.
    return icon_button(
        "paperclip",
        label="Attach",
        on_click=[rx.clear_selected_files(UPLOAD_ID), AttachState.show],
    )


def attach_dialog() -> rx.Component:
    return rx.dialog.root(
        rx.dialog.content(
            rx.dialog.title("Send photos or documents"),
            hide_file_input(
                rx.upload.root(
                    rx.vstack(
                        rx.icon("image-plus", size=32, color=tokens.TEXT_SECONDARY),
                        rx.text("Drop files here or tap to choose", size="2"),
                        align="center",
                        spacing="2",
                    ),
                    id=UPLOAD_ID,
                    multiple=True,
                    max_files=MAX_FILES,
                    max_size=AttachState.max_bytes,
                    accept=ACCEPT,
                    on_drop_rejected=_refused,
                    no_keyboard=False,
                    class_name="wa-dropzone",
                ),
            ),
            rx.box(
                rx.foreach(rx.selected_files(UPLOAD_ID), _chosen_file),
                role="list",
                aria_label="Chosen files",
                style={
                    "margin": "12px 0",
                    "display": "flex",
                    "flexDirection": "column",
                    "gap": "6px",
                },
            ),
            rx.cond(
                AttachState.uploading,
                rx.progress(
                    value=AttachState.progress, max=100, aria_label="Total upload progress"
                ),
            ),
            rx.input(
                placeholder="Add a caption",
                aria_label="Caption",
                value=AttachState.caption,
                on_change=AttachState.set_caption,
                margin_top="8px",
            ),
            rx.cond(
                AttachState.error != "",
                rx.text(AttachState.error, role="alert", size="2", style={"color": tokens.DANGER}),
            ),
            rx.hstack(
                rx.dialog.close(
                    rx.button("Cancel", variant="soft", type="button", custom_attrs=closes_dialog())
                ),
                rx.button(
                    "Send",
                    loading=AttachState.uploading,
                    # The upload and each report of its progress name the batch
                    # the dialog was showing when Send was pressed.
                    on_click=AttachState.send(
                        signed_in_upload(
                            UPLOAD_ID,
                            lambda progress: AttachState.track_progress(
                                progress, AttachState.batch_id
                            ),
                        ),
                        AttachState.batch_id,
                    ),
                ),
                justify="end",
                spacing="2",
                margin_top="12px",
            ),
        ),
        open=AttachState.open,
        on_open_change=AttachState.set_open,
    )

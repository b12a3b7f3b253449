"""``GET /files/<id>/<name>`` and ``GET /avatars/<name>``: stored files behind signed links.

Browsers fetch images and downloads without the app's token, so each link is
signed for one viewer and expires (``services.media_links``); the attachment
route also re-checks, per request, that the viewer is still in the chat. A
refused request gets a bare 403 or 404, never the file. Responses forbid
content sniffing and carry a sandboxing Content-Security-Policy, so even a
file crafted to look like a web page cannot run in the app's origin.
"""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import quote

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import FileResponse, PlainTextResponse, Response
from starlette.routing import Route

from chat_app.services.attachments import ServedFile, open_attachment, open_avatar
from chat_app.services.errors import Forbidden, NotFound

DOCUMENT_POLICY = "default-src 'none'; sandbox"
# Opened on its own, an image is shown in a browser-made page that needs these two.
IMAGE_POLICY = "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; sandbox"
_ALWAYS = {"X-Content-Type-Options": "nosniff", "Referrer-Policy": "no-referrer"}


def content_disposition(disposition: str, filename: str) -> str:
    """RFC 6266: an ASCII ``filename`` for old clients and the exact UTF-8 ``filename*``."""
    fallback = "".join(ch if " " <= ch <= "~" and ch not in '"\\%' else "_" for ch in filename)
    return f"{disposition}; filename=\"{fallback}\"; filename*=UTF-8''{quote(filename, safe='')}"


def _refusal(status: int, text: str) -> Response:
    return PlainTextResponse(
        text, status_code=status, headers={**_ALWAYS, "Cache-Control": "no-store"}
    )


def _file_response(served: ServedFile) -> Response:
    disposition = "inline" if served.is_image else "attachment"
    headers = {
        **_ALWAYS,
        "Content-Disposition": content_disposition(disposition, served.download_name),
        "Content-Security-Policy": IMAGE_POLICY if served.is_image else DOCUMENT_POLICY,
        "Cache-Control": f"private, max-age={served.max_age}",
    }
    return FileResponse(served.path, media_type=served.content_type, headers=headers)


def _answer(open_file: Callable[[], ServedFile]) -> Response:
    try:
        return _file_response(open_file())
    except Forbidden:
        return _refusal(403, "Forbidden")
    except NotFound:
        return _refusal(404, "Not found")


def serve_file(request: Request) -> Response:
    query = request.query_params
    return _answer(
        lambda: open_attachment(
            attachment_id=request.path_params["attachment_id"],
            viewer=query.get("u"),
            session=query.get("s"),
            expires=query.get("exp"),
            signature=query.get("sig"),
        )
    )


def serve_avatar(request: Request) -> Response:
    query = request.query_params
    return _answer(
        lambda: open_avatar(
            stored_name=request.path_params["name"],
            viewer=query.get("u"),
            session=query.get("s"),
            expires=query.get("exp"),
            signature=query.get("sig"),
        )
    )


def hide_upload_folder(request: Request) -> Response:
    """Reflex serves its upload folder (the same folder by default) at ``/_upload/``
    to anyone once its upload component is used; stored files go out only above."""
    return _refusal(404, "Not found")


def routes() -> list[Route]:
    # Sync endpoints: Starlette runs them in its thread pool, where blocking
    # database calls belong.
    return [
        Route("/files/{attachment_id:int}/{name:path}", serve_file, methods=["GET"]),
        Route("/avatars/{name}", serve_avatar, methods=["GET"]),
        Route("/_upload/{rest:path}", hide_upload_folder, methods=["GET"]),
    ]


def create_app() -> Starlette:
    """The routes as an app; ``rx.App(api_transformer=...)`` mounts Reflex inside it,
    so these paths are matched first and everything else falls through to Reflex."""
    return Starlette(routes=routes())

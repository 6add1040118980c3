"""``/-/post?url=...``: one post by its link, for anyone logged in, shown
as the search page shows posts. Each look-up is logged first, with the
login and the time (``listener.privacy.lookups``; ``listener audit-log``
shows the log to an administrator), through the page's read-write record
store (``listener.web.plugin.RecordStores``, on either backend): the search
page's connections stay read-only."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from datasette.utils.asgi import Response

from listener.privacy.lookups import Viewer
from listener.query.lookup import post_at_url
from listener.query.service import COLUMNS

if TYPE_CHECKING:
    from listener.web.plugin import WebContext

Context = Callable[[Any], "WebContext"]
MAX_URL = 2_000


def routes(context: Context) -> list[tuple[str, Any]]:
    async def lookup(request: Any, datasette: Any) -> Response:
        await datasette.ensure_permissions(request.actor, ["view-instance"])
        web = context(datasette)
        url = (request.args.get("url") or "").strip()
        status, error, result = 200, "", None
        if len(url) > MAX_URL:
            status, error = 400, f"a link is at most {MAX_URL:,} characters"
        elif url and web.records is not None:
            viewer = Viewer(str(request.actor.get("id") or "unknown"), "page")
            result = await web.records.write.run(
                lambda store: post_at_url(store, web.query, url, viewer, "page-url"))
        html = await datasette.render_template("listener_lookup.html", {
            "url": url, "result": result, "error": error, "columns": COLUMNS},
            request=request)
        return Response.html(html, status=status)

    return [(r"^/-/post$", lookup)]

"""The canned queries (``/<db>/q_<name>``, ``.csv``, ``.json``) on
PostgreSQL, where Datasette serves no database: the same named queries at
the same URLs, with the same columns and parameters (``since``, ``until``),
run by the page itself through ``store.canned`` on its read-only stores,
within the page's time limit and row cap. On SQLite Datasette serves them
(``storage.page_access.canned``) and this route is not registered.

What they show is what Datasette shows: counts per topic / platform with
the privacy floor written into the statement, never an author key, a raw
payload or a post's text. The JSON has Datasette's keys (``_shape``:
``arrays``, the default, ``objects`` or ``array``); the CSV is
``text/plain`` unless ``_dl`` asks for a download, as Datasette's."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from datasette.utils.asgi import Response

from listener.web.page import describe_error
from storage import Store
from storage.page_access import CANNED_PARAMETERS, CannedResult

if TYPE_CHECKING:
    from listener.web.plugin import WebContext

Context = Callable[[Any], "WebContext"]
MAX_PARAMETER = 100  # characters of a date parameter


def _csv(result: CannedResult) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(result.columns)
    writer.writerows(result.rows)
    return out.getvalue()


def _json(result: CannedResult, database: str, shape: str) -> Any:
    objects = [dict(zip(result.columns, row, strict=True)) for row in result.rows]
    if shape == "array":
        return objects
    return {"ok": True, "database": database, "query_name": result.name,
            "rows": objects if shape == "objects" else [list(r) for r in result.rows],
            "truncated": result.truncated, "columns": result.columns,
            "query": {"sql": result.statement, "params": result.params}, "error": None,
            "private": True, "allow_execute_sql": False, "query_ms": result.ms}


def routes(context: Context, database: str) -> list[tuple[str, Any]]:
    """The route of ``database``'s canned queries (on PostgreSQL only)."""

    async def canned(request: Any, datasette: Any) -> Response:
        await datasette.ensure_permissions(request.actor, ["view-instance"])
        web = context(datasette)
        if web.stores is None:
            return Response.text("Not found", status=404)
        name, fmt = request.url_vars["name"], request.url_vars.get("format") or ""
        params = {key: request.args.get(key) or "" for key in CANNED_PARAMETERS}
        if any(len(v) > MAX_PARAMETER or "\x00" in v for v in params.values()):
            return Response.text(f"a date is at most {MAX_PARAMETER} characters, "
                                 "with no NUL character\n", status=400)
        ms, limit = web.query.time_limit_ms, web.query.max_rows

        def run(store: Store) -> CannedResult | None:
            with store.queries.time_limit(ms):
                return store.canned.run(name, params, floor=web.min_group, limit=limit)

        try:
            result = await web.stores.run(run)
        except Exception as exc:  # the time limit: a plain answer, never a 500
            message = describe_error(exc)
            if message is None:
                raise
            return Response.text(message + "\n", status=400)
        if result is None:
            return Response.text("Not found", status=404)
        if fmt == "csv":
            headers = {}
            content_type = "text/plain; charset=utf-8"
            if request.args.get("_dl"):
                content_type = "text/csv; charset=utf-8"
                headers["content-disposition"] = f'attachment; filename="{name}.csv"'
            return Response(_csv(result), content_type=content_type, headers=headers)
        if fmt == "json":
            shape = request.args.get("_shape") or "arrays"
            if shape not in ("arrays", "objects", "array"):
                return Response.text("_shape is arrays, objects or array\n", status=400)
            return Response.json(_json(result, database, shape), default=str)
        html = await datasette.render_template("listener_canned.html", {
            "result": result, "database": database,
            "csv_url": f"/{database}/{name}.csv?" + request.query_string,
            "json_url": f"/{database}/{name}.json?" + request.query_string},
            request=request)
        return Response.html(html)

    return [(rf"^/{re.escape(database)}/(?P<name>q_[a-z_]+)(?:\.(?P<format>csv|json))?$", canned)]

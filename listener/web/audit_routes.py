"""The labelling page's routes (``listener.web.labelling`` does the work):
``/-/audit`` lists the audits, ``/-/audit/<id>`` shows the next post to
label (GET) and stores an answer, then shows the classifier's (POST).
Login is required (anonymous visitors are sent to the login page), and
only the ``labeller`` role may label. Reads and writes go through the
page's record stores (``listener.web.plugin.RecordStores``): the same on
SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from datasette.utils.asgi import Response

from listener.web import labelling
from storage.audits import AuditSummary

if TYPE_CHECKING:
    from listener.web.plugin import RecordStores, WebContext

Context = Callable[[Any], "WebContext"]


async def _render(datasette: Any, request: Any, status: int = 200, **context: Any) -> Response:
    html = await datasette.render_template("listener_audit.html", context, request=request)
    return Response.html(html, status=status)


def routes(context: Context) -> list[tuple[str, Any]]:
    """The (path pattern, view) pairs, reading each instance's settings
    through ``context``."""

    def stores(datasette: Any) -> RecordStores:
        records = context(datasette).records
        if records is None:
            raise labelling.Refused(404, "this server has no audits to label")
        return records

    async def listing(request: Any, datasette: Any) -> Response:
        await datasette.ensure_permissions(request.actor, ["view-instance"])
        try:
            labelling.check_labeller(request.actor)
            records = stores(datasette)
        except labelling.Refused as exc:
            return await _render(datasette, request, exc.status, error=str(exc))
        audits = await records.read.run(lambda store: store.audits.summaries())
        return await _render(datasette, request, audits=audits)

    async def item(request: Any, datasette: Any) -> Response:
        await datasette.ensure_permissions(request.actor, ["view-instance"])
        web = context(datasette)
        audit_id = int(request.url_vars["audit_id"])
        try:
            who = labelling.check_labeller(request.actor)
            records = stores(datasette)
            view: labelling.Answer | labelling.Question | AuditSummary
            if request.method == "POST":
                body = await request.post_body()
                view = await records.write.run(lambda store: labelling.answer(
                    store, audit_id, body, who, web.query.official, web.query.topic_names))
            else:
                after = request.args.get("after") or "0"
                if not after.isdigit():
                    raise labelling.Refused(400, "'after' must be a post number")
                view = await records.read.run(lambda store: labelling.question(
                    store, audit_id, int(after), web.query.official, web.query.topic_names))
        except labelling.Refused as exc:
            return await _render(datasette, request, exc.status, error=str(exc),
                                 audit_id=audit_id)
        if isinstance(view, labelling.Answer):
            return await _render(datasette, request, answer=view,
                                 names=dict(web.query.topic_names))
        if isinstance(view, labelling.Question):
            return await _render(datasette, request, question=view)
        return await _render(datasette, request, done=view)

    return [(r"^/-/audit$", listing), (r"^/-/audit/(?P<audit_id>\d+)$", item)]

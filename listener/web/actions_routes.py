"""The action log's page in ``listener serve``: ``/-/actions`` lists the
actions and, for editors, has the form that records one (POST);
``/-/actions/<id>`` shows an action with its trail and, for editors, the
form that corrects it (POST). Login is required; readers (and labellers)
may read the log but are refused when they post. Reads and writes go
through the page's record stores (``listener.web.plugin.RecordStores``, on
either backend; the search page's connections stay read-only), with the
login as the editor; Datasette checks the form's CSRF token on every
POST."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qs

from datasette.utils.asgi import Response

from listener.actions import ActionError, Vocabulary, changes_from, fields_from
from listener.web.labelling import Refused, require_role
from storage import Store

if TYPE_CHECKING:
    from listener.web.plugin import RecordStores, WebContext

EDITOR = "editor"
FIELDS = ("topic", "day", "text", "place", "link")
Context = Callable[[Any], "WebContext"]


def check_editor(actor: Mapping[str, Any] | None) -> str:
    """The editor's name; anyone else is refused."""
    return require_role(actor, EDITOR, "your account may read the action log but not change "
                        "it: ask an administrator for the editor role (web.users.NAME.role:"
                        " editor)")


def _form(body: bytes) -> dict[str, str]:
    parsed = parse_qs(body.decode("utf-8", "replace"), keep_blank_values=True)
    return {name: (parsed.get(name) or [""])[0] for name in (*FIELDS, "reason", "withdrawn")}


def _add(store: Store, words: Vocabulary, body: bytes, editor: str) -> int:
    form = _form(body)
    fields = fields_from(words, topic=form["topic"], day=form["day"], text=form["text"],
                         place=form["place"], link=form["link"])
    return store.actions.add(fields, editor).id


def _correct(store: Store, words: Vocabulary, action_id: int, body: bytes,
             editor: str) -> None:
    form = _form(body)
    current = store.actions.get(action_id)
    if current is None:
        raise Refused(404, f"there is no action {action_id}")
    before = current.fields
    given = {name: form[name] for name in FIELDS
             if form[name] != (getattr(before, name) or "")}
    changes: dict[str, Any] = changes_from(words, given)
    if (form["withdrawn"] == "1") != before.withdrawn:
        changes["withdrawn"] = form["withdrawn"] == "1"
    try:
        store.actions.correct(action_id, editor, changes, form["reason"].strip() or None)
    except ValueError as exc:
        raise ActionError(str(exc)) from None


def routes(context: Context) -> list[tuple[str, Any]]:
    """The (path pattern, view) pairs, reading each instance's settings
    through ``context``."""

    def setup(datasette: Any) -> tuple[RecordStores, Vocabulary]:
        web = context(datasette)
        if web.records is None or web.actions is None:
            raise Refused(404, "this server keeps no action log")
        return web.records, web.actions

    async def render(request: Any, datasette: Any, status: int = 200,
                     **extra: Any) -> Response:
        editor = bool(request.actor) and request.actor.get("role") == EDITOR
        words = context(datasette).actions
        html = await datasette.render_template("listener_actions.html", {
            "editor": editor, "topics": dict(words.topics) if words else {},
            "places": dict(words.places) if words else {}, "form": {}, **extra},
            request=request)
        return Response.html(html, status=status)

    async def listing(request: Any, datasette: Any) -> Response:
        await datasette.ensure_permissions(request.actor, ["view-instance"])
        message, error, status, form = "", "", 200, {}
        try:
            records, words = setup(datasette)
            if request.method == "POST":
                editor = check_editor(request.actor)
                body = await request.post_body()
                form = _form(body)
                added = await records.write.run(lambda store: _add(store, words, body, editor))
                message, form = f"Recorded action {added}.", {}
        except Refused as exc:
            return await render(request, datasette, exc.status, error=str(exc), actions=[])
        except ActionError as exc:
            error, status = str(exc), 400
        listed = await records.read.run(lambda store: store.actions.listed(withdrawn=True))
        return await render(request, datasette, status, actions=listed,
                            message=message, error=error, form=form)

    async def item(request: Any, datasette: Any) -> Response:
        await datasette.ensure_permissions(request.actor, ["view-instance"])
        action_id = int(request.url_vars["action_id"])
        message, error, status = "", "", 200
        try:
            records, words = setup(datasette)
            if request.method == "POST":
                editor = check_editor(request.actor)
                body = await request.post_body()
                await records.write.run(
                    lambda store: _correct(store, words, action_id, body, editor))
                message = f"Corrected action {action_id}."
        except Refused as exc:
            return await render(request, datasette, exc.status, error=str(exc))
        except ActionError as exc:
            error, status = str(exc), 400
        action, trail = await records.read.run(
            lambda store: (store.actions.get(action_id), store.actions.history(action_id)))
        if action is None:
            return await render(request, datasette, 404, error=f"there is no action {action_id}")
        return await render(request, datasette, status, action=action, trail=trail,
                            message=message, error=error, values=vars(action.fields))

    return [(r"^/-/actions$", listing), (r"^/-/actions/(?P<action_id>\d+)$", item)]

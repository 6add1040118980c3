"""The Datasette plugin: the search page at ``/``, its CSV export, log-in
and logout (``login``: sessions, backoff, CSRF), the SQLite authorizer on
every connection, login-or-refuse, no table shown on any page, and the route
guard.

Registered by ``listener.web.app.build`` for the Datasette it builds; the
settings each instance needs are kept in ``CONTEXTS`` keyed by instance.
"""

from __future__ import annotations

import asyncio
import sqlite3
import threading
import weakref
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol, TypeVar, cast
from urllib.parse import urlencode

from datasette import hookimpl as _hookimpl
from datasette.utils.asgi import Response

from listener.actions import Vocabulary
from listener.query import export
from listener.query.filters import QueryFilters
from listener.query.service import COLUMNS, QueryContext
from listener.web import actions_routes, audit_routes, canned_routes, labelling, lookup_routes
from listener.web import chart as charts
from listener.web import login as logins
from listener.web import page as pages
from listener.web.guard import ASGIApp, route_guard
from storage import SENTIMENTS, Store, page_access


@dataclass(frozen=True)
class WebContext:
    database: str
    query: QueryContext
    page_size: int
    trend_weeks: int
    min_group: int
    facet_limit: int
    login: logins.LoginContext | None = None
    waiting: Callable[[Store], list[Any]] | None = None  # "Waiting for an answer"
    records: RecordStores | None = None  # the labelling page's, action log's, look-up's
    actions: Vocabulary | None = None  # what the action log may name
    stores: PageStores | None = None  # on PostgreSQL: the page's reads (not Datasette's)

    def close(self) -> None:
        """Close the stores the page opened itself (none but Datasette's on SQLite)."""
        for runner in (self.stores, *((self.records.read, self.records.write)
                                      if self.records else ())):
            if runner is not None:
                runner.close()


T = TypeVar("T")


class StoreRunner(Protocol):
    """Runs ``fn`` on a store off the event loop and gives back its answer."""

    async def run(self, fn: Callable[[Store], T]) -> T: ...

    def close(self) -> None: ...


class PageStores:
    """The page's own stores on PostgreSQL, where Datasette serves no
    database: each worker thread keeps one store (its own connection, so
    one request's time limit is never another's), opened on first use.
    Read-only for the search page and the record pages' reads (the opener
    says: ``default_transaction_read_only``); read-write for their writes."""

    def __init__(self, opener: Callable[[], Store], threads: int = 2) -> None:
        self._opener = opener
        self._local = threading.local()
        self._opened: list[Store] = []
        self._lock = threading.Lock()
        self.executor = ThreadPoolExecutor(max_workers=threads, thread_name_prefix="page-read")

    def store(self) -> Store:
        store: Store | None = getattr(self._local, "store", None)
        if store is None:
            store = self._opener()
            self._local.store = store
            with self._lock:
                self._opened.append(store)
        return store

    async def run(self, fn: Callable[[Store], T]) -> T:
        return await asyncio.get_running_loop().run_in_executor(
            self.executor, lambda: fn(self.store()))

    def close(self) -> None:
        self.executor.shutdown(wait=True)
        with self._lock:
            for store in self._opened:
                store.close()
            self._opened.clear()


class FileStores:
    """On SQLite, the record pages' stores: each call opens the file itself
    (read-only unless ``readonly`` is False) off the event loop and closes
    it after, so that Datasette's connections stay read-only and guarded
    (``storage.page_access``)."""

    def __init__(self, path: Path, *, readonly: bool) -> None:
        self.path = path
        self.readonly = readonly

    def _call(self, fn: Callable[[Store], T]) -> T:
        with Store.open(self.path, readonly=self.readonly) as store:
            return fn(store)

    async def run(self, fn: Callable[[Store], T]) -> T:
        return await asyncio.to_thread(self._call, fn)

    def close(self) -> None:
        pass


@dataclass(frozen=True)
class RecordStores:
    """Where the pages that keep records (the labelling page, the action
    log, the look-up by link's log) read (``read``: a read-only store) and
    write (``write``: a read-write one), the same on either backend: the
    file opened per request on SQLite (``FileStores``), the page's own
    stores on PostgreSQL (``PageStores``: the search page's read-only ones
    for reads, read-write ones for writes)."""

    read: StoreRunner
    write: StoreRunner

    @classmethod
    def on_file(cls, path: Path) -> RecordStores:
        return cls(FileStores(path, readonly=True), FileStores(path, readonly=False))


F = TypeVar("F", bound=Callable[..., Any])


def hookimpl(fn: F) -> F:
    """datasette's ``hookimpl``, typed."""
    return cast(F, _hookimpl(fn))


def hookimpl_first(fn: F) -> F:
    """datasette's ``hookimpl(tryfirst=True)``, typed: called before other plugins'."""
    return cast(F, _hookimpl(tryfirst=True)(fn))


CONTEXTS: weakref.WeakKeyDictionary[Any, WebContext] = weakref.WeakKeyDictionary()
NAME = "civic-listener"  # the plugin's name in Datasette


def _context(datasette: Any) -> WebContext:
    return CONTEXTS[datasette]


@hookimpl
def prepare_connection(conn: sqlite3.Connection, database: str, datasette: Any) -> None:
    if datasette in CONTEXTS and database == _context(datasette).database:
        page_access.guard(conn)


@hookimpl
def asgi_wrapper(datasette: Any) -> Any:
    def wrap(app: ASGIApp) -> ASGIApp:
        # the context is registered after Datasette builds its app: look it up per request
        return route_guard(app, lambda: _context(datasette).database
                           if datasette in CONTEXTS else None)

    return wrap


@hookimpl
def forbidden(datasette: Any, request: Any, message: str) -> Any:
    if request.actor is None:
        return Response.redirect(datasette.urls.path("/-/login"))
    return None


@hookimpl
def menu_links(datasette: Any, actor: Any) -> list[dict[str, str]]:
    """The labelling page in the menu for labellers; the action log and the
    look-up by link for everyone logged in."""
    if datasette not in CONTEXTS or not actor:
        return []
    links = [{"href": datasette.urls.path("/-/actions"), "label": "What we did (action log)"},
             {"href": datasette.urls.path("/-/post"), "label": "Look up one post by its link"}]
    if actor.get("role") == labelling.LABELLER:
        links.insert(0, {"href": datasette.urls.path("/-/audit"), "label": "Label audit posts"})
    return links


@hookimpl
def actor_from_request(datasette: Any, request: Any) -> Any:
    """The actor of a live server-side session (the route guard drops any
    ``ds_actor`` cookie, so this is the only way to be logged in)."""
    login = _login(datasette)
    return logins.actor_for(login, request) if login is not None else None


@hookimpl
def permission_allowed(datasette: Any, actor: Any, action: str, resource: Any) -> Any:
    """No table of the served database is shown on any page (the database
    page listed tables added after the deny-list was written); the page and
    the canned queries need none."""
    if datasette in CONTEXTS and action == "view-table":
        return False
    return None


@hookimpl_first
def register_routes(datasette: Any) -> list[tuple[str, Any]]:
    # before datasette-auth-passwords' /-/login and Datasette's /-/logout. On
    # PostgreSQL the canned queries are the page's own (Datasette serves no
    # database); the metadata names it (Datasette builds the routes in its
    # constructor, before CONTEXTS holds the instance)
    config = datasette.plugin_config(NAME) or {}
    page_database = config.get("page_database")
    canned = canned_routes.routes(_context, str(page_database)) if page_database else []
    return [(r"^/$", search_page), (r"^/-/export\.csv$", export_csv),
            (r"^/-/login$", login_page), (r"^/-/logout$", logout_page),
            (r"^/-/unanswered$", unanswered_page),
            *audit_routes.routes(_context), *actions_routes.routes(_context),
            *lookup_routes.routes(_context), *canned]


def _login(datasette: Any) -> logins.LoginContext | None:
    web = CONTEXTS.get(datasette)
    return web.login if web is not None else None


async def login_page(request: Any, datasette: Any) -> Response:
    login = _login(datasette)
    if login is None:
        return Response.text("Not found", status=404)
    return await logins.login_view(login, request, datasette)


async def logout_page(request: Any, datasette: Any) -> Response:
    login = _login(datasette)
    if login is None:
        return Response.text("Not found", status=404)
    return await logins.logout_view(login, request, datasette)


async def _read(datasette: Any, fn: Callable[[Store], Any]) -> Any:
    """``fn`` run on a Store over one of Datasette's read connections (SQLite,
    guarded by ``page_access``), or on PostgreSQL on a read-only store of the
    page's own (``PageStores``)."""
    web = _context(datasette)
    if web.stores is not None:
        return await web.stores.run(fn)
    return await datasette.get_database(web.database).execute_fn(
        lambda conn: fn(Store.for_page(conn)))


async def search_page(request: Any, datasette: Any) -> Response:
    await datasette.ensure_permissions(request.actor, ["view-instance"])
    web = _context(datasette)
    status = 200
    try:
        filters, page = pages.filters_from(request.args)
        data = await _read(datasette, lambda store: pages.compute(
            store, web.query, filters, page, web.page_size, web.trend_weeks, web.min_group,
            web.facet_limit))
    except pages.BadRequest as exc:
        data = pages.PageData(QueryFilters(), 0, error=str(exc))
    if data.error:
        status = 400
    platforms = await _read(datasette, Store.platforms)
    query_string = urlencode([(k, v) for k, vs in _pairs(request.args) for v in vs
                              if k in pages.ARGS])
    context = {
        "data": data,
        "topics": web.query.topic_names,
        "sentiments": SENTIMENTS,
        "platforms": platforms,
        "columns": COLUMNS,
        "chart": charts.chart(data.trend) if data.trend else None,
        "page_size": web.page_size,
        "max_rows": web.query.max_rows,
        "places": web.query.place_names,
        "export_url": datasette.urls.path("/-/export.csv") + "?" + query_string,
        "page_url": lambda n: "?" + urlencode(
            [(k, v) for k, vs in _pairs(request.args) for v in vs
             if k in pages.ARGS and k != "page"] + [("page", str(n))]),
        "min_group": web.min_group,
        "facet_limit": f"{web.facet_limit:,}",
    }
    html = await datasette.render_template("listener_search.html", context, request=request)
    return Response.html(html, status=status)


async def unanswered_page(request: Any, datasette: Any) -> Response:
    """Open questions and complaints to the body, longest waiting first."""
    await datasette.ensure_permissions(request.actor, ["view-instance"])
    web = _context(datasette)
    rows = await _read(datasette, web.waiting) if web.waiting is not None else []
    html = await datasette.render_template("listener_unanswered.html", {"rows": rows},
                                           request=request)
    return Response.html(html)


def _pairs(args: Any) -> list[tuple[str, list[str]]]:
    return [(key, args.getlist(key)) for key in args]


async def export_csv(request: Any, datasette: Any) -> Response:
    await datasette.ensure_permissions(request.actor, ["view-instance"])
    web = _context(datasette)
    try:
        filters, _ = pages.filters_from(request.args)
        result = await _read(datasette, lambda store: pages.export_rows(
            store, web.query, filters))
    except Exception as exc:  # bad input of any kind: a plain answer, never a 500
        message = pages.describe_error(exc)
        if message is None:
            raise
        return Response.text(message + "\n", status=400)
    name = pages.export_name(filters)
    return Response(export.to_csv(result.posts), content_type="text/csv; charset=utf-8",
                    headers={"content-disposition": f'attachment; filename="{name}"'})

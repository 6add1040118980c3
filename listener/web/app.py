"""Building the Datasette instance behind ``listener serve``.

Datasette supplies the server, login (datasette-auth-passwords: PBKDF2
hashes, signed cookie), permissions, the read-only connection with its time
limit and row cap, and page templates. Its generic table and SQL pages are
switched off: every table is denied and hidden, arbitrary SQL is off, and
the route guard answers 404 for anything the page does not need. The one
page policy staff use is the plugin page at ``/`` (see docs/query.md).
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from listener.actions import Vocabulary
from listener.config import Settings
from listener.engagement.unanswered import unanswered
from listener.query.service import QueryContext
from listener.web import plugin
from listener.web.auth import Passwords
from listener.web.login import LoginContext
from listener.web.sessions import Sessions
from listener.web.settings import ROLES
from listener.web.throttle import LoginThrottle
from storage import Store, page_access
from storage.backend import BackendError

TEMPLATES = Path(__file__).parent / "templates"


class WebConfigError(RuntimeError):
    """The web section cannot start a safe server."""


def metadata(settings: Settings, database: str | None, tables: Sequence[str],
             page_database: str | None = None) -> dict[str, Any]:
    """Datasette's metadata: every table in ``tables`` denied and hidden. The
    users' hashes are not in it: log-ins are checked by ``listener.web.login``
    from the settings. ``database`` None: Datasette serves no database (the
    store is on PostgreSQL), and the page serves the canned queries of
    ``page_database`` itself."""
    return {
        "title": f"{settings.reports.organisation}: what people are saying",
        "allow": {"role": list(ROLES)},
        # read by the plugin's routes, which Datasette builds before the
        # plugin's context exists: the database whose canned queries the page
        # serves itself (PostgreSQL) or none (SQLite: Datasette does)
        "plugins": {plugin.NAME: {"page_database": page_database}},
        "databases": {} if database is None else {
            database: {
                "allow_sql": False,
                "tables": {t: {"allow": False, "hidden": True} for t in tables},
                "queries": {name: {"sql": sql, "title": title}
                            for name, (title, sql) in page_access.canned(
                                settings.privacy.min_group_size).items()},
            }
        },
    }


def login_context(settings: Settings) -> LoginContext:
    web = settings.web
    hashes = {name: user.resolved_hash() or "" for name, user in web.users.items()}
    actors = {name: {"id": name, "role": user.role} for name, user in web.users.items()}
    return LoginContext(
        passwords=Passwords(hashes, actors),
        sessions=Sessions(web.session_hours * 3600, web.session_idle_minutes * 60),
        throttle=LoginThrottle(web.login_free_attempts, web.login_backoff_max_minutes * 60),
        secure_cookies=web.secure_cookies,
    )


def build(settings: Settings) -> Any:
    """A configured Datasette for ``settings`` (not yet serving)."""
    from datasette.app import Datasette
    from datasette.plugins import pm

    web = settings.web
    if not web.users:
        raise WebConfigError("no web users are configured: add web.users (see docs/query.md)")
    missing = [n for n, u in web.users.items() if u.resolved_hash() is None]
    if missing:
        raise WebConfigError("no password hash for web user(s) " + ", ".join(missing) +
                             ": set the environment variable named by password_hash_env")
    path = settings.database_path
    stores = None
    if settings.storage.backend == "postgresql":
        # Datasette's own pages (tables, SQL) are SQLite's: on PostgreSQL it
        # serves no database, and the page reads through storage on stores of
        # its own (docs/postgresql.md, "The page"): read-only ones for every
        # read, read-write ones for the record pages' writes
        stores = plugin.PageStores(lambda: Store.from_settings(settings.storage, path,
                                                               readonly=True))
        writers = plugin.PageStores(lambda: Store.from_settings(settings.storage, path))
        try:
            stores.store()  # a wrong DSN or a server down: refused at start, in words
        except BackendError as exc:
            stores.close()
            writers.close()
            raise WebConfigError(str(exc)) from None
        records = plugin.RecordStores(stores, writers)
        # the name the URLs give the database (the canned queries', the
        # guard's): storage.path's stem on both, so a database moved by
        # `listener db copy` keeps its URLs
        database, files, tables = path.stem, [], []
    elif not path.exists():
        raise WebConfigError(f"no database at {path}; collect some posts first")
    else:
        database, files = path.stem, [str(path)]
        records = plugin.RecordStores.on_file(path)
        with Store.open(path, readonly=True) as store:
            tables = store.tables()
    if pm.get_plugin(plugin.NAME) is None:
        pm.register(plugin, name=plugin.NAME)
    ds = Datasette(
        files=files,
        metadata=metadata(settings, None if stores else database, tables,
                          database if stores else None),
        template_dir=str(TEMPLATES),
        secret=os.environ.get(web.secret_env) or None,
        settings={
            "sql_time_limit_ms": web.time_limit_ms,
            "max_returned_rows": web.max_rows,
            "allow_download": False,
            "allow_facet": False,
            "suggest_facets": False,
            "default_allow_sql": False,
            "allow_csv_stream": False,
            "num_sql_threads": 2,
        },
    )
    plugin.CONTEXTS[ds] = plugin.WebContext(
        database=database,
        query=QueryContext.from_settings(settings, time_limit_ms=web.time_limit_ms,
                                         max_rows=web.max_rows),
        page_size=web.page_size,
        trend_weeks=web.trend_weeks,
        min_group=settings.privacy.min_group_size,
        facet_limit=web.facet_limit,
        login=login_context(settings),
        waiting=lambda store: unanswered(store, settings),
        records=records,
        actions=Vocabulary.from_settings(settings),
        stores=stores,
    )
    return ds


def serve(settings: Settings, host: str, port: int) -> None:
    import uvicorn

    try:
        ds = build(settings)
    except WebConfigError as exc:
        raise SystemExit(f"listener serve: {exc}") from None
    print(f"serving http://{host}:{port}/ (log in at /-/login)", flush=True)
    uvicorn.run(ds.app(), host=host, port=port, log_level="warning")

"""Posts dated in the future (issue 16: "created_at in 2099 or 9999 is
accepted. purge never removes it, and it sorts above everything"): new ones
are quarantined on the way in (tests/listener/platforms/file/
test_poison_rows.py); ones stored before that are moved out by purge."""

from __future__ import annotations

import json
from datetime import UTC, datetime

from listener.config import Settings
from listener.privacy.retention import purge
from storage import Store

from .conftest import count, make_post, save

NOW = datetime(2026, 12, 1, 12, tzinfo=UTC)


def test_purge_moves_posts_dated_in_the_future_to_the_quarantine(settings: Settings,
                                                                 store: Store) -> None:
    save(store, [
        make_post("1", "a real post", created=datetime(2026, 11, 30, 9, tzinfo=UTC)),
        make_post("2", "tomorrow morning by a skewed clock",
                  created=datetime(2026, 12, 2, 9, tzinfo=UTC)),
        make_post("3", "typed as 2099", created=datetime(2099, 1, 1, tzinfo=UTC)),
        make_post("4", "the end of time", created=datetime(9999, 12, 31, 23, 59, tzinfo=UTC)),
    ])

    dry = purge(settings, store, now=NOW, dry_run=True)
    assert dry.counts["future_dated_quarantined"] == 2 and count(store, "posts") == 4

    done = purge(settings, store, now=NOW)

    assert done.counts["future_dated_quarantined"] == 2
    kept = [r[0] for r in store.sql.execute("SELECT native_id FROM posts ORDER BY created_at DESC")]
    assert kept == ["2", "1"]
    assert count(store, "labels") == 2 and count(store, "raw_payloads") == 2
    errors = store.sql.execute("SELECT error, payload, source FROM quarantine ORDER BY id"
                              ).fetchall()
    assert [e[0].split(" is ")[0] for e in errors] == [
        "created_at 2099-01-01T00:00:00+00:00", "created_at 9999-12-31T23:59:00+00:00"]
    assert all("in the future" in e[0] for e in errors)
    assert json.loads(errors[0][1])["tweet"]["text"] == "typed as 2099" and errors[0][2] == "src"

"""The lookups log (``storage.lookups``) on both backends: recorded with the
user (a reserved word on PostgreSQL, quoted), listed, counted as repeated
viewing, and unlinked from the pseudonym by an erasure."""

from __future__ import annotations

from storage import Store


def test_lookups_are_logged_listed_counted_and_unlinked(any_store: Store) -> None:
    store = any_store
    first = store.lookups.record(user="cli:ann", channel="cli", action="forget-author",
                                 target="author x:abcdef12", author_key="abcdef1234")
    store.lookups.record(user="cli:bob", channel="cli", action="query-url",
                         target="post x:0123", author_key="abcdef1234")
    store.lookups.record(user="cli:ann", channel="page", action="page-url", target="post x:9")

    assert first.user == "cli:ann" and first.subject == "abcdef1234" and first.id > 0
    assert [x.user for x in store.lookups.listed(user="cli:ann")] == ["cli:ann", "cli:ann"]
    assert store.lookups.repeated() == [("abcdef1234", 2, 2)]

    assert store.lookups.unlink_author("abcdef1234") == 2
    rows = store.lookups.listed()
    assert not any(x.subject == "abcdef1234" for x in rows)
    assert [x.target for x in rows if x.action == "forget-author"] == ["author (erased)"]
    (token, looked, users), = store.lookups.repeated()
    assert token.startswith("erased:") and (looked, users) == (2, 2)

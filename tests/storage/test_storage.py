"""Storage keeps each post once, never wipes another stage's labels, and
commits a page together with its cursor: on both backends (``any_store``:
SQLite and PostgreSQL), except where a test names SQLite's own machinery
(WAL, its write lock: ``store`` alone, marked ``sqlite_only``)."""

from __future__ import annotations

import dataclasses
import hashlib
import inspect
import json
import threading
from datetime import UTC, datetime

import pytest

from storage import (
    LabelRecord,
    Post,
    Quarantined,
    StorageError,
    Store,
    StoredItem,
    collect,
    db,
    records,
)
from storage.driver import sqlite3
from tests.pg import fts_ids


def post(native_id: str, text: str = "the bins were not collected", **kw: object) -> Post:
    return Post(platform="x", native_id=native_id, text=text,
                created_at=datetime(2026, 11, 17, 9, 30, tzinfo=UTC),
                author_key=f"k{native_id}", **kw)  # type: ignore[arg-type]


def page(*posts: Post) -> list[StoredItem]:
    return [StoredItem(p, {"id": p.native_id}) for p in posts]


def label(store: Store, post_id: int, task: str, value: str, score: float) -> None:
    """A label saved by another stage (with its rollup change)."""
    store.labels.save(task, "c", "v1", None, [post_id],
                      [LabelRecord(post_id, task, value, score, "c", "v1")])


def labels_of(store: Store, post_id: int) -> list[str]:
    return [str(r[0]) for r in store.sql.execute(
        "SELECT label FROM labels WHERE post_id = ? ORDER BY label", [post_id])]


@pytest.mark.sqlite_only("SQLite's journal mode and busy timeout (PRAGMAs)")
def test_uses_wal_and_busy_timeout(store: Store) -> None:
    assert store.db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert store.db.execute("PRAGMA busy_timeout").fetchone()[0] >= 5000


def test_restoring_a_post_keeps_its_labels_and_changes_no_row(any_store: Store) -> None:
    store = any_store
    run = store.runs.start("s")
    result = store.collect.save_page(source="s", run_id=run, items=page(post("1")))
    (pid,) = result.new_ids
    label(store, pid, "topic", "waste_recycling", 1.0)
    before = store.sql.execute("SELECT * FROM posts").fetchall()
    again = store.collect.save_page(source="s", run_id=run, items=page(post("1")))
    assert (again.new, again.duplicates, again.updated) == (0, 1, 0)
    assert store.sql.execute("SELECT * FROM posts").fetchall() == before
    assert labels_of(store, pid) == ["waste_recycling"]


def test_the_content_hash_is_taken_of_the_columns_as_json_wrote_them(any_store: Store) -> None:
    """Hashes stored before stay comparable: a post seen again whose content
    did not change is not rewritten (the hash text is json's, whatever writes it)."""
    store = any_store
    run = store.runs.start("s")
    edited = post("7", 'Bins "missed" again \u2014 caf\u00e9 \U0001f926\n\tline\\two\x1f',
                  url="https://x.example/7", likes=3, replies=0, lang="en")
    store.collect.save_page(source="s", run_id=run, items=page(edited))
    columns = ("platform", "native_id", "url", "text", "title", "created_at", "author_key",
               "author_handle", "lang", "replies", "reposts", "likes", "quotes", "place",
               "in_reply_to")
    row = store.sql.execute(f"SELECT {', '.join(columns)}, content_hash FROM posts").fetchone()
    text = json.dumps(list(row[:-1]), ensure_ascii=False)
    assert row[-1] == hashlib.sha256(text.encode()).hexdigest()[:32]


@pytest.mark.parametrize("values", [
    ["x", "1", None, 'a line,\n  then "quoted", \\ and \t', "", 0, -3, None],
    ["caf\u00e9 \u2014 \U0001f926 \u2028\u2029\x7f\x1f", 2**63 - 1, -2**63, None, "[", "]"],
    ["over 64 bits", 2**64, None],  # orjson refuses it: json writes the text
    [None, None, ", ", ",", "\n"],
])
def test_the_hash_text_is_json_s_for_any_column_values(values: list[object]) -> None:
    """The content hash's text, written in one orjson call, is byte for
    byte ``json.dumps`` of the values, whatever the text holds (commas,
    line breaks and indents inside text stay text)."""
    row = dict(zip(collect._POST_COLUMNS, (values * 15)[:15], strict=True))
    expected = json.dumps([row[c] for c in collect._POST_COLUMNS], ensure_ascii=False)
    assert collect.with_hash(row)["content_hash"] == \
        hashlib.sha256(expected.encode()).hexdigest()[:32]


def _as_dataclass_builds_it(cls: type) -> type:
    return dataclasses.make_dataclass("Reference", [
        (f.name, f.type, dataclasses.field(default=f.default))
        if f.default is not dataclasses.MISSING else (f.name, f.type)
        for f in dataclasses.fields(cls)], frozen=True)


def _params(cls: type) -> list[tuple[str, object, object]]:
    return [(p.name, p.default, p.kind) for p in inspect.signature(cls).parameters.values()]


@pytest.mark.parametrize("cls", [Post, StoredItem])
def test_records_take_what_their_dataclass_init_would(cls: type) -> None:
    """``__init__`` by ``records._filling_init``: the same parameters, in the
    same order, with the same defaults."""
    assert _params(cls) == _params(_as_dataclass_builds_it(cls))


def test_a_post_is_built_as_its_dataclass_would_build_it() -> None:
    """... the same values, and the post stays frozen."""
    reference = _as_dataclass_builds_it(Post)
    built = Post("x", "1", "text", datetime(2026, 11, 17, tzinfo=UTC), None, "h", likes=2)
    assert dataclasses.asdict(built) == dataclasses.asdict(
        reference("x", "1", "text", datetime(2026, 11, 17, tzinfo=UTC), None, "h", likes=2))
    with pytest.raises(dataclasses.FrozenInstanceError):
        built.likes = 3  # type: ignore[misc]
    with pytest.raises(TypeError):
        Post("x", "1", "text")  # type: ignore[call-arg]
    with pytest.raises(TypeError):
        Post("x", "1", "text", datetime(2026, 11, 17, tzinfo=UTC), shares=1)  # type: ignore[call-arg]


def test_filling_init_refuses_a_class_whose_init_it_would_change() -> None:
    """A ``__post_init__`` (or a field it cannot build) fails at import, not
    by being skipped."""
    @dataclasses.dataclass(frozen=True)
    class Checked:
        a: int

        def __post_init__(self) -> None:
            if self.a < 0:
                raise ValueError("negative")

    @dataclasses.dataclass(frozen=True)
    class Listed:
        a: list[int] = dataclasses.field(default_factory=list)

    with pytest.raises(TypeError, match="__post_init__"):
        records._filling_init(Checked)
    with pytest.raises(TypeError, match=r"Listed\.a"):
        records._filling_init(Listed)


def test_a_post_copied_with_changes_keeps_the_rest_and_refuses_unknown_fields() -> None:
    original = post("1", likes=2)
    copy = original.but(likes=3, author_key=None)
    assert copy == dataclasses.replace(original, likes=3, author_key=None)
    assert (original.likes, original.author_key) == (2, "k1")
    with pytest.raises(TypeError, match="no field 'shares'"):
        original.but(likes=4, shares=1)


def test_changed_metrics_update_the_post_but_keep_labels(any_store: Store) -> None:
    store = any_store
    run = store.runs.start("s")
    (pid,) = store.collect.save_page(source="s", run_id=run,
                                     items=[StoredItem(post("1", likes=1), {})]).new_ids
    label(store, pid, "sentiment", "negative", -0.5)
    result = store.collect.save_page(source="s", run_id=run, items=page(post("1", likes=9)))
    assert result.updated == 1
    assert store.sql.execute("SELECT likes FROM posts").fetchone()[0] == 9
    assert labels_of(store, pid) == ["negative"]
    raw = store.sql.execute("SELECT payload FROM raw_payloads WHERE post_id = ?", [pid])
    assert json.loads(raw.fetchone()[0]) == {"id": "1"}  # the latest payload replaced the first


def test_labels_survive_the_post_changing_text_too(any_store: Store) -> None:
    store = any_store
    run = store.runs.start("s")
    (pid,) = store.collect.save_page(source="s", run_id=run, items=page(post("1"))).new_ids
    label(store, pid, "topic", "waste_recycling", 1.0)
    label(store, pid, "sentiment", "negative", -0.5)
    store.collect.save_page(source="s", run_id=run,
                            items=page(post("1", text="the bins were finally collected")))
    assert store.sql.execute("SELECT text FROM posts").fetchone()[0] == \
        "the bins were finally collected"
    assert labels_of(store, pid) == ["negative", "waste_recycling"]


def test_post_matched_by_two_queries_is_one_post_with_two_matches(any_store: Store) -> None:
    store = any_store
    run = store.runs.start("s")
    store.collect.save_page(source="s", run_id=run, items=page(post("1")), query="bins")
    store.collect.save_page(source="s", run_id=run, items=page(post("1")), query="recycling")
    store.collect.save_page(source="t", run_id=run, items=page(post("1")), query="bins")
    assert store.count_posts() == 1
    matches = store.sql.execute("SELECT source, query FROM post_matches ORDER BY 1, 2").fetchall()
    assert matches == [("s", "bins"), ("s", "recycling"), ("t", "bins")]


def test_a_page_with_an_item_storage_refuses_is_not_stored(any_store: Store) -> None:
    store = any_store
    run = store.runs.start("s")
    store.collect.save_page(source="s", run_id=run, items=page(post("1")),
                            cursor={"since_id": "1"})
    bad = Post(platform="x", native_id="2", text="x", created_at=datetime(2026, 1, 1))  # naive
    with pytest.raises(ValueError):
        store.collect.save_page(source="s", run_id=run, items=page(post("3"), bad),
                                cursor={"since_id": "3"})
    assert store.collect.cursor("s") == {"since_id": "1"}
    assert store.count_posts() == 1


def _rows(store: Store) -> dict[str, list[tuple[object, ...]]]:
    """Every row a page writes, table by table."""
    tables = ["posts", "raw_payloads", "post_matches", "quarantine", "cursors", "runs",
              "conversations", "rollup_queue"]
    if store.backend == "sqlite":
        tables.append("posts_fts")
    return {table: store.sql.execute(f"SELECT * FROM {table} ORDER BY 1").fetchall()
            for table in tables}


# a trigger that refuses the cursor's update, standing in for a full disk
_REFUSE_CURSOR = {
    "sqlite": ["CREATE TEMP TRIGGER refuse_cursor BEFORE UPDATE ON main.cursors"
               " WHEN NEW.value = '3' BEGIN SELECT RAISE(ABORT, 'cursor write refused'); END"],
    "postgresql": [
        "CREATE FUNCTION refuse_cursor() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN"
        " RAISE EXCEPTION 'cursor write refused'; END $$",
        "CREATE TRIGGER refuse_cursor BEFORE UPDATE ON cursors FOR EACH ROW"
        " WHEN (NEW.value = '3') EXECUTE FUNCTION refuse_cursor()"],
}
_ALLOW_CURSOR = {"sqlite": ["DROP TRIGGER refuse_cursor"],
                 "postgresql": ["DROP TRIGGER refuse_cursor ON cursors"]}


def test_page_and_cursor_commit_together_or_not_at_all(any_store: Store) -> None:
    """The cursor is written after the page's posts, raw payloads, matches and
    quarantined items; when the database refuses it (a trigger stands in for
    a full disk or a constraint), none of the page is kept and the cursor and
    run counters stay where the last page left them."""
    store = any_store
    run = store.runs.start("s")
    store.collect.save_page(source="s", run_id=run, items=page(post("1")),
                            cursor={"since_id": "1"})
    before = _rows(store)
    for statement in _REFUSE_CURSOR[store.backend]:
        store.sql.execute(statement)
    with pytest.raises(Exception, match="cursor write refused"):
        store.collect.save_page(source="s", run_id=run, items=page(post("2"), post("3")),
                                quarantined=[Quarantined("x", "bad", {"id": "4"})],
                                query="bins", cursor={"since_id": "3"})
    assert _rows(store) == before
    assert not store.sql.in_transaction
    for statement in _ALLOW_CURSOR[store.backend]:
        store.sql.execute(statement)
    store.collect.save_page(source="s", run_id=run, items=page(post("2"), post("3")),
                            cursor={"since_id": "3"})  # the same page, once the disk is back
    assert store.count_posts() == 3 and store.collect.cursor("s") == {"since_id": "3"}


def test_new_posts_take_the_next_ids_in_page_order(any_store: Store,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    """Ids are chosen in the page's transaction (max + 1 onwards, as SQLite
    would), one per distinct post, and every row of a post carries its id,
    also when the page takes several statements."""
    store = any_store
    monkeypatch.setattr(db, "VALUES_ROWS", 2)
    run = store.runs.start("s")
    first = store.collect.save_page(source="s", run_id=run, items=page(post("1"), post("2"),
                                                                       post("3")))
    assert first.new_ids == [1, 2, 3]
    with store.sql.transaction():
        store.sql.execute("DELETE FROM posts WHERE id = 3")
    items = [StoredItem(post(n, text=f"word{n} about bins"), {"id": n})
             for n in ("4", "5", "4", "6", "2")]
    result = store.collect.save_page(source="s", run_id=run, items=items, query="q")
    assert (result.new, result.duplicates, result.new_ids) == (3, 2, [3, 4, 5])
    assert store.sql.execute("SELECT id, native_id FROM posts ORDER BY id").fetchall() == [
        (1, "1"), (2, "2"), (3, "4"), (4, "5"), (5, "6")]
    assert [json.loads(r[1])["id"] for r in store.sql.execute(
        "SELECT post_id, payload FROM raw_payloads WHERE post_id >= 3 ORDER BY post_id")] == [
        "4", "5", "6"]
    assert store.sql.execute("SELECT post_id FROM post_matches WHERE query = 'q'"
                             " ORDER BY 1").fetchall() == [(2,), (3,), (4,), (5,)]
    for pid, native in ((3, "4"), (4, "5"), (5, "6")):
        assert fts_ids(store, f"word{native}") == [pid]
    assert store.sql.execute("SELECT post_id FROM conversations ORDER BY 1").fetchall() == [
        (1,), (2,), (3,), (4,), (5,)]
    assert store.rollups.queued() == 5


def test_an_edited_post_is_indexed_again_and_keeps_its_labels(any_store: Store) -> None:
    store = any_store
    run = store.runs.start("s")
    (pid,) = store.collect.save_page(source="s", run_id=run,
                                     items=page(post("1", text="potholes on Mill Lane"))).new_ids
    store.labels.save("topic", "topics.keywords", "v1", "h", [pid],
                      [LabelRecord(pid, "topic", "roads_potholes", 1.0, "topics.keywords", "v1")])
    result = store.collect.save_page(source="s", run_id=run,
                                     items=page(post("1", text="flytipping on Mill Lane",
                                                     likes=3)))
    assert result.updated == 1
    assert fts_ids(store, "flytipping") == [pid]
    assert fts_ids(store, "potholes") == []
    assert store.sql.execute("SELECT likes FROM posts").fetchone()[0] == 3
    assert [lab.label for lab in store.labels.for_post(pid)] == ["roads_potholes"]
    store.collect.save_page(source="s", run_id=run,  # engagement alone: the text stays indexed
                            items=page(post("1", text="flytipping on Mill Lane", likes=7)))
    assert fts_ids(store, "flytipping") == [pid]
    assert store.sql.execute("SELECT likes FROM posts").fetchone()[0] == 7
    assert store.rollups.check() == []


def test_quarantine_keeps_payload_and_error_while_page_is_stored(any_store: Store) -> None:
    store = any_store
    run = store.runs.start("s")
    result = store.collect.save_page(source="s", run_id=run, items=[StoredItem(post("1"), {})],
                                     quarantined=[Quarantined("x", "missing id", {"text": "hi"})])
    assert (result.new, result.quarantined) == (1, 1)
    row = store.sql.execute("SELECT platform, error, payload, run_id FROM quarantine").fetchone()
    assert (row[0], row[1], json.loads(row[2]), row[3]) == ("x", "missing id", {"text": "hi"}, run)
    (record,) = store.runs.recent("s")
    assert (record.fetched, record.new, record.quarantined) == (2, 1, 1)


def test_full_text_search_finds_inflections_and_follows_deletes(any_store: Store) -> None:
    store = any_store
    run = store.runs.start("s")
    (pid,) = store.collect.save_page(
        source="s", run_id=run,
        items=[StoredItem(post("1", text="Potholes on Mill Lane"), {})]).new_ids
    assert fts_ids(store, "pothole") == [pid]
    with store.sql.transaction():
        store.sql.execute("DELETE FROM posts")
    assert fts_ids(store, "pothole") == []


def test_clear_handle_of_a_non_official_author_is_refused(any_store: Store) -> None:
    store = any_store
    run = store.runs.start("s")
    with pytest.raises(StorageError, match="official"):
        store.collect.save_page(source="s", run_id=run,
                                items=[StoredItem(post("1", author_handle="someone"), {})])


def test_blocked_author_is_not_stored(any_store: Store) -> None:
    store = any_store
    assert store.blocklist.block_author("k1") == 1
    assert store.blocklist.block_author("k1") == 0  # once
    assert store.blocklist.block_post("x", "3") == 1
    run = store.runs.start("s")
    result = store.collect.save_page(
        source="s", run_id=run,
        items=[StoredItem(post("1"), {}), StoredItem(post("2"), {}), StoredItem(post("3"), {})])
    assert (result.new, result.blocked) == (1, 2)
    assert [r[0] for r in store.sql.execute("SELECT native_id FROM posts")] == ["2"]


def test_labels_round_trip_with_classifier_version_and_model(any_store: Store) -> None:
    store = any_store
    run = store.runs.start("s")
    (pid,) = store.collect.save_page(source="s", run_id=run, items=page(post("1"))).new_ids
    assert list(store.labels.posts_to_label("topic")) == [[(pid, "the bins were not collected")]]
    store.labels.save("topic", "topics.keywords", "v1", "abc", [pid],
                      [LabelRecord(pid, "topic", "waste_recycling", 1.0, "topics.keywords", "v1",
                                   "config:abc", ("bin", "collected"))])
    assert list(store.labels.posts_to_label("topic")) == []
    assert len(list(store.labels.posts_to_label("topic", relabel=True))) == 1
    (label,) = store.labels.for_post(pid)
    assert (label.classifier, label.version, label.model_id, label.evidence) == (
        "topics.keywords", "v1", "config:abc", ("bin", "collected"))


def test_a_label_save_replaces_its_task_only_and_a_label_given_twice_keeps_the_last(
        any_store: Store) -> None:
    store = any_store
    run = store.runs.start("s")
    a, b = store.collect.save_page(source="s", run_id=run,
                                   items=page(post("1"), post("2"))).new_ids
    label(store, a, "sentiment", "negative", 0.9)
    store.labels.save("topic", "t", "v1", "h", [a, b], [
        LabelRecord(a, "topic", "parks", 1.0, "t", "v1", None, ("park",)),
        LabelRecord(b, "topic", "roads", 1.0, "t", "v1")])
    store.labels.save("topic", "t", "v2", "h", [a], [  # again, a label given twice
        LabelRecord(a, "topic", "bins", 0.5, "t", "v2", None, ("bin",)),
        LabelRecord(a, "topic", "bins", 0.7, "t", "v2", None, ("bins",))])
    got = [(lab.task, lab.label, lab.score, lab.version, lab.evidence)
           for lab in store.labels.for_post(a)]
    assert got == [("sentiment", "negative", 0.9, "v1", ()),
                   ("topic", "bins", 0.7, "v2", ("bins",))]
    assert labels_of(store, b) == ["roads"]
    assert store.labels.count_to_label("topic") == 0
    assert store.labels.count_to_label("place") == 2
    assert store.labels.count_to_label("topic", relabel=True, since="2026-11-18") == 0
    assert [len(batch) for batch in store.labels.posts_to_label(
        "place", batch_size=1)] == [1, 1]


def test_config_versions_are_recorded_once(any_store: Store) -> None:
    store = any_store
    assert store.config_versions.record("h1", "topics: {}", "config.yaml")
    assert not store.config_versions.record("h1", "topics: {}", "config.yaml")
    assert store.config_versions.record("h2", "topics: {a: 1}", "config.yaml")
    assert [v[0] for v in store.config_versions.history()] == ["h1", "h2"]


def test_usage_counters_add_up_per_source_and_month(any_store: Store) -> None:
    usage = any_store.usage
    assert usage.add_reads("x", 10, "2026-11") == 10
    assert usage.add_reads("x", 5, "2026-11") == 15
    usage.add_reads("x", 1, "2026-12")
    usage.add_reads("y", 2, "2026-11")
    assert usage.reads_used("x", "2026-11") == 15
    assert [(r.source, r.period, r.reads) for r in usage.records()] == [
        ("x", "2026-12", 1), ("x", "2026-11", 15), ("y", "2026-11", 2)]


@pytest.mark.sqlite_only("SQLite's write lock; on PostgreSQL writers queue on an advisory lock: "
                         "test_two_collectors_storing_the_same_posts_at_once_keep_each_once")
def test_second_writer_waits_for_the_lock_instead_of_failing(tmp_path: object) -> None:
    path = f"{tmp_path}/w.db"
    store = Store.open(path)
    other = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    other.execute("BEGIN IMMEDIATE")  # another process holds the write lock ...
    release = threading.Timer(0.5, lambda: other.execute("COMMIT"))
    release.start()  # ... and lets go half a second later
    run = store.runs.start("s")  # waits on the busy timeout rather than raising
    release.join()
    assert [r.id for r in store.runs.recent("s")] == [run]

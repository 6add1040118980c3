"""Several services on one database (issue 21): the per-source collection
lock and the calendar jobs' claims, on both backends."""

from __future__ import annotations

import threading

import pytest

from storage import Store


def test_a_source_is_collected_by_one_store_at_a_time_on_postgresql(pg_dsn: str) -> None:
    with Store.open_postgresql(pg_dsn) as one, Store.open_postgresql(pg_dsn) as two:
        with one.runs.collecting("alpha") as mine:
            assert mine
            with two.runs.collecting("alpha") as theirs:
                assert not theirs  # held by the other: skipped, not waited for
            with two.runs.collecting("beta") as other_source:
                assert other_source  # disjoint sources go on at once
            with one.runs.collecting("alpha") as again:
                assert again  # the holder may take it again (nested)
            with two.runs.collecting("alpha") as still:
                assert not still  # ... and the nested release kept it held
        with two.runs.collecting("alpha") as after:
            assert after  # released at the end of the block


def test_the_lock_goes_with_a_dead_process_connection(pg_dsn: str) -> None:
    with Store.open_postgresql(pg_dsn) as two:
        one = Store.open_postgresql(pg_dsn)
        held = one.runs.collecting("alpha")
        assert held.__enter__()
        pid = one.sql.execute("SELECT pg_backend_pid()").fetchone()[0]
        # the process dies: the server ends its session (waiting up to 30 s for it to end)
        assert two.sql.execute("SELECT pg_terminate_backend(?, 30000)", [pid]).fetchone()[0]
        with two.runs.collecting("alpha") as mine:
            assert mine
        one.sql.close()


@pytest.mark.sqlite_only("SQLite's answer (one process a file); PostgreSQL's: the tests above")
def test_sqlite_has_one_collecting_process_so_the_lock_is_always_had(store: Store) -> None:
    with store.runs.collecting("alpha") as one, store.runs.collecting("alpha") as two:
        assert one and two


def test_abandoned_runs_are_closed_unless_another_process_collects_them(pg_dsn: str) -> None:
    with Store.open_postgresql(pg_dsn) as live, Store.open_postgresql(pg_dsn) as starting:
        with live.runs.collecting("alpha") as mine:
            assert mine
            running = live.runs.start("alpha")  # another service collecting it now
            killed = starting.runs.start("beta")  # left by a process that was killed
            assert starting.runs.close_abandoned() == 1
            assert starting.runs.close_abandoned("alpha") == 0
            assert live.runs.last("alpha").status == "running"
            assert starting.runs.last("beta").status == "interrupted"
            live.runs.finish(running, "ok")
        assert live.runs.last("alpha").status == "ok"
        assert killed


def test_a_calendar_jobs_turn_is_claimed_once(any_store: Store) -> None:
    state = any_store.service
    assert state.claim("report", "2026-11-30", "host-a:1", "2026-12-07T07:00:00+00:00")
    assert not state.claim("report", "2026-11-30", "host-b:2", None)
    assert state.claim("report", "2026-12-07", "host-b:2", None)  # the next turn
    assert state.claim("housekeeping", "2026-11-30", "host-b:2", None)  # another job
    assert state.claims("report") == [("2026-11-30", "host-a:1"), ("2026-12-07", "host-b:2")]
    job = state.jobs()["report"]
    assert job.last_started_at is not None  # marked started with the claim


def test_two_services_claiming_at_the_same_moment_run_the_job_once(pg_dsn: str) -> None:
    stores = [Store.open_postgresql(pg_dsn) for _ in range(4)]
    start = threading.Barrier(len(stores))
    won: list[str] = []
    errors: list[BaseException] = []

    def claim(store: Store, holder: str) -> None:
        try:
            start.wait()
            if store.service.claim("report", "2026-11-30", holder, None):
                won.append(holder)
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=claim, args=(s, f"h:{n}")) for n, s in enumerate(stores)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    for s in stores:
        s.close()
    assert errors == []
    assert len(won) == 1


def test_old_claims_go(any_store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("storage.service_state.CLAIMS_KEPT", 2)
    for day in ("2026-11-28", "2026-11-29", "2026-11-30"):
        assert any_store.service.claim("housekeeping", day, "h:1", None)
    assert [p for p, _ in any_store.service.claims("housekeeping")] == \
        ["2026-11-29", "2026-11-30"]

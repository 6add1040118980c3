"""The service's own tables on both backends: small JSON facts and each
scheduled job's next and last runs (what ``listener status`` reads)."""

from __future__ import annotations

from storage import Store


def test_facts_are_json_and_replaced_by_key(any_store: Store) -> None:
    service = any_store.service
    service.put("instance", {"pid": 1, "host": "a"})
    service.put("instance", {"pid": 2, "host": "a"})
    assert service.get("instance") == {"pid": 2, "host": "a"}
    service.delete("instance")
    assert service.get("instance") is None


def test_jobs_keep_their_history_and_only_scheduled_ones_a_next_run(any_store: Store) -> None:
    service = any_store.service
    service.set_next_runs({"collect:a": "2026-12-04T10:00:00Z", "report": None})
    service.job_started("collect:a", "2026-12-04T10:30:00Z")
    service.job_finished("collect:a", "ok")
    service.job_started("report", None)
    service.job_finished("report", "failed", "boom")
    service.set_next_runs({"report": "2026-12-07T08:00:00Z"})  # collect:a unscheduled
    jobs = service.jobs()
    assert list(jobs) == ["collect:a", "report"]
    a, report = jobs["collect:a"], jobs["report"]
    assert (a.next_run_at, a.last_status, a.last_error) == (None, "ok", None)
    assert a.last_success_at == a.last_finished_at is not None
    assert (report.next_run_at, report.last_status, report.last_error,
            report.last_success_at) == ("2026-12-07T08:00:00Z", "failed", "boom", None)

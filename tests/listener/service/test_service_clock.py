"""The schedule under a controlled clock (time-machine): the weekly report
across the Europe/London clock changes, a 30-minute outage, a slow job."""

from __future__ import annotations

import threading
import time
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from apscheduler.events import EVENT_JOB_MAX_INSTANCES
from apscheduler.executors.pool import ThreadPoolExecutor

from listener.service.clock import previous_fire
from listener.service.scheduler import Schedule, job_specs
from tests.listener.service.helpers import (
    LONDON,
    Recorder,
    SteppedScheduler,
    settings_from_yaml,
    two_sources,
)


def _run_window(scheduler: SteppedScheduler, settings_text: str, start: datetime,
                end: datetime, step: timedelta) -> Recorder:
    """Start the service's schedule at ``start`` and step the clock to ``end``."""
    recorder = Recorder()
    settings = settings_from_yaml(settings_text)
    with time_machine.travel(start, tick=False) as clock:
        Schedule(scheduler).apply(job_specs(settings, recorder, now=datetime.now(UTC)))
        scheduler.start()
        moment = start
        while moment <= end:
            clock.move_to(moment)
            scheduler.step()
            moment += step
    return recorder


# (the Saturday before a clock change, the Tuesday after), local time
CLOCK_CHANGES = {
    "spring 2027": (datetime(2027, 3, 27, tzinfo=LONDON), datetime(2027, 3, 30, tzinfo=LONDON)),
    "autumn 2026": (datetime(2026, 10, 24, tzinfo=LONDON), datetime(2026, 10, 27, tzinfo=LONDON)),
    "autumn 2027": (datetime(2027, 10, 30, tzinfo=LONDON), datetime(2027, 11, 2, tzinfo=LONDON)),
}


@pytest.mark.parametrize("change", list(CLOCK_CHANGES))
def test_weekly_report_runs_exactly_once_across_a_clock_change(stepped, change):
    start, end = CLOCK_CHANGES[change]
    recorder = _run_window(stepped, "sources: {}\n", start, end, timedelta(minutes=5))
    (ran,) = recorder.times("report")
    local = ran.astimezone(LONDON)
    assert (local.weekday(), local.hour, local.minute) == (0, 7, 0)
    # housekeeping: once per local day (Saturday, Sunday, Monday), at 03:15 local
    days = [t.astimezone(LONDON) for t in recorder.times("housekeeping")]
    assert [(d.day, d.hour, d.minute) for d in days] == [
        ((start + timedelta(days=i)).day, 3, 15) for i in range(3)]


@pytest.mark.parametrize("change", list(CLOCK_CHANGES))
def test_housekeeping_inside_the_changing_hour_runs_once_a_day(stepped, change):
    """01:30 does not exist on the spring day and happens twice on the autumn
    day: housekeeping still runs once each day, a Sunday 01:30 report once."""
    start, end = CLOCK_CHANGES[change]
    text = ("sources: {}\nservice:\n  housekeeping_time: '01:30'\n  report_day: sun\n"
            "  report_time: '01:30'\n")
    recorder = _run_window(stepped, text, start, end, timedelta(minutes=5))
    days = [t.astimezone(LONDON).date() for t in recorder.times("housekeeping")]
    assert days == [(start + timedelta(days=i)).date() for i in range(3)]
    (report,) = recorder.times("report")  # the Sunday of the change, once
    assert report.astimezone(LONDON).date() == (start + timedelta(days=1)).date()


def test_weekly_trigger_is_monday_seven_local_all_year():
    settings = settings_from_yaml("sources: {}\n")
    trigger = job_specs(settings, Recorder(), now=datetime.now(UTC))["report"].trigger
    moment = trigger.get_next_fire_time(None, datetime(2026, 10, 1, tzinfo=UTC))
    fires = []
    while moment < datetime(2027, 11, 15, tzinfo=UTC):
        fires.append(moment)
        moment = trigger.get_next_fire_time(moment, moment + timedelta(seconds=1))
    local = [f.astimezone(LONDON) for f in fires]
    assert all((t.weekday(), t.hour, t.minute) == (0, 7, 0) for t in local)
    weeks = [t.isocalendar()[:2] for t in local]
    assert len(weeks) == len(set(weeks)) == 58  # one per ISO week, none skipped or doubled
    assert previous_fire(trigger, fires[3] + timedelta(hours=1), timedelta(days=8)) == fires[3]


def test_after_a_30_minute_outage_each_job_runs_once(stepped):
    settings = two_sources(5, 10, "service:\n  housekeeping_time: '07:05'\n")
    recorder = Recorder()
    start = datetime(2026, 11, 30, 6, 40, tzinfo=LONDON)  # a Monday
    with time_machine.travel(start, tick=False) as clock:
        Schedule(stepped).apply(job_specs(settings, recorder, now=datetime.now(UTC)))
        stepped.start()
        for minute in range(0, 11):
            clock.move_to(start + timedelta(minutes=minute))
            stepped.step()
        before = {job: recorder.count(job) for job in
                  ("collect:a", "collect:b", "report", "housekeeping")}
        assert before == {"collect:a": 3, "collect:b": 2, "report": 0, "housekeeping": 0}
        # the host sleeps from 06:50 to 07:20: six turns of a, three of b, the
        # report (07:00) and housekeeping (07:05) all fall inside
        clock.move_to(start + timedelta(minutes=40, seconds=20))
        stepped.step()
        after = {job: recorder.count(job) - n for job, n in before.items()}
        assert after == {"collect:a": 1, "collect:b": 1, "report": 1, "housekeeping": 1}
        clock.move_to(start + timedelta(minutes=41))
        stepped.step()
        assert recorder.count("collect:a") == before["collect:a"] + 1
        assert "collect:spare" not in {job for job, _ in recorder.runs}


def test_a_slow_job_never_overlaps_itself():
    release = threading.Event()
    recorder = Recorder(hold=release)
    skipped = []
    scheduler = SteppedScheduler(timezone=UTC, executors={"default": ThreadPoolExecutor(4)})
    scheduler.add_listener(lambda event: skipped.append(event.job_id), EVENT_JOB_MAX_INSTANCES)
    settings = settings_from_yaml("sources:\n  a:\n    type: sample\n    interval_minutes: 1\n")
    start = datetime(2026, 12, 2, 12, 0, tzinfo=UTC)
    try:
        with time_machine.travel(start, tick=False) as clock:
            Schedule(scheduler).apply(job_specs(settings, recorder, now=start))
            scheduler.start()
            scheduler.step()
            assert recorder.started.wait(10)
            for minute in range(1, 6):  # five more turns come due while it runs
                clock.move_to(start + timedelta(minutes=minute))
                scheduler.step()
            assert recorder.count("collect:a") == 1
            assert skipped.count("collect:a") == 5
            release.set()
            deadline = time.monotonic() + 20
            minute = 6
            while recorder.count("collect:a") < 2 and time.monotonic() < deadline:
                clock.move_to(start + timedelta(minutes=minute))
                scheduler.step()
                minute += 1
                time.sleep(0.05)
            assert recorder.count("collect:a") == 2
    finally:
        release.set()
        scheduler.shutdown(wait=True)
    assert recorder.most_at_once == 1


def test_daily_alert_check_is_scheduled_only_with_a_channel_and_runs_once_a_day(stepped):
    quiet = settings_from_yaml("sources: {}\n")
    assert "alerts" not in job_specs(quiet, Recorder(), now=datetime.now(UTC))
    text = ("sources: {}\nreports:\n  alerts:\n    webhook_url_env: TEAMS_WEBHOOK\n"
            "service:\n  alerts_time: '08:00'\n")
    # across the autumn change: the alert check runs at 08:00 local each day, once
    start = datetime(2026, 10, 23, 12, tzinfo=UTC)
    recorder = _run_window(stepped, text, start, start + timedelta(days=4),
                           timedelta(minutes=15))
    times = [t.astimezone(LONDON) for t in recorder.times("alerts")]
    assert [t.date().isoformat() for t in times] == [
        "2026-10-24", "2026-10-25", "2026-10-26", "2026-10-27"]
    assert all(t.hour == 8 and t.minute < 15 for t in times)


ROUTING = """sources: {}
topics:
  waste_recycling: {label: Bins, terms: [bin]}
  roads_potholes: {label: Roads, terms: [pothole]}
routing:
  teams:
    - {name: waste, topics: [waste_recycling], webhook_url_env: W, at: "07:30"}
    - {name: highways, topics: [roads_potholes], webhook_url_env: H, schedule: immediate}
    - {name: parks, topics: [waste_recycling], webhook_url_env: P, enabled: false}
"""


def test_a_daily_team_digest_runs_at_its_local_time_once_a_day(stepped):
    # immediate teams go after each collection (jobs.py), disabled ones never
    specs = job_specs(settings_from_yaml(ROUTING), Recorder(), now=datetime.now(UTC))
    assert [job for job in specs if job.startswith("digest:")] == ["digest:waste"]
    start = datetime(2026, 10, 23, 12, tzinfo=UTC)  # across the autumn clock change
    recorder = _run_window(stepped, ROUTING, start, start + timedelta(days=3),
                           timedelta(minutes=15))
    times = [t.astimezone(LONDON) for t in recorder.times("digest:waste")]
    assert [t.date().isoformat() for t in times] == ["2026-10-24", "2026-10-25", "2026-10-26"]
    assert all((t.hour, t.minute // 15) == (7, 2) for t in times)

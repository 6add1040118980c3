"""``listener demo``: the whole job on the embedded sample, end to end."""

from __future__ import annotations

from datetime import date, timedelta

import typer

from listener import pipeline
from listener.cli.common import collecting, open_recording, settings_from
from listener.cli.progress import bars, page_counter
from listener.config import Settings
from listener.reporting import write_weekly_report
from listener.routing.cases import cases
from reports import latest_complete_week
from storage import Store
from storage.actions import ActionFields
from storage.timefmt import parse_week, week_bounds

DEMO_TOPIC = "waste_recycling"
DEMO_ACTION = "Extra crews sent to clear missed bin collections during the strike"


def report_week_start(settings: Settings, store: Store) -> date | None:
    """The first local day of the week the demo reports on."""
    week = latest_complete_week(store, settings.reports.timezone)
    if week is None:
        return None
    return week_bounds(*parse_week(week), settings.reports.timezone)[0].date()


def demo_action(settings: Settings, store: Store) -> str | None:
    """Record the demo's one action (once): on the bins topic, on the
    Thursday of the report's week, so that the report's "What we did and
    what changed since" has figures before and since."""
    start = report_week_start(settings, store)
    if DEMO_TOPIC not in settings.topics or start is None:
        return None
    day = (start + timedelta(days=3)).isoformat()
    if not any(a.fields.text == DEMO_ACTION for a in store.actions.listed(topic=DEMO_TOPIC)):
        store.actions.add(ActionFields(topic=DEMO_TOPIC, day=day, text=DEMO_ACTION),
                          "demo")
    return day


def register(app: typer.Typer) -> None:
    @app.command()
    def demo(ctx: typer.Context) -> None:
        """Collect the sample, classify it, write the latest complete week's report.

        Prints where everything went. Needs no credentials and no network."""
        settings = settings_from(ctx, check_credentials=False)
        store = open_recording(settings)
        names = [n for n, cfg in settings.sources.items() if cfg.type == "sample" and cfg.enabled]
        if not names:
            typer.echo("demo needs an enabled source of type: sample in the config", err=True)
            raise typer.Exit(1)
        with collecting(settings, "demo"), bars() as shown:
            summaries = [s for name in names for s in pipeline.collect(
                settings, store, only=name,
                on_page=lambda source, pages, posts: page_counter(shown, source)(pages, posts))]
        for s in summaries:
            typer.echo(f"collected {s.source}: {s.new} new posts, {s.duplicates} already "
                       f"stored or found twice, {s.quarantined} quarantined ({s.status})")
            if s.error:
                typer.echo(f"  error: {s.error}", err=True)
                raise typer.Exit(1)
        if any(s.duplicates for s in summaries):
            typer.echo("  (a post that two of the sample's searches find is stored once, with "
                       "both matches; it counts as found twice)")
        with bars() as shown:
            counts = pipeline.classify(settings, store, on_batch=lambda task, done, total:
                                       shown.update(task, f"classifying ({task})", done, total))
        for task, n in counts.items():
            typer.echo(f"classified {n} posts ({task})")
        day = demo_action(settings, store)
        if day:
            typer.echo(f"action log: \"{DEMO_ACTION}\" on {day} (listener action list)")
        week_start = report_week_start(settings, store) or date.today()
        for team in settings.routing.teams:
            routed = cases(settings, store, team, week_start)
            typer.echo(f"routing: team {team.name} ({', '.join(team.topics)}) would get "
                       f"{len(routed)} posts from the report week "
                       f"({'enabled' if team.enabled else 'disabled'}; see: listener "
                       f"digest preview --team {team.name})")
        with bars() as shown:
            shown.step("writing the report")
            paths = write_weekly_report(settings, store, None)
        typer.echo(f"database: {settings.database_name}")
        for path in paths:
            typer.echo(f"report: {path}")

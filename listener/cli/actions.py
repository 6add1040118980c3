"""``listener action add|list|correct|history``: the action log ("you said,
we did"). Each addition and correction is recorded with the account that
ran the command (``cli:<account>``) and the time; ``history`` shows the
trail, before and after."""

from __future__ import annotations

import json
from typing import Any

import typer

from listener.actions import (
    ActionError,
    Vocabulary,
    changes_from,
    fields_from,
    parse_day,
    topic_slug,
)
from listener.cli.common import open_store, settings_from
from listener.privacy.lookups import cli_viewer
from storage.actions import Action

TOPIC = typer.Option(..., "--topic", "-t", help="Topic key or name, e.g. waste_recycling.")
PLACE = typer.Option(None, "--place", help="Place key or name (nlp.places), if the action "
                     "was in one place.")
DAY = typer.Option(..., "--date", "-d", help="The day it took effect, YYYY-MM-DD (local).")
TEXT = typer.Option(..., "--text", help="What was done, in one line, e.g. \"Extra crews sent "
                    "to clear missed collections\".")
LINK = typer.Option(None, "--link", help="A public page about it (https://...).")


def _line(a: Action) -> str:
    f = a.fields
    state = " [withdrawn]" if f.withdrawn else ""
    return (f"{a.id:>4}  {f.day}  {f.topic:<22} {f.place or '-':<14} {f.text}"
            + (f"  <{f.link}>" if f.link else "") + f"  (by {a.created_by}){state}")


def register(app: typer.Typer) -> None:
    action = typer.Typer(help="The action log: what was done about a topic (\"you said, we "
                              "did\").", no_args_is_help=True)
    app.add_typer(action, name="action")

    @action.command("add")
    def add(ctx: typer.Context, topic: str = TOPIC, day: str = DAY, text: str = TEXT,
            place: str | None = PLACE, link: str | None = LINK) -> None:
        """Record an action; the report compares its topic before and since."""
        settings = settings_from(ctx, check_credentials=False, check_words=False)
        try:
            fields = fields_from(Vocabulary.from_settings(settings), topic=topic, day=day,
                                 text=text, place=place, link=link)
        except ActionError as exc:
            typer.echo(str(exc), err=True)
            raise typer.Exit(2) from None
        with open_store(settings) as store:
            added = store.actions.add(fields, cli_viewer().user)
        typer.echo(f"recorded action {added.id}:")
        typer.echo(_line(added))

    @action.command("list")
    def listed(
        ctx: typer.Context,
        topic: str | None = typer.Option(None, "--topic", "-t", help="Only this topic."),
        since: str | None = typer.Option(None, "--since", help="From this day, YYYY-MM-DD."),
        withdrawn: bool = typer.Option(False, "--withdrawn", help="Include withdrawn ones."),
        as_json: bool = typer.Option(False, "--json", help="JSON instead of a table."),
    ) -> None:
        """The actions recorded, oldest first."""
        settings = settings_from(ctx, check_credentials=False, check_words=False)
        try:
            slug = topic_slug(Vocabulary.from_settings(settings).topics, topic) if topic else None
            first = parse_day(since, settings.reports.timezone) if since else None
        except ActionError as exc:
            typer.echo(str(exc), err=True)
            raise typer.Exit(2) from None
        with open_store(settings) as store:
            found = store.actions.listed(first_day=first, topic=slug, withdrawn=withdrawn)
        if as_json:
            typer.echo(json.dumps([{"id": a.id, **vars(a.fields), "created_by": a.created_by,
                                    "created_at": a.created_at, "updated_at": a.updated_at}
                                   for a in found], ensure_ascii=False, indent=2))
            return
        for a in found:
            typer.echo(_line(a))
        if not found:
            typer.echo("no action recorded" + (f" for {slug}" if slug else ""))

    @action.command("correct")
    def correct(
        ctx: typer.Context,
        action_id: int = typer.Argument(..., help="The action's number (listener action list)."),
        topic: str | None = typer.Option(None, "--topic", "-t"),
        day: str | None = typer.Option(None, "--date", "-d"),
        text: str | None = typer.Option(None, "--text"),
        place: str | None = typer.Option(None, "--place", help="'' clears it."),
        link: str | None = typer.Option(None, "--link", help="'' clears it."),
        withdraw: bool | None = typer.Option(None, "--withdraw/--restore",
                                             help="Withdraw an action recorded in error (it is "
                                                  "kept, with its trail), or restore it."),
        reason: str | None = typer.Option(None, "--reason", help="Why, for the trail."),
    ) -> None:
        """Correct an action; the trail keeps who, when, and the fields before and after."""
        settings = settings_from(ctx, check_credentials=False, check_words=False)
        try:
            changes: dict[str, Any] = changes_from(Vocabulary.from_settings(settings), {
                "topic": topic, "day": day, "text": text, "place": place, "link": link})
        except ActionError as exc:
            typer.echo(str(exc), err=True)
            raise typer.Exit(2) from None
        if withdraw is not None:
            changes["withdrawn"] = withdraw
        with open_store(settings) as store:
            try:
                done = store.actions.correct(action_id, cli_viewer().user, changes, reason)
            except KeyError:
                typer.echo(f"there is no action {action_id} (listener action list)", err=True)
                raise typer.Exit(2) from None
            except ValueError as exc:
                typer.echo(str(exc), err=True)
                raise typer.Exit(2) from None
        typer.echo(f"corrected action {done.id}:")
        typer.echo(_line(done))

    @action.command("history")
    def history(ctx: typer.Context, action_id: int = typer.Argument(...)) -> None:
        """Every change to an action: who, when, before and after."""
        settings = settings_from(ctx, check_credentials=False, check_words=False)
        with open_store(settings) as store:
            trail = store.actions.history(action_id)
        if not trail:
            typer.echo(f"there is no action {action_id}", err=True)
            raise typer.Exit(2)
        for edit in trail:
            if edit.before is None:
                typer.echo(f"{edit.edited_at}  {edit.edited_by}  added: "
                           + json.dumps(edit.after, ensure_ascii=False, sort_keys=True))
                continue
            changed = {k: (edit.before.get(k), v) for k, v in edit.after.items()
                       if edit.before.get(k) != v}
            typer.echo(f"{edit.edited_at}  {edit.edited_by}  corrected"
                       + (f" ({edit.reason})" if edit.reason else "") + ": "
                       + "; ".join(f"{k}: {json.dumps(b, ensure_ascii=False)} -> "
                                   f"{json.dumps(a, ensure_ascii=False)}"
                                   for k, (b, a) in changed.items()))

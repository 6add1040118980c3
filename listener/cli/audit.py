"""``listener audit draw|export|load|list``: the audit loop that measures how
accurate the labels are (docs/nlp.md, "The audit loop")."""

from __future__ import annotations

from pathlib import Path

import typer

from listener.audit.service import AuditError, draw_audit, export_audit, load_labels
from listener.cli.common import open_store, settings_from
from listener.config import Settings
from listener.query.masking import official_handles
from storage import SENTIMENTS


def _official(settings: Settings) -> frozenset[str]:
    """The body's official handles: the only ones shown unmasked."""
    return official_handles(settings.privacy.official_accounts)


def _fail(exc: Exception) -> typer.Exit:
    typer.echo(str(exc), err=True)
    return typer.Exit(1)


def register(app: typer.Typer) -> None:
    audit = typer.Typer(help="Measure the labels' accuracy: draw posts, label them, load.",
                        no_args_is_help=True)
    app.add_typer(audit, name="audit")

    @audit.command("draw")
    def draw(
        ctx: typer.Context,
        week: str | None = typer.Option(
            None, "--week", help="Last ISO week of the period, e.g. 2026-W47 (default: the "
            "latest complete week)."),
        weeks: int = typer.Option(1, "--weeks", min=1, help="Weeks in the period."),
        n: int = typer.Option(200, "--n", min=1, help="Posts to audit."),
        seed: int = typer.Option(0, "--seed", help="Same seed and posts, same sample."),
        out: Path | None = typer.Option(None, "--out", "-o",
                                        help="CSV to write (default: audit-<id>.csv)."),
    ) -> None:
        """Draw a sample of the period's posts, stratified by predicted topic and
        sentiment, record it, and write the CSV for staff to label."""
        settings = settings_from(ctx, check_credentials=False, check_words=False)
        store = open_store(settings)
        try:
            made = draw_audit(store, tz=settings.reports.timezone, week=week, weeks=weeks,
                              n=n, seed=seed)
        except AuditError as exc:
            raise _fail(exc) from None
        path = out or Path(f"audit-{made.audit_id}.csv")
        export_audit(store, made.audit_id, path, _official(settings))
        judged = ", ".join(f"{v.classifier} {v.version}" for v in made.versions)
        typer.echo(f"audit {made.audit_id}: {made.items} of the {made.posts:,} classified posts"
                   f" of {made.period}, from {made.strata} strata (topic x sentiment); judges"
                   f" {judged}")
        if made.unclassified:
            typer.echo(f"  {made.unclassified:,} posts of the period were not yet classified"
                       " and were left out")
        typer.echo(f"wrote {path}: fill in 'sentiment' ({', '.join(SENTIMENTS)}) and 'topics'"
                   " (topic keys separated by ';', or none), then"
                   f" `listener audit load {path} --labeller NAME`;"
                   f" or label it on the page: listener serve, /-/audit/{made.audit_id}")

    @audit.command("export")
    def export(
        ctx: typer.Context,
        audit_id: int = typer.Argument(..., help="The audit's number (listener audit list)."),
        out: Path | None = typer.Option(None, "--out", "-o", help="CSV to write."),
    ) -> None:
        """Write an audit's CSV again (its posts that still exist)."""
        settings = settings_from(ctx, check_credentials=False, check_words=False)
        path = out or Path(f"audit-{audit_id}.csv")
        try:
            count = export_audit(open_store(settings), audit_id, path, _official(settings))
        except AuditError as exc:
            raise _fail(exc) from None
        typer.echo(f"wrote {count} posts to {path}")

    @audit.command("load")
    def load(
        ctx: typer.Context,
        file: Path = typer.Argument(..., exists=True, dir_okay=False,
                                    help="The labelled audit CSV."),
        labeller: str | None = typer.Option(
            None, "--labeller", help="Who labelled it (unless the file's 'labeller' column "
            "says so per row)."),
    ) -> None:
        """Store the labels staff gave in an audit CSV (with who and when)."""
        settings = settings_from(ctx, check_credentials=False, check_words=False)
        topics = {slug: t.label for slug, t in settings.topics.items()}
        try:
            loaded = load_labels(open_store(settings), file, topics, labeller)
        except AuditError as exc:
            raise _fail(exc) from None
        audits = ", ".join(str(a) for a in loaded.audit_ids) or "none"
        typer.echo(f"stored {loaded.labels} labels of {loaded.items} posts (audit {audits});"
                   f" {loaded.skipped} rows left blank")

    @audit.command("list")
    def list_(ctx: typer.Context) -> None:
        """The audits, newest first, with how far labelling has got."""
        settings = settings_from(ctx, check_credentials=False, check_words=False)
        summaries = open_store(settings).audits.summaries()
        if not summaries:
            typer.echo("no audit yet: run `listener audit draw`")
        for s in summaries:
            judged = ", ".join(f"{v.classifier} {v.version}" for v in s.versions)
            typer.echo(f"audit {s.id}: {s.period_label}, drawn {s.drawn_at[:10]}; "
                       f"{s.labelled}/{s.items} labelled; judges {judged}")

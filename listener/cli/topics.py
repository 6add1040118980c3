"""``listener topics suggest`` and ``listener topics health``: help for the
admins who keep the topic lists. Neither edits config.yaml."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import typer

from listener.cli.common import open_store, settings_from

_WEEKS = typer.Option(4, "--weeks", min=1, help="How many weeks up to the newest stored post.")


def _pct(part: int, whole: int, floor: int) -> str:
    """A share, or '-' when the base is too small to carry one."""
    return f"{part / whole:.0%}" if whole >= floor else "-"


def register(app: typer.Typer) -> None:
    topics_app = typer.Typer(help="Keep the topic lists true: suggested terms, term health.",
                             no_args_is_help=True)
    app.add_typer(topics_app, name="topics")

    @topics_app.command("suggest")
    def suggest(
        ctx: typer.Context,
        topic: str | None = typer.Option(None, "--topic", help="Only this topic (its key)."),
        weeks: int = _WEEKS,
        source: str = typer.Option("unclassified", "--from",
                                   help="unclassified: posts no topic matched; all: every post."),
        per_topic: int = typer.Option(10, "--max", min=1, help="Suggestions per topic."),
        out: Path = typer.Option(Path("topic-suggestions.yaml"), "--out", "-o",
                                 help="The YAML snippet to write."),
    ) -> None:
        """Propose terms and phrases per topic, mined from stored posts, with the
        posts each would add and three examples; write them as YAML to review."""
        from listener.topic_terms import snippet
        from listener.topic_terms import suggest as run

        if source not in ("unclassified", "all"):
            typer.echo("--from must be unclassified or all", err=True)
            raise typer.Exit(2)
        settings = settings_from(ctx, check_credentials=False)
        if topic is not None and topic not in settings.topics:
            typer.echo(f"no topic {topic!r}; topics: {', '.join(settings.topics)}", err=True)
            raise typer.Exit(2)
        result = run(settings, open_store(settings), topic=topic, weeks=weeks,
                     unclassified_only=source == "unclassified", per_topic=per_topic)
        w = result.window
        typer.echo(f"{w.posts} posts ({source}) from {w.since or '-'} to {w.until or '-'}")
        if not result.suggestions:
            typer.echo("no suggestions: no word or phrase is common enough among the posts"
                       " near a topic")
            return
        for slug, picked in result.suggestions.items():
            typer.echo(f"\n{slug} ({settings.topics[slug].label})")
            for s in picked:
                typer.echo(f"  + {s.kind[:-1]:<6} {s.text!r}: {s.extra_posts} more posts,"
                           f" {s.near_share:.0%} of them near the topic")
                for i in s.examples:
                    typer.echo(f"      e.g. {' '.join(result.examples[i].split())[:140]}")
        made_on = datetime.now(UTC).date().isoformat()
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(snippet(settings, result, made_on), encoding="utf-8")
        typer.echo(f"\nwrote {out}: review it, paste the topics you keep into config.yaml,"
                   " then `listener config check`")

    @topics_app.command("health")
    def health(
        ctx: typer.Context,
        weeks: int = _WEEKS,
        topic: str | None = typer.Option(None, "--topic", help="Only this topic (its key)."),
        noisy_only: bool = typer.Option(False, "--noisy", help="Only the terms flagged noisy."),
    ) -> None:
        """Per term: posts matched, the share it alone matched, the share that
        reads as the topic, precision from staff labels; noisy terms flagged."""
        from listener.topic_terms import health as run

        settings = settings_from(ctx, check_credentials=False)
        window, rows = run(settings, open_store(settings), weeks=weeks, topic=topic)
        floor = settings.privacy.min_group_size
        typer.echo(f"{window.posts} posts from {window.since or '-'} to {window.until or '-'};"
                   f" shares shown from {floor} matches (privacy.min_group_size)")
        typer.echo(f"{'topic':<22}{'term':<26}{'matches':>8}{'alone':>7}{'on topic':>9}"
                   f"{'staff precision':>17}  flag")
        for r in sorted(rows, key=lambda r: (not r.noisy, r.topic, -r.matches)):
            if noisy_only and not r.noisy:
                continue
            staff = f"{r.precision:.0%} of {r.labelled}" if r.precision is not None else "-"
            typer.echo(f"{r.topic[:21]:<22}{r.term[:25]:<26}{r.matches:>8}"
                       f"{_pct(r.alone, r.matches, floor):>7}"
                       f"{_pct(r.on_topic, r.matches, floor):>9}{staff:>17}"
                       f"  {'NOISY: ' + r.reason if r.noisy else ''}")
        noisy = sum(r.noisy for r in rows)
        typer.echo(f"\n{noisy} noisy term(s). Narrow one with a phrase or an exclusion, or"
                   " remove it, then `listener config check`.")

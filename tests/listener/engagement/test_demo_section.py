"""The demo: the embedded sample carries the body's own channels in their
real payload shapes, so "How we engaged" shows real, non-zero figures, and
the body's own posts stay out of residents' figures."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from listener import pipeline
from listener.config import load_settings
from listener.reporting import report_context
from reports import compute_figures
from reports.engaged_tables import engaged_tables
from reports.render_html import render_html
from storage import Store
from tests.paths import ROOT

NOW = datetime(2026, 11, 25, 9, 0, tzinfo=UTC)


def test_the_demo_report_shows_the_section_with_figures(tmp_path: Path,
                                                        store: Store) -> None:
    config = tmp_path / "config.yaml"
    text = (ROOT / "config.yaml").read_text(encoding="utf-8")
    config.write_text(text.replace("  path: data/civic-listener.db", "  path: listener.db")
                      .replace("    interval_minutes: 60\n", "    interval_minutes: 60\n"
                               "    scale: 0.5\n", 1), encoding="utf-8")
    settings = load_settings(config, check_credentials=False)
    [summary] = pipeline.collect(settings, store, only="sample")
    assert summary.status == "ok"
    pipeline.classify(settings, store)
    fig = compute_figures(store, "2026-W47", settings=settings.reports,
                          topic_labels={s: t.label for s, t in settings.topics.items()},
                          context=report_context(settings), now=NOW)
    e = fig.engaged
    assert e is not None and e.classified
    m = e.this
    assert m.received >= 10 and m.received_authors >= 10
    assert m.answered[0].within >= 10 and m.median_hours is not None
    assert sum(m.replies.values()) >= 10 and m.own_posts > 0 and m.reach["likes"] > 0
    assert e.top_own and e.waiting
    summary_rows = {r[0]: r[1] for r in engaged_tables(e)[0].rows}
    assert summary_rows["Answered within 1 working day"].endswith(f"of {m.answered[0].due})")
    assert "h" in summary_rows["Median first response (working hours)"]
    # the body's own posts of the week are reported here only
    own = store.db.execute(
        "SELECT count(*) FROM conversations WHERE voice = 'own' AND created_at >= ?"
        " AND created_at < ?", [fig.window_start[:10], fig.window_end[:10]]).fetchone()[0]
    everything = store.db.execute(
        "SELECT count(*) FROM posts WHERE created_at >= ? AND created_at < ?",
        [fig.window_start[:10], fig.window_end[:10]]).fetchone()[0]
    assert own > 0 and fig.this.posts <= everything - own
    html = render_html(fig)
    assert "How we engaged" in html and "Waiting for an answer" in html

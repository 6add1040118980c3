"""Coverage: which sources were collected, and runs that failed or went stale."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from datetime import datetime, timedelta

from reports.figures import RunProblem, SourceCoverage
from reports.weeks import Span
from storage.report_queries import ReportReader
from storage.timefmt import iso

MAX_ERROR = 200


def coverage(reader: ReportReader, posts: dict[str, int], span: Span, now: datetime,
             stale_after_hours: float,
             local: Callable[[str], str]) -> tuple[list[SourceCoverage], list[RunProblem]]:
    """Per source: posts of the week it matched (``posts``), runs started in
    the week by status, and its latest successful run as the report is
    written: stale when older than ``stale_after_hours`` then."""
    runs = reader.runs_between(span.utc)
    reference = now
    last_ok = reader.last_ok_runs(iso(reference))
    status: Counter[tuple[str, str]] = Counter((r[0], r[3]) for r in runs)
    limit = reference - timedelta(hours=stale_after_hours)
    sources = sorted(set(posts) | set(last_ok) | {r[0] for r in runs})
    rows = []
    for source in sources:
        ok_at = last_ok.get(source, "")
        stale = not ok_at or datetime.fromisoformat(ok_at) < limit
        rows.append(SourceCoverage(
            source=source,
            posts=posts.get(source, 0),
            runs_ok=status[(source, "ok")],
            runs_failed=status[(source, "failed")],
            runs_interrupted=status[(source, "interrupted")],
            last_ok=local(ok_at),
            stale=stale,
        ))
    problems = [
        RunProblem(source=r[0], started=local(r[1]), status=str(r[3]),
                   error=(str(r[6] or ""))[:MAX_ERROR])
        for r in runs if r[3] in ("failed", "interrupted")
    ]
    return rows, problems

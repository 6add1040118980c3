"""The pseudonymisation key never enters the database, the logs, the reports
or the compliance drafts, through a whole collect-classify-report-forget-purge
cycle on the sample source."""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from pathlib import Path

import pytest

from listener.config import parse_settings
from listener.pipeline import classify, collect
from listener.privacy.compliance import write_drafts
from listener.privacy.forget import forget_author
from listener.privacy.retention import purge
from listener.reporting import write_weekly_report
from storage import Store

KEY = "Zq8-unusual-pseudonym-key-material-4471"
CONFIG = """
storage: {path: data/k.db}
sources:
  sample: {type: sample, enabled: true, scale: 0.1}
reports: {out_dir: out, formats: [html, md, csv, json]}
"""


def test_the_key_appears_nowhere(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                 caplog: pytest.LogCaptureFixture) -> None:
    monkeypatch.setenv("CIVIC_LISTENER_PSEUDONYM_KEY", KEY)
    path = tmp_path / "config.yaml"
    path.write_text(CONFIG)
    settings = parse_settings(CONFIG, str(path), check_credentials=False)
    store = Store.open(settings.database_path)
    with caplog.at_level(logging.DEBUG):
        summaries = collect(settings, store)
        assert summaries[0].new > 100
        classify(settings, store)
        handle = "someone_not_stored"
        forget_author(settings, store, "x", handle)
        write_weekly_report(settings, store, None, now=datetime(2026, 11, 25, tzinfo=UTC))
        purge(settings, store, now=datetime(2026, 11, 25, tzinfo=UTC))
        write_drafts(settings, tmp_path / "drafts")
    store.db.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    store.close()
    needle = KEY.encode()
    files = [p for p in tmp_path.rglob("*") if p.is_file() and p.name != "config.yaml"]
    assert any(p.suffix == ".db" for p in files) and any(p.suffix == ".html" for p in files)
    for file in files:
        assert needle not in file.read_bytes(), file
    assert KEY not in caplog.text and KEY[:12] not in caplog.text

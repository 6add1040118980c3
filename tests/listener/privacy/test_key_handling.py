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

from .conftest import storage_section

KEY = "Zq8-unusual-pseudonym-key-material-4471"
CONFIG = """
sources:
  sample: {type: sample, enabled: true, scale: 0.1}
reports: {out_dir: out, formats: [html, md, csv, json]}
"""


def test_the_key_appears_nowhere(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                 caplog: pytest.LogCaptureFixture, store: Store,
                                 request: pytest.FixtureRequest) -> None:
    monkeypatch.setenv("CIVIC_LISTENER_PSEUDONYM_KEY", KEY)
    path = tmp_path / "config.yaml"
    text = storage_section(request, monkeypatch) + CONFIG
    path.write_text(text)
    settings = parse_settings(text, str(path), check_credentials=False)
    with caplog.at_level(logging.DEBUG):
        summaries = collect(settings, store)
        assert summaries[0].new > 100
        classify(settings, store)
        handle = "someone_not_stored"
        forget_author(settings, store, "x", handle)
        write_weekly_report(settings, store, None, now=datetime(2026, 11, 25, tzinfo=UTC))
        purge(settings, store, now=datetime(2026, 11, 25, tzinfo=UTC))
        write_drafts(settings, tmp_path / "drafts")
    needle = KEY.encode()
    if store.backend == "sqlite":  # the file's bytes (below)
        store.db.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    else:  # every value of every row (the server's files: tests/storage/test_deletion.py)
        for table in store.tables():
            for row in store.sql.execute(f'SELECT * FROM "{table}"'):
                assert not any(KEY in str(v) or (isinstance(v, bytes) and needle in v)
                               for v in row), table
    files = [p for p in tmp_path.rglob("*") if p.is_file() and p.name != "config.yaml"]
    assert any(p.suffix == ".html" for p in files)
    assert store.backend != "sqlite" or any(p.suffix == ".db" for p in files)
    for file in files:
        assert needle not in file.read_bytes(), file
    assert KEY not in caplog.text and KEY[:12] not in caplog.text

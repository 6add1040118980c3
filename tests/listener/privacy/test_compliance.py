"""``listener compliance``: drafts written from config.yaml; the committed
docs/ copies are what the repo's config generates."""

from __future__ import annotations

from pathlib import Path

import pytest

from listener.config import ConfigError, load_settings, parse_settings
from listener.privacy.compliance import privacy_notice_section, record_of_processing, write_drafts
from listener.privacy.minimise import allowed_fields
from tests.paths import ROOT

FILLED = """
sources:
  x_council: {type: x, enabled: true, queries: ['pothole lang:en']}
privacy: {retention_days: 200, raw_retention_days: 14}
governance:
  purpose: Understand public concerns about council services
  lawful_basis: Public task, UK GDPR Art. 6(1)(e)
  dpia_reference: DPIA-2026-014
  privacy_notice_url: https://www.example.gov.uk/privacy/social-listening
  data_controller: Example Council
  recipients: [Communications team]
"""


def test_committed_drafts_are_generated_from_the_repo_config(tmp_path: Path) -> None:
    settings = load_settings(ROOT / "config.yaml", check_credentials=False)
    written = write_drafts(settings, tmp_path)
    for path in written:
        committed = ROOT / "docs" / path.name
        assert committed.read_text(encoding="utf-8") == path.read_text(encoding="utf-8"), (
            f"docs/{path.name} is stale: run `python -m listener compliance --out docs`")
    record = (tmp_path / "record-of-processing.md").read_text()
    assert record.count("**TO COMPLETE**") >= 6  # the five blank fields and more
    assert "| Data controller | **TO COMPLETE** |" in record


def test_drafts_follow_the_config() -> None:
    settings = parse_settings(FILLED, "config.yaml", check_credentials=False)
    record = record_of_processing(settings)
    notice = privacy_notice_section(settings)
    assert "| Data controller | Example Council |" in record
    assert "| DPIA reference | DPIA-2026-014 |" in record
    assert "| Lawful basis (UK GDPR Art. 6) | Public task, UK GDPR Art. 6(1)(e) |" in record
    assert "200 days after the post was written" in record and "14 days after retrieval" in record
    assert "`x_council` | x (live) | enabled" in record and "`pothole lang:en`" in record
    for platform, paths in allowed_fields().items():
        assert f"- **{platform}**: " + ", ".join(f"`{p}`" for p in paths) in record
    assert "deleted 200 days after they were written" in notice
    assert "Example Council reads public posts" in notice
    assert "Communications team" in notice and "none is switched on" not in notice


def test_a_pipe_or_line_break_in_a_value_cannot_break_the_table() -> None:
    text = FILLED.replace("purpose: Understand public concerns about council services",
                          'purpose: "Spot issues | trends\\nearly"')
    record = record_of_processing(parse_settings(text, "config.yaml", check_credentials=False))
    assert "| Purpose of processing | Spot issues \\| trends early |" in record


def test_drafts_state_the_smallest_group_any_output_shows() -> None:
    """The weekly report suppresses below 10 whatever privacy.min_group_size
    says, so a stricter setting must not make the drafts promise more."""
    def drafts(size: int) -> str:
        text = FILLED.replace("privacy: {retention_days: 200,",
                              f"privacy: {{min_group_size: {size}, retention_days: 200,")
        settings = parse_settings(text, "config.yaml", check_credentials=False)
        assert settings.privacy.min_group_size == size
        return record_of_processing(settings) + privacy_notice_section(settings)

    assert "fewer than 10 people" in drafts(20) and "fewer than 20" not in drafts(20)
    with pytest.raises(ConfigError, match="min_group_size: must be at least 10"):
        drafts(5)  # below the report's floor: refused (issue 16)

"""Governance: live collection needs purpose, lawful basis, DPIA reference,
privacy notice URL and data controller; offline sources need none."""

from __future__ import annotations

from pathlib import Path

import pytest

from listener.config import Settings, load_settings, parse_settings
from listener.privacy.governance import governance_gaps
from tests.cli import Cli
from tests.paths import ROOT

LIVE = """
sources:
  sample: {type: sample, enabled: true}
  mastodon_uk: {type: mastodon, enabled: %s, instances: [m.example], hashtags: [bins]}
governance:
%s
"""

FILLED = """  purpose: Understand public concerns about council services
  lawful_basis: Public task, UK GDPR Art. 6(1)(e)
  dpia_reference: DPIA-2026-014
  privacy_notice_url: https://www.example.gov.uk/privacy/social-listening
  data_controller: Example Council"""


def _settings(enabled: bool, governance: str) -> Settings:
    text = LIVE % ("true" if enabled else "false", governance)
    return parse_settings(text, "config.yaml", check_credentials=False)


def test_live_source_with_blank_governance_has_a_gap_per_field() -> None:
    s = _settings(True, "  purpose: ''")
    gaps = governance_gaps(s.governance, s.sources)
    assert len(gaps) == 5
    for field in ("purpose", "lawful_basis", "dpia_reference", "privacy_notice_url",
                  "data_controller"):
        assert any(g.startswith(f"governance.{field} is blank") for g in gaps), field
    assert all("mastodon_uk" in g for g in gaps)


@pytest.mark.parametrize("blank", ["purpose", "dpia_reference", "data_controller"])
def test_one_blank_field_is_one_gap(blank: str) -> None:
    lines = [ln if not ln.strip().startswith(blank) else f"  {blank}: '   '"
             for ln in FILLED.splitlines()]
    s = _settings(True, "\n".join(lines))
    assert [g.split(" ")[0] for g in governance_gaps(s.governance, s.sources)] == [
        f"governance.{blank}"]


def test_filled_governance_or_offline_only_has_no_gap() -> None:
    s = _settings(True, FILLED)
    assert governance_gaps(s.governance, s.sources) == []
    offline = _settings(False, "  purpose: ''")
    assert governance_gaps(offline.governance, offline.sources) == []


def test_repo_config_is_offline_and_blank() -> None:
    """The shipped config.yaml has only the sample enabled and blank governance:
    enabling a live source there without filling governance would refuse."""
    repo = ROOT / "config.yaml"
    s = load_settings(repo, check_credentials=False)
    assert governance_gaps(s.governance, s.sources) == []
    for cfg in s.sources.values():
        if cfg.type not in ("sample", "file"):
            cfg.enabled = True
    assert len(governance_gaps(s.governance, s.sources)) == 5


def test_listener_run_refuses_to_start_in_a_subprocess(tmp_path: Path, cli: Cli) -> None:
    config = tmp_path / "config.yaml"
    config.write_text(LIVE % ("true", "  purpose: Understand concerns about services"))
    done = cli.process("-c", config, "run", env={"CIVIC_LISTENER_PSEUDONYM_KEY": "k" * 32},
                       timeout=120)
    assert done.returncode == 2, done.stderr
    assert "refuses to start" in done.stderr
    for field in ("lawful_basis", "dpia_reference", "privacy_notice_url", "data_controller"):
        assert f"governance.{field} is blank" in done.stderr
    assert "governance.purpose" not in done.stderr
    assert not (tmp_path / "data").exists() or not any((tmp_path / "data").glob("*.db"))

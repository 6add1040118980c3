"""Third-party libraries log only warnings unless --verbose; ours log INFO."""

from __future__ import annotations

import logging

import pytest

from listener.logs import setup_logging


@pytest.mark.parametrize("verbose", [False, True])
def test_third_party_info_only_when_verbose(verbose: bool,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    setup_logging("text", verbose)
    logging.getLogger("fontTools.subset").info("Glyph names: ['uni1F92C', ...]")
    logging.getLogger("weasyprint").warning("a real problem")
    logging.getLogger("listener.pipeline").info("classified 12 posts")
    err = capsys.readouterr().err
    assert ("Glyph names" in err) is verbose
    assert "a real problem" in err and "classified 12 posts" in err

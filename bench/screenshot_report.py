"""Screenshots of the HTML report at desktop and phone widths (headless
Debian chromium), saved as PNG in bench/out/.

    .venv/bin/python bench/screenshot_report.py [--html reports-out/report-2026-W47.html]

Without --html it writes a report from a small synthetic database first
(16 topics over 12 weeks, a spike in waste_recycling in 2026-W47).
"""

from __future__ import annotations

import argparse
import random
import shutil
import subprocess
import sys
import tempfile
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from report import SLUGS, W47, items

from reports import ReportContext, ReportSettings, write_report
from storage import Store

OUT = Path(__file__).parent / "out"
SIZES = {"desktop": (1280, 12000), "phone": (390, 16000)}


def synthetic_report(out_dir: Path) -> Path:
    store = Store.open(":memory:")
    rng = random.Random(7)
    looked = {"topic": ("topics.keywords", "v1"), "sentiment": ("sentiment.vader", "v1")}
    for w in range(11, 0, -1):
        store.bulk.load(items(rng, W47 - timedelta(weeks=w), 1500, False), looked_at=looked)
    store.bulk.load(items(rng, W47, 1900, True), looked_at=looked)
    labels = {s: s.replace("_", " ").capitalize() for s in SLUGS}
    paths = write_report(store, "2026-W47", settings=ReportSettings(), topic_labels=labels,
                         formats=["html"], out_dir=out_dir,
                         context=ReportContext(config_hash="synthetic", organisation="Example "
                                               "Council", pipeline_version="bench"),
                         now=datetime(2026, 11, 25, 9, tzinfo=UTC))
    return paths[0]


def shoot(html: Path, name: str, width: int, height: int) -> Path:
    browser = shutil.which("chromium") or "/usr/bin/chromium"
    target = OUT / f"report-{name}.png"
    with tempfile.TemporaryDirectory() as profile:
        subprocess.run(
            [browser, "--headless", "--no-sandbox", "--disable-gpu",
             "--disable-background-networking", "--disable-component-update", "--disable-sync",
             "--no-first-run", "--hide-scrollbars", f"--user-data-dir={profile}",
             f"--screenshot={target}", f"--window-size={width},{height}",
             html.resolve().as_uri()],
            check=True, capture_output=True, timeout=120,
        )
    return target


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--html", type=Path)
    args = parser.parse_args()
    OUT.mkdir(parents=True, exist_ok=True)
    html = args.html or synthetic_report(OUT)
    for name, (width, height) in SIZES.items():
        print(f"{name}: {shoot(html, name, width, height)} ({width}x{height})")


if __name__ == "__main__":
    main()

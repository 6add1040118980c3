"""The audit loop end to end on the embedded sample, as a user runs it:

    python bench/audit_demo.py [--out bench/out/audit-demo] [--n 200]

1. `listener demo` (collect the sample, classify it, write the report: no
   audit yet, so it says accuracy is not measured);
2. `listener audit draw` for the report's week (the CSV staff would fill in);
3. the CSV filled in with the tone and topic the sample generator meant for
   each post, standing for staff labels (the sample's texts were written to
   carry those tones, sarcasm and notices included), then `listener audit
   load`;
4. `listener report` again: the accuracy table and the corrected shares.

Prints the headline statement and the accuracy and corrected tables. This
shows the mechanics only: the sample shares its vocabulary with the keyword
lists, so its accuracy says nothing about real posts (docs/nlp.md has the
figures measured on real ones).
"""

from __future__ import annotations

import argparse
import csv
import json
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from listener.platforms.sample.config import SampleSourceConfig  # noqa: E402
from listener.sample import SAMPLE_END, SAMPLE_POSTS, SAMPLE_WEEKS  # noqa: E402
from listener.sample.plan import plan  # noqa: E402


def listener(config: Path, *args: str) -> str:
    done = subprocess.run([sys.executable, "-m", "listener", "-c", str(config), *args],
                          cwd=config.parent, capture_output=True, text=True, check=False)
    if done.returncode:
        raise SystemExit(f"listener {' '.join(args)} failed:\n{done.stdout}{done.stderr}")
    return done.stdout


def truth(seed: int, scale: float) -> dict[tuple[str, str], tuple[str, str | None]]:
    """(platform, created_at UTC ISO) -> (tone, topic) the generator meant."""
    n_posts = max(1, round(SAMPLE_POSTS * scale))
    return {(p.platform, p.created.isoformat(timespec="seconds")): (p.tone, p.topic)
            for p in plan(n_posts, seed, SAMPLE_WEEKS, SAMPLE_END)}


def fill(path: Path, meant: dict[tuple[str, str], tuple[str, str | None]],
         topics: set[str]) -> int:
    with path.open(newline="", encoding="utf-8-sig") as fh:
        rows = list(csv.DictReader(fh))
    filled = 0
    for row in rows:
        found = meant.get((row["platform"], row["created_at"]))
        if found is None:
            continue
        tone, topic = found
        row["sentiment"], row["topics"] = tone, topic if topic in topics else "none"
        filled += 1
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    return filled


def show(out: Path, week: str) -> None:
    data = json.loads((out / f"report-{week}.json").read_text(encoding="utf-8"))
    print(f"  statement: {data['accuracy']}")
    for name in ("accuracy", "corrected"):
        table = data["tables"].get(name)
        if not table:
            print(f"  ({name}: no table)")
            continue
        print(f"  {table['title']}:")
        print("    " + " | ".join(table["columns"]))
        for row in table["rows"]:
            print("    " + " | ".join(row))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "out" / "audit-demo")
    parser.add_argument("--n", type=int, default=200)
    args = parser.parse_args()
    import yaml

    shutil.rmtree(args.out, ignore_errors=True)
    args.out.mkdir(parents=True)
    config = args.out / "config.yaml"
    shutil.copy(ROOT / "config.yaml", config)
    settings = yaml.safe_load(config.read_text(encoding="utf-8"))
    sample = next(s for s in settings["sources"].values() if s.get("type") == "sample")
    print(listener(config, "demo").splitlines()[-1])
    week = next(p.name for p in sorted((args.out / "reports-out").glob("report-*.html")))
    week = week.removeprefix("report-").removesuffix(".html")
    listener(config, "report", "--week", week, "--format", "json,html,md,csv")
    print(f"\nwithout an audit ({week}):")
    show(args.out / "reports-out", week)
    audit_csv = args.out / "audit.csv"
    print("\n" + listener(config, "audit", "draw", "--week", week, "--n", str(args.n),
                          "--out", str(audit_csv)).splitlines()[0])
    source = SampleSourceConfig.model_validate(sample)
    filled = fill(audit_csv, truth(source.seed, source.scale), set(settings["topics"]))
    print(f"filled {filled} rows with the generator's tone and topic")
    print(listener(config, "audit", "load", str(audit_csv), "--labeller", "sample-generator"))
    listener(config, "report", "--week", week, "--format", "json,html,md,csv")
    print(f"with the audit ({week}):")
    show(args.out / "reports-out", week)
    print(f"\nreport: {args.out / 'reports-out' / f'report-{week}.html'}")


if __name__ == "__main__":
    main()

"""Every NLP figure on the shared dev sets, as one table.

    python bench/eval_nlp.py [--data-dir ../shared/data/eval] [--runs 3] [--cv]
                             [--skip-trained] [--skip-throughput]

Reads ../shared/data/eval/*.csv (relative to the repo root); never used by
tests. Trained figures: a head is trained with the same code as
`listener train` on one half of a dev file (split by a hash of its
`group_key`, so near-duplicates stay on one side) and scored on the other.
Timed figures are medians of --runs runs. Writes bench/out/eval_nlp.json.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import json
import resource
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.thresholds import cross_validate, scored  # noqa: E402
from nlp.config import NlpSettings, TopicSpec  # noqa: E402
from nlp.labelled import predict_one, read_labelled  # noqa: E402
from nlp.metrics import binary_f1, evaluate  # noqa: E402
from nlp.registry import BuildContext, registered, resolve  # noqa: E402

TOPICS = {  # a small council-style topic list for the throughput run
    "bins": TopicSpec(label="Bins", terms=["bin", "recycling", "fly-tipping", "litter"],
                      phrases=["bin collection", "not collected"], exclusions=["bin laden"]),
    "roads": TopicSpec(label="Roads", terms=["pothole", "road", "pavement"],
                       hashtags=["#fixmystreet"]),
    "transport": TopicSpec(label="Transport", terms=["bus", "train", "flight", "delay"]),
    "health": TopicSpec(label="Health", terms=["gp", "hospital", "nhs", "ambulance"]),
}


def half(row: dict[str, str]) -> int:
    """0 or 1: a dev-set row's half (a hash of its group_key, so that
    near-duplicates stay on one side)."""
    key = (row.get("group_key") or row["text"]).encode()
    return int(hashlib.sha1(key).hexdigest(), 16) % 2


def split(src: Path, out: Path) -> tuple[Path, Path]:
    with src.open(newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    halves: tuple[list[dict[str, str]], list[dict[str, str]]] = ([], [])
    for r in rows:
        halves[half(r)].append(r)
    paths = (out / f"{src.stem}_a.csv", out / f"{src.stem}_b.csv")
    for path, part in zip(paths, halves, strict=True):
        with path.open("w", newline="", encoding="utf-8") as fh:
            writer = csv.DictWriter(fh, fieldnames=list(rows[0]))
            writer.writeheader()
            writer.writerows(part)
    return paths


def median_rate(fn: Callable[[], int], runs: int) -> float:
    rates = []
    for _ in range(runs):
        start = time.perf_counter()
        n = fn()
        rates.append(n / (time.perf_counter() - start))
    return statistics.median(rates)


def builtin(name: str) -> Any:
    ctx = BuildContext(NlpSettings(), TOPICS, Path(tempfile.gettempdir()))
    return resolve(name).factory(ctx)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data-dir", type=Path, default=ROOT.parent / "shared/data/eval")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--skip-trained", action="store_true")
    parser.add_argument("--skip-throughput", action="store_true")
    parser.add_argument("--cv", action="store_true",
                        help="also cross-validate each sentiment.vader version's thresholds")
    parser.add_argument("--jobs", default="sentiment,topic,relevance,complaint",
                        help="which trained rows to run")
    parser.add_argument("--text-head", action="store_true",
                        help="also train the TF-IDF text head (feature sets ...+tfidf)")
    args = parser.parse_args()
    d: Path = args.data_dir
    rows: list[tuple[str, str, float | None, str]] = []  # what, figure, value, target

    def add(what: str, figure: str, value: float | None, target: str) -> None:
        rows.append((what, figure, value, target))
        shown = "n/a" if value is None else f"{value:.3f}" if value < 50 else f"{value:,.0f}"
        print(f"  {what:<58} {figure:<12} {shown:>9}  {target}", flush=True)

    print("out of the box (no training by the user); CV = thresholds re-chosen by 5-fold "
          "cross-validation over both sets (bench/thresholds.py), held-out mean +- sd")
    sentiment_sets = (("tweeteval_sentiment_dev", "label", ">= 0.62"),
                      ("airline_dev", "airline_sentiment", ">= 0.60"))
    data = {file: read_labelled(d / f"{file}.csv", "text", col)
            for file, col, _ in sentiment_sets}
    for reg in registered():
        if reg.name != "sentiment.vader":
            continue
        clf = builtin(f"{reg.name}.{reg.version}")
        scores = {}
        for file, _, target in sentiment_sets:
            texts, gold = data[file]
            add(f"{clf.name} {clf.version} on {file}", "macro-F1",
                evaluate(gold, predict_one(clf, texts))["macro_f1"], target)
            scores[file] = scored([clf.compound(t) for t in texts], gold)
        if args.cv:
            held, pair = cross_validate(scores)
            print(f"  {'':<4}CV: " + ", ".join(f"{f} {m:.3f} +- {sd:.3f}"
                                                  for f, (m, sd) in held.items())
                  + f"; thresholds chosen on all: {pair[0]:+.2f} / {pair[1]:+.2f}"
                  + f" (shipped {clf.negative_at:+.2f} / {clf.positive_at:+.2f})", flush=True)

    tmp = Path(tempfile.mkdtemp(prefix="eval-nlp-"))
    if not args.skip_trained:
        from nlp.trained import load_trained
        from nlp.workflows import train_from_csv

        print("trained with `listener train` on half a, scored on half b")
        jobs = [
            ("airline_dev", "sentiment", "airline_sentiment", "minilm+vader", None, ">= 0.74"),
            ("civic_bengaluru_dev", "topic", "category", "minilm", None, ">= 0.70"),
            ("civic_bengaluru_dev", "relevance", "civic_issue", "minilm", "1", "F1 >= 0.97"),
            ("complaints_dev", "complaint", "complaint", "minilm+vader", "1", "F1 >= 0.75"),
        ]
        for file, task, col, features, positive, target in jobs:
            if task not in args.jobs.split(","):
                continue
            if args.text_head:
                features += "+tfidf"
            half_a, half_b = split(d / f"{file}.csv", tmp)
            start = time.perf_counter()
            card = train_from_csv(half_a, task, tmp / "data", label_col=col,
                                  features=features, threads=args.threads)
            took = time.perf_counter() - start
            clf = load_trained(tmp / "data", card["name"], card["version"],
                               threads=args.threads)
            texts, gold = read_labelled(half_b, "text", col)
            pred = predict_one(clf, texts)
            figures = evaluate(gold, pred)
            what = f"{task} head ({features}) {file} a->b"
            add(what, "macro-F1", figures["macro_f1"], target if positive is None else "")
            if positive is not None:
                add(what, f"F1[{col}={positive}]", binary_f1(gold, pred, positive), target)
            add(f"  (cross-validated on half a; train {took:.0f} s)", "macro-F1",
                card["metrics"]["macro_f1"], "")

    if args.skip_throughput:
        write(rows)
        return
    print("throughput (tweet-length posts; medians)")
    with (d / "tweeteval_sentiment_dev.csv").open(newline="", encoding="utf-8") as fh:
        texts = [r["text"] for r in csv.DictReader(fh)]
    keywords, vader = builtin("topics.keywords"), builtin("sentiment.vader")
    keywords.classify(texts[:50])

    def kw_vader() -> int:
        keywords.classify(texts)
        vader.classify(texts)
        return len(texts)

    add("keywords + VADER v2", "posts/s", median_rate(kw_vader, args.runs), ">= 2,000")
    lang = builtin("lang.langid")
    add("language id (py3langid)", "posts/s",
        median_rate(lambda: len(lang.classify(texts)), args.runs), "")
    from nlp.embeddings import Embedder
    from nlp.features import Featurizer
    from nlp.heads import fit_head

    start = time.perf_counter()
    embedder = Embedder(threads=args.threads)
    add("MiniLM load (sha256 check + weights)", "seconds", time.perf_counter() - start, "")
    featurizer = Featurizer("minilm+vader", embedder)
    sample = texts[:1000]
    import numpy as np

    heads = [fit_head(np.random.default_rng(i).normal(size=(30, 388)),
                      ["a", "b", "c"] * 10) for i in range(3)]

    def embed_heads() -> int:
        embedder._cache.clear()  # time real embedding work, not the cache
        feats = featurizer(sample)
        for head in heads:  # three heads share one embedding per post
            head.predict(feats)
        return len(sample)

    add("embeddings + 3 heads (batch 64, length-sorted)", "posts/s",
        median_rate(embed_heads, args.runs), ">= 100")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    add("peak RSS of this process", "MiB", peak, "")
    write(rows)


def write(rows: list[tuple[str, str, float | None, str]]) -> None:
    out = ROOT / "bench" / "out"
    out.mkdir(parents=True, exist_ok=True)
    (out / "eval_nlp.json").write_text(json.dumps(
        [{"what": w, "figure": f, "value": v, "target": t} for w, f, v, t in rows], indent=2))
    print(f"wrote {out / 'eval_nlp.json'}")


if __name__ == "__main__":
    main()

"""The learned topic head on the civic dev set, judged by 5-fold
cross-validation over the WHOLE set (issue 13), not by one half-to-half split.

    python bench/topic_head_cv.py [--features minilm+wordllama+tfidf] [--trainer 3]
        [--data-dir ../shared/data/eval] [--folds 5] [--fit-all]

All 11 categories of civic_bengaluru_dev.csv. Folds: ``nlp.training.grouped_folds``
(StratifiedGroupKFold) on the file's ``group_key``, so near-duplicates never
straddle a fold (``listener train`` groups by ``near_duplicate_key``, which
the file's ``group_key`` refines).

``--trainer 2`` (the trainer ``listener train`` runs for a feature set with
``+tfidf``): ``nlp.training.out_of_fold`` gives every post's held-out class
probabilities from the embedding head at each C of ``C_GRID_V2`` and from the
text head v2; ``nlp.training.choose`` picks C and the text head's weight
(``WEIGHT_GRID``) as the trainer does. Two figures:

- "chosen on all folds": the trainer's own choice, scored on the same
  folds (what the model card says; slightly optimistic);
- "chosen without the fold": for each fold, the pair that is best on the
  other four folds' held-out posts, scored on this fold. Not fully nested
  (the models that scored the other folds saw this fold's posts), but the
  fold's own labels never pick its settings. Fully nested CV (the whole
  trainer re-run inside each outer fold) was too slow on the shared machine.

``--trainer 3`` (the trainer ``listener train`` runs now): nested
cross-validation, ``nlp.training.nested_cross_validate``: for each outer
fold, every setting of trainer v3 (C, the text head's weight, the prior
correction, the per-class biases; ``training.select``) is chosen on a 4-fold
cross-validation inside the other four folds (its folds the other outer
folds; 10 fits on three folds and 5 on four in all), then the heads fitted
on the four score the fold. Prints the per-fold choices and figures, trainer
v2's choice on the same probabilities beside it, and what the trainer
chooses on the whole set. Each fit's probabilities are cached in
bench/out/units/ (the text heads' shared by every feature set;
``--text-only`` fits those alone, before the embeddings exist).

``--trainer 1`` is the trainer before (C by the embedding head alone on
the same folds, then the character-only text head v1 averaged half and
half). ``--fit-all`` fits the chosen heads on the whole set, as
``listener train`` ends, and prints the time and the saved files' sizes.
Embeddings are cached in bench/out/. Never used by tests.
"""

from __future__ import annotations

import argparse
import csv
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from nlp import text_head, training  # noqa: E402
from nlp.features import Featurizer, parse_spec  # noqa: E402
from nlp.heads import fit_head  # noqa: E402
from nlp.metrics import evaluate  # noqa: E402


def features_for(spec: str, texts: list[str]) -> np.ndarray:
    """The feature matrix ``Featurizer(spec)`` gives, each embedding block
    cached in bench/out/ (MiniLM takes minutes on a busy machine)."""
    featurizer = Featurizer(spec)
    blocks = [b for b in parse_spec(spec) if b in ("minilm", "wordllama")]
    parts = []
    for block, embedder in zip(blocks, featurizer.embedders, strict=True):
        cache = ROOT / f"bench/out/civic_dev_{block}.npy"
        if cache.exists() and len(np.load(cache)) == len(texts):
            parts.append(np.load(cache))
            continue
        start = time.perf_counter()
        parts.append(embedder.encode(texts))
        print(f"embedded {len(texts)} posts with {block} in"
              f" {time.perf_counter() - start:.0f} s")
        cache.parent.mkdir(parents=True, exist_ok=True)
        np.save(cache, parts[-1])
    if "vader" in spec:
        from nlp.vader import VaderSentiment

        vader = VaderSentiment()
        parts.append(np.array([vader.scores(t) for t in texts], dtype=np.float32))
    matrix = np.hstack(parts)
    assert np.allclose(matrix[:20], featurizer(texts[:20]), atol=1e-5)  # as train computes
    return matrix


def fold_f1(y: np.ndarray, pred: np.ndarray, folds: list[tuple[np.ndarray, np.ndarray]],
            classes: list[str]) -> list[float]:
    return [float(evaluate(list(y[te]), list(pred[te]), classes)["macro_f1"])
            for _, te in folds]


def show(title: str, y: np.ndarray, pred: np.ndarray, scores: list[float],
         classes: list[str]) -> None:
    pooled = evaluate(list(y), list(pred), classes)
    print(f"\n{title}: macro-F1 {statistics.fmean(scores):.3f} +- {statistics.stdev(scores):.3f}"
          f" over {len(scores)} folds ({', '.join(f'{v:.3f}' for v in scores)});"
          f" pooled {pooled['macro_f1']:.3f}, accuracy {pooled['accuracy']:.3f}")
    print(f"{'class':<18}{'precision':>10}{'recall':>8}{'f1':>7}{'support':>9}")
    for c in classes:
        f = pooled["per_class"][c]
        print(f"{c:<18}{f['precision']:>10.3f}{f['recall']:>8.3f}{f['f1']:>7.3f}"
              f"{f['support']:>9}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data-dir", type=Path, default=next(
        (p / "shared/data/eval" for p in (ROOT.parent, ROOT.parent.parent)
         if (p / "shared/data/eval").is_dir()), ROOT.parent / "shared/data/eval"))
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--features", default="minilm+wordllama+tfidf")
    parser.add_argument("--trainer", type=int, choices=(1, 2, 3), default=training.TRAINER)
    parser.add_argument("--jobs", type=int, default=1, help="folds fitted in parallel")
    parser.add_argument("--limit", type=int, default=0,
                        help="only the first N posts (a quick check of the script)")
    parser.add_argument("--text-only", action="store_true",
                        help="trainer 3: fit (and cache) the text heads only, then stop")
    parser.add_argument("--fit-all", action="store_true",
                        help="fit the chosen heads on the whole set; time and sizes")
    args = parser.parse_args()
    if "tfidf" not in parse_spec(args.features):
        parser.error("this bench scores the pair of heads: a feature set with +tfidf")
    path = args.data_dir / "civic_bengaluru_dev.csv"
    with path.open(newline="", encoding="utf-8") as fh:
        rows = [r for r in csv.DictReader(fh) if r["text"].strip() and r["category"].strip()]
    texts = [r["text"] for r in rows]
    y = np.array([r["category"] for r in rows])
    labels = [str(v) for v in y]
    groups = [r.get("group_key") or r["text"] for r in rows]
    if args.text_only:
        if args.trainer != 3:
            parser.error("--text-only is for --trainer 3")
        features = np.zeros((len(texts), 0))
    else:
        features = features_for(args.features, texts)
    if args.limit:
        texts, y, groups, features = (texts[:args.limit], y[:args.limit],
                                      groups[:args.limit], features[:args.limit])
    labels = [str(v) for v in y]
    classes = sorted(set(labels))
    print(f"{len(texts)} posts, {len(classes)} categories; features {args.features}"
          f" ({features.shape[1]} columns + text head); trainer v{args.trainer};"
          f" {args.folds}-fold CV grouped by group_key")
    folds = training.grouped_folds(labels, groups, args.folds)
    start = time.perf_counter()
    if args.trainer == 3:
        nested(args, features, texts, labels, folds, classes)
        return
    if args.trainer == 1:
        emb = {c: np.zeros((len(y), len(classes))) for c in training.C_GRID}
        text = np.zeros((len(y), len(classes)))
        for train_idx, test_idx in folds:
            fitted = text_head.fit_text_head([texts[i] for i in train_idx],
                                             [labels[i] for i in train_idx], version=1)
            text[test_idx] = fitted.scores([texts[i] for i in test_idx])
            for c in training.C_GRID:
                head = fit_head(features[train_idx], [labels[i] for i in train_idx],
                                         c=c)
                emb[c][test_idx] = head.scores(features[test_idx])
        alone = {c: statistics.fmean(fold_f1(y, np.array(classes)[p.argmax(1)], folds, classes))
                 for c, p in emb.items()}
        c = max(alone, key=lambda k: alone[k])
        mixed = text_head.average(emb[c], text)
        pred = np.array(classes)[mixed.argmax(1)]
        print(f"CV took {time.perf_counter() - start:.0f} s; C by the embedding head"
              f" alone: {', '.join(f'{k}: {v:.3f}' for k, v in alone.items())}")
        show(f"trainer v1: C={c}, text head v1 weight 0.5", y, pred,
             fold_f1(y, pred, folds, classes), classes)
        return

    cache = ROOT / f"bench/out/oof_{args.features}_{args.folds}_{len(texts)}.npz"
    if cache.exists():
        with np.load(cache) as saved:
            text = saved["text"]
            emb = {c: saved[f"emb_{c}"] for c in training.C_GRID_V2}
        print(f"held-out probabilities from {cache.name}")
    else:
        from concurrent.futures import ProcessPoolExecutor

        with ProcessPoolExecutor(args.jobs) as pool:  # one fold each, summed
            parts = list(pool.map(training.out_of_fold, *zip(
                *[(features, texts, labels, [fold]) for fold in folds], strict=True)))
        text = np.sum([p[1] for p in parts], axis=0)
        emb = {c: np.sum([p[0][c] for p in parts], axis=0) for c in training.C_GRID_V2}
        arrays: dict[str, Any] = {f"emb_{c}": v for c, v in emb.items()}
        np.savez(cache, text=text, **arrays)
    print(f"held-out probabilities for {len(training.C_GRID_V2)} C and the text head in"
          f" {time.perf_counter() - start:.0f} s")
    print("macro-F1 (mean of folds) by C (rows) and text head weight (columns):")
    print(f"{'C':>8}" + "".join(f"{w:>8}" for w in (0.0, *training.WEIGHT_GRID, 1.0)))
    for c, probs in emb.items():
        cells = []
        for w in (0.0, *training.WEIGHT_GRID, 1.0):
            pred = np.array(classes)[text_head.average(probs, text, w).argmax(1)]
            cells.append(statistics.fmean(fold_f1(y, pred, folds, classes)))
        print(f"{c:>8}" + "".join(f"{v:>8.3f}" for v in cells))

    c, w, _ = training.choose(emb, text, labels)
    pred = np.array(classes)[text_head.average(emb[c], text, w).argmax(1)]
    show(f"trainer v2, chosen on all folds (C={c}, text weight {w})", y, pred,
         fold_f1(y, pred, folds, classes), classes)

    held = np.empty(len(y), dtype=object)
    scores = []
    for k, (_, test_idx) in enumerate(folds):
        others = np.concatenate([te for j, (_, te) in enumerate(folds) if j != k])
        ck, wk, _ = training.choose({cc: p[others] for cc, p in emb.items()}, text[others],
                                    [labels[i] for i in others])
        mixed = text_head.average(emb[ck][test_idx], text[test_idx], wk)
        held[test_idx] = np.array(classes)[mixed.argmax(1)]
        scores.append(float(evaluate(list(y[test_idx]), list(held[test_idx]),
                                     classes)["macro_f1"]))
        print(f"fold {k + 1}: chosen on the other folds C={ck}, text weight {wk};"
              f" macro-F1 on this fold {scores[-1]:.3f}")
    show("trainer v2, settings chosen without the fold", y, held, scores, classes)

    if args.fit_all:
        start = time.perf_counter()
        head = fit_head(features, labels, c=c)
        text_fit = text_head.fit_text_head(texts, labels)
        took = time.perf_counter() - start
        with tempfile.TemporaryDirectory() as tmp:
            folder = Path(tmp)
            sizes = {p.name: p.stat().st_size for p in (head.save(folder),
                                                        text_fit.save(folder))}
        print(f"\nfitting both heads on all {len(texts)} posts: {took:.0f} s;"
              f" files {', '.join(f'{k} {v / 1e6:.1f} MB' for k, v in sizes.items())};"
              f" text head {text_fit.n_features} n-grams")


def _unit(features: np.ndarray | None, texts: list[str], labels: list[str],
          train_idx: np.ndarray, test_idx: np.ndarray, cache: dict[str, Path]
          ) -> dict[str, np.ndarray]:
    """The heads fitted on ``train_idx`` (the trainer's ``out_of_fold`` on one
    split: the embedding head at each C of its grid, the text head), their
    probabilities on ``test_idx`` (columns: every class of the file). Each
    head's part cached on its own (``features`` None: the text head only);
    the text heads' for any feature set."""
    out: dict[str, np.ndarray] = {}
    for part in ("text", "emb") if features is not None else ("text",):
        path = cache[part]
        if path.exists():
            with np.load(path) as saved:
                out.update({k: saved[k] for k in saved.files})
            continue
        start, cpu = time.perf_counter(), time.process_time()
        emb, text = training.out_of_fold(
            features if features is not None else np.zeros((len(texts), 1)), texts, labels,
            [(train_idx, test_idx)], c_grid=C_GRID if part == "emb" else (),
            text_head=part == "text")
        got = ({"text": text[test_idx]} if part == "text" else
               {f"emb_{c}": v[test_idx] for c, v in emb.items()})
        path.parent.mkdir(parents=True, exist_ok=True)
        np.savez(path, **got)
        out.update(got)
        print(f"  {part} head(s) fitted on {len(train_idx)} posts in"
              f" {time.perf_counter() - start:.0f} s (CPU {time.process_time() - cpu:.0f} s)",
              flush=True)
    return out


C_GRID = training.C_GRID_V3


def _units(args: argparse.Namespace, features: np.ndarray | None, texts: list[str],
           labels: list[str], splits: list[tuple[np.ndarray, np.ndarray]]
           ) -> list[dict[str, np.ndarray]]:
    import hashlib
    from concurrent.futures import ProcessPoolExecutor

    caches = []
    for train_idx, test_idx in splits:
        digest = hashlib.sha256(train_idx.tobytes() + b"|" + test_idx.tobytes()).hexdigest()[:16]
        caches.append({"text": ROOT / f"bench/out/units/text_{len(texts)}_{digest}.npz",
                       "emb": ROOT / f"bench/out/units/emb_{len(texts)}_{digest}"
                                     f"_{args.features}.npz"})
    with ProcessPoolExecutor(args.jobs) as pool:
        return list(pool.map(_unit, *zip(*[(features, texts, labels, tr, te, cache) for
                                           (tr, te), cache in zip(splits, caches, strict=True)],
                                         strict=True)))


def nested(args: argparse.Namespace, features: np.ndarray, texts: list[str],
           labels: list[str], folds: list[tuple[np.ndarray, np.ndarray]],
           classes: list[str]) -> None:
    """Trainer v3 judged by nested cross-validation
    (``training.nested_cross_validate``: every setting chosen inside each
    outer fold's training part). Every fit is cached (bench/out/units/), so a
    re-run only re-selects; ``--text-only`` fits the text heads and stops."""
    y = np.array(labels)
    start, cpu = time.perf_counter(), time.process_time()
    if args.text_only:
        def fits(work: list[tuple[np.ndarray, np.ndarray]]) -> list[dict[str, np.ndarray]]:
            _units(args, None, texts, labels, work)
            print(f"text heads fitted and cached in {time.perf_counter() - start:.0f} s")
            raise SystemExit(0)
    else:
        def fits(work: list[tuple[np.ndarray, np.ndarray]]) -> list[dict[str, np.ndarray]]:
            print(f"{len(work)} fits: {len(folds)} on all folds but one, the rest on all but"
                  " two (for the inner choice)", flush=True)
            return _units(args, features, texts, labels, work)
    result = training.nested_cross_validate(labels, folds, fits)
    print(f"fits and choices took {time.perf_counter() - start:.0f} s (CPU of this process"
          f" {time.process_time() - cpu:.0f} s; the workers' is printed per fit)")
    c, w, decision, figures = result["whole"]
    print(f"\nthe trainer's choice on the whole dev set (held-out probabilities of the"
          f" {len(folds)} outer fits): C={c}, text weight {w}, prior {decision.prior},"
          f" biases {_biases(decision)}; held-out macro-F1 under that choice"
          f" {figures['macro_f1']:.3f} (chosen on the same folds: optimistic)")
    for k, ((ck, wk, dk, fk), score, (c2, w2), s2) in enumerate(zip(
            result["chosen"], result["scores"], result["v2_chosen"], result["v2_scores"],
            strict=True)):
        print(f"fold {k + 1}: chosen inside its training part C={ck}, text weight {wk},"
              f" prior {dk.prior}, biases {_biases(dk)} (inner held-out"
              f" {fk['macro_f1']:.3f}); macro-F1 on the fold {score:.3f}"
              f" (trainer v2's choice there, C={c2}, weight {w2}: {s2:.3f})")
    show("trainer v2, nested (C and weight chosen inside each outer fold's training part)",
         y, result["v2_predictions"], result["v2_scores"], classes)
    show("trainer v3, nested (every setting chosen inside each outer fold's training part)",
         y, result["predictions"], result["scores"], classes)


def _biases(decision: Any) -> str:
    return ", ".join(f"{c} {b:+.1f}" for c, b in zip(decision.classes, decision.bias,
                                                      strict=True) if b) or "none"


if __name__ == "__main__":
    main()

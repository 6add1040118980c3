"""``listener label export``, ``listener train``, ``listener eval``: the
labelling loop that measures how good the labels are."""

from __future__ import annotations

from pathlib import Path

import typer

from listener.cli.common import open_store, settings_from
from listener.cli.progress import bars
from storage.records import VOICES

# The labelled-file options that train and eval share.
_DATA = typer.Option(..., "--data", exists=True, dir_okay=False, help="Labelled CSV.")
_TASK = typer.Option(..., "--task", help="sentiment, topic, relevance, ...")
_TEXT_COL = typer.Option("text", "--text-col")
_LABEL_COL = typer.Option("label", "--label-col")


def register(app: typer.Typer) -> None:
    label_app = typer.Typer(help="Export posts for staff to label.", no_args_is_help=True)
    app.add_typer(label_app, name="label")

    @label_app.command("export")
    def export(
        ctx: typer.Context,
        n: int = typer.Option(200, "--n", min=1, help="How many posts."),
        topic: str | None = typer.Option(None, "--topic",
                                         help="Only posts with this topic ('(none)': none)."),
        stratify: bool = typer.Option(False, "--stratify",
                                      help="Spread the sample evenly over topics."),
        seed: int = typer.Option(0, "--seed", help="Sample seed (same seed, same sample)."),
        voice: str | None = typer.Option(
            None, "--voice", help="Only posts of this voice: to_us (addressed to the body: "
            "label them question/complaint/none for `train --task request`), own, about_us."),
        out: Path = typer.Option(Path("labels.csv"), "--out", "-o", help="CSV to write."),
    ) -> None:
        """Write a CSV of posts for staff to label (fill in the 'label' column).
        Mentions are masked as in the report; cells are formula-safe."""
        from listener.query.masking import mask_handles, official_handles
        from reports.csvfile import write_csv

        settings = settings_from(ctx, check_credentials=False)
        store = open_store(settings)
        if voice is not None and voice not in VOICES:
            typer.echo(f"--voice is one of {', '.join(VOICES)}, not {voice!r}", err=True)
            raise typer.Exit(2)
        rows = store.label_export.sample(n, topic=topic, stratify=stratify, seed=seed,
                                         voice=voice)
        official = official_handles(settings.privacy.official_accounts)
        write_csv(out, ["post_id", "platform", "created_at", "text", "predicted_topics",
                        "predicted_sentiment", "label", "notes"],
                  [[r.post_id, r.platform, r.created_at, mask_handles(r.text, official),
                    r.topics, r.sentiment, "", ""] for r in rows])
        typer.echo(f"wrote {len(rows)} posts to {out}: fill in the 'label' column, then"
                   f" `listener train --data {out} --task ...`")

    @app.command("train")
    def train(
        ctx: typer.Context,
        data: Path = _DATA,
        task: str = _TASK,
        text_col: str = _TEXT_COL,
        label_col: str = _LABEL_COL,
        name: str | None = typer.Option(None, "--name",
                                        help="Classifier name (default <task>.head)."),
        features: str = typer.Option("minilm+vader", "--features",
                                     help="Blocks joined by '+': minilm and/or wordllama"
                                     " (the core static embedding), optionally vader, and"
                                     " tfidf (adds a word + character n-gram head; C and its"
                                     " weight chosen by grouped CV). For topics:"
                                     " minilm+tfidf or minilm+wordllama+tfidf; without"
                                     " torch: wordllama+tfidf."),
    ) -> None:
        """Train a classifier head on labelled posts and save it as a new version."""
        from nlp.workflows import train_from_csv

        settings = settings_from(ctx, check_credentials=False)
        with bars() as shown:
            card = train_from_csv(data, task, settings.data_dir, text_col=text_col,
                                  label_col=label_col, name=name, features=features,
                                  threads=settings.nlp.torch_threads,
                                  model_path=settings.nlp.embedding_model_path,
                                  step=shown.step)
        m = card["metrics"]
        typer.echo(f"saved {card['name']} {card['version']} ({card['n_train']} posts,"
                   f" classes {', '.join(card['classes'])})")
        typer.echo(f"cross-validated: accuracy {m['accuracy']:.3f}, macro-F1"
                   f" {m['macro_f1']:.3f} ({m['folds']} folds)")
        typer.echo(f"use it: nlp.extra_classifiers: [{card['name']}]  (or for topics:"
                   f" topic_classifier: topics.combined, learned_topic: {card['name']})")

    @app.command("eval")
    def eval_(
        ctx: typer.Context,
        data: Path = _DATA,
        task: str = _TASK,
        text_col: str = _TEXT_COL,
        label_col: str = _LABEL_COL,
        classifier: str | None = typer.Option(
            None, "--classifier", help="Name[.vN] (default: the one configured for the task)."),
        out: Path | None = typer.Option(None, "--out", help="JSON to write (default: next to"
                                        " the classifier in the data directory)."),
        classes: str | None = typer.Option(
            None, "--classes", help="Comma-separated classes the macro-F1 averages over"
            " (default: every gold and predicted class, as scikit-learn does)."),
        maps: list[str] = typer.Option(
            [], "--map", help="GOLD=LABEL, repeatable: relabel gold labels to the"
            " classifier's (e.g. 'Waste/Garbage=waste_recycling'); rows whose gold label no"
            " --map names are dropped."),
    ) -> None:
        """Score a classifier on labelled posts: accuracy, macro-F1, per class, confusion."""
        from nlp.labelled import LabelledDataError, parse_mapping
        from nlp.metrics import format_report
        from nlp.workflows import classifier_for, eval_csv, save_eval

        settings = settings_from(ctx, check_credentials=False)
        try:
            mapping = parse_mapping(maps)
            named = [c.strip() for c in (classes or "").split(",") if c.strip()]
            clf = classifier_for(task, settings.nlp, dict(settings.topics), settings.data_dir,
                                 classifier)
            figures = eval_csv(clf, data, text_col=text_col, label_col=label_col, task=task,
                               classes=named or None, mapping=mapping)
        except LabelledDataError as exc:
            typer.echo(str(exc), err=True)
            raise typer.Exit(1) from None
        typer.echo(f"{clf.name} {clf.version} on {data}")
        if mapping:
            pairs = "; ".join(f"{g} -> {v}" for g, v in mapping.items())
            typer.echo(f"gold labels mapped ({pairs}); {figures['dropped_unmapped']} rows with"
                       " other gold labels dropped")
        typer.echo(format_report(figures))
        path = save_eval(settings.data_dir, figures, out)
        typer.echo(f"\nwrote {path}")

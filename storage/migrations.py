"""The schema, built by migrations recorded in the database.

A migration, once released, is never edited: a schema change is a new
function appended below. ``apply`` runs whatever is pending.
"""

from __future__ import annotations

import json

from sqlite_utils import Database
from sqlite_utils.migrations import Migrations

from storage.driver import sqlite3

migrations = Migrations("civic_listener")


def _run(db: Database, script: str) -> None:
    """Execute a script statement by statement, inside the migration's
    transaction (``executescript`` would commit half-way)."""
    buffer = ""
    for line in script.splitlines(keepends=True):
        if line.strip().startswith("--"):
            continue
        buffer += line
        if sqlite3.complete_statement(buffer):
            db.execute(buffer)
            buffer = ""
    if buffer.strip():
        db.execute(buffer)


@migrations()
def m001_core(db: Database) -> None:
    _run(
        db,
        """
        CREATE TABLE posts (
            id INTEGER PRIMARY KEY,
            platform TEXT NOT NULL,
            native_id TEXT NOT NULL,
            url TEXT,
            text TEXT NOT NULL,
            title TEXT,
            created_at TEXT NOT NULL,          -- ISO 8601, UTC
            collected_at TEXT NOT NULL,        -- first stored, UTC
            updated_at TEXT NOT NULL,          -- last changed, UTC
            author_key TEXT,                   -- keyed pseudonym (HMAC)
            author_handle TEXT,                -- only for allow-listed official accounts
            lang TEXT,
            replies INTEGER,
            reposts INTEGER,
            likes INTEGER,
            quotes INTEGER,
            place TEXT,
            in_reply_to TEXT,
            content_hash TEXT NOT NULL,
            checked_at TEXT,                   -- last platform deletion re-check
            UNIQUE (platform, native_id)
        );
        CREATE INDEX idx_posts_created ON posts (created_at);
        CREATE INDEX idx_posts_platform_created ON posts (platform, created_at);
        CREATE INDEX idx_posts_author ON posts (author_key);

        CREATE TABLE post_matches (
            post_id INTEGER NOT NULL REFERENCES posts (id) ON DELETE CASCADE,
            source TEXT NOT NULL,
            query TEXT NOT NULL DEFAULT '',
            first_seen_at TEXT NOT NULL,
            PRIMARY KEY (post_id, source, query)
        );
        CREATE INDEX idx_matches_source ON post_matches (source);

        CREATE TABLE raw_payloads (
            post_id INTEGER PRIMARY KEY REFERENCES posts (id) ON DELETE CASCADE,
            source TEXT NOT NULL,
            request TEXT NOT NULL,             -- JSON: endpoint and parameters, never a secret
            payload TEXT NOT NULL,             -- JSON as the platform sent it
            retrieved_at TEXT NOT NULL,
            collector_version TEXT NOT NULL
        );
        CREATE INDEX idx_raw_retrieved ON raw_payloads (retrieved_at);

        CREATE TABLE labels (
            post_id INTEGER NOT NULL REFERENCES posts (id) ON DELETE CASCADE,
            task TEXT NOT NULL,
            label TEXT NOT NULL,
            score REAL,
            classifier TEXT NOT NULL,
            version TEXT NOT NULL,
            model_id TEXT,
            evidence TEXT,                     -- JSON list of matched terms or features
            config_hash TEXT,
            labelled_at TEXT NOT NULL,
            PRIMARY KEY (post_id, task, label)
        );
        CREATE INDEX idx_labels_task_label ON labels (task, label, post_id);

        -- one row per post and task once a classifier has looked at it, so that
        -- "no topic" (unclassified) is told apart from "not yet classified"
        CREATE TABLE label_state (
            post_id INTEGER NOT NULL REFERENCES posts (id) ON DELETE CASCADE,
            task TEXT NOT NULL,
            classifier TEXT NOT NULL,
            version TEXT NOT NULL,
            config_hash TEXT,
            labelled_at TEXT NOT NULL,
            PRIMARY KEY (post_id, task)
        );

        CREATE TABLE cursors (
            source TEXT NOT NULL,
            key TEXT NOT NULL,
            value TEXT NOT NULL,
            updated_at TEXT NOT NULL,
            PRIMARY KEY (source, key)
        );

        CREATE TABLE runs (
            id INTEGER PRIMARY KEY,
            source TEXT NOT NULL,
            started_at TEXT NOT NULL,
            ended_at TEXT,
            status TEXT NOT NULL,              -- running, ok, failed, interrupted
            pages INTEGER NOT NULL DEFAULT 0,
            fetched INTEGER NOT NULL DEFAULT 0,
            new INTEGER NOT NULL DEFAULT 0,
            duplicates INTEGER NOT NULL DEFAULT 0,
            quarantined INTEGER NOT NULL DEFAULT 0,
            error TEXT
        );
        CREATE INDEX idx_runs_source ON runs (source, started_at);

        CREATE TABLE quarantine (
            id INTEGER PRIMARY KEY,
            source TEXT NOT NULL,
            platform TEXT NOT NULL,
            run_id INTEGER,
            error TEXT NOT NULL,
            payload TEXT NOT NULL,
            received_at TEXT NOT NULL
        );

        CREATE TABLE config_versions (
            hash TEXT PRIMARY KEY,
            path TEXT,
            text TEXT NOT NULL,
            loaded_at TEXT NOT NULL
        );

        -- erasure and objection: pseudonyms whose posts are never stored again
        CREATE TABLE blocked_authors (
            author_key TEXT PRIMARY KEY,
            added_at TEXT NOT NULL
        );

        -- per-source usage counters, e.g. X reads per calendar month
        CREATE TABLE usage (
            source TEXT NOT NULL,
            period TEXT NOT NULL,
            reads INTEGER NOT NULL DEFAULT 0,
            updated_at TEXT NOT NULL,
            PRIMARY KEY (source, period)
        )
        """,
    )
    # Full-text index over post text, kept in step by triggers. The update
    # trigger fires only when the text changes, not on metadata updates.
    _run(
        db,
        """
        CREATE VIRTUAL TABLE posts_fts USING fts5 (
            text, title, content='posts', content_rowid='id',
            tokenize='porter unicode61 remove_diacritics 2'
        );
        CREATE TRIGGER posts_ai AFTER INSERT ON posts BEGIN
            INSERT INTO posts_fts (rowid, text, title) VALUES (new.id, new.text, new.title);
        END;
        CREATE TRIGGER posts_ad AFTER DELETE ON posts BEGIN
            INSERT INTO posts_fts (posts_fts, rowid, text, title)
            VALUES ('delete', old.id, old.text, old.title);
        END;
        CREATE TRIGGER posts_au AFTER UPDATE OF text, title ON posts BEGIN
            INSERT INTO posts_fts (posts_fts, rowid, text, title)
            VALUES ('delete', old.id, old.text, old.title);
            INSERT INTO posts_fts (rowid, text, title) VALUES (new.id, new.text, new.title);
        END
        """,
    )

@migrations()
def m005_service_state(db: Database) -> None:
    """What the running service tells ``listener status`` (another process):
    per scheduled job its next and last runs, and small service facts (the
    running instance, its heartbeat, the config in force, the last config
    error)."""
    _run(
        db,
        """
        CREATE TABLE service_jobs (
            job TEXT PRIMARY KEY,              -- collect:<source>, report, housekeeping
            next_run_at TEXT,                  -- UTC; NULL when not scheduled
            last_started_at TEXT,
            last_finished_at TEXT,
            last_status TEXT,                  -- ok, failed
            last_error TEXT,
            last_success_at TEXT,
            updated_at TEXT NOT NULL
        );
        CREATE TABLE service_state (
            key TEXT PRIMARY KEY,              -- instance, heartbeat, config, config_error
            value TEXT NOT NULL,               -- JSON
            updated_at TEXT NOT NULL
        )
        """,
    )


def apply(db: Database) -> None:
    migrations.apply(db)


@migrations()
def m010_privacy_blocked_posts(db: Database) -> None:
    """Erasure of one post (``listener forget --url``) blocks that post from
    being collected again: a hash of platform and native id, never the URL."""
    _run(
        db,
        """
        CREATE TABLE blocked_posts (
            post_hash TEXT PRIMARY KEY,        -- sha256 of 'platform:native_id'
            added_at TEXT NOT NULL
        );
        CREATE INDEX idx_posts_checked ON posts (platform, checked_at)
        """,
    )



@migrations()
def m011_reports_alerts_sent(db: Database) -> None:
    """One row per emerging-issue alert sent: at most one per topic per day.
    (IF NOT EXISTS: development databases made from the reports branch had
    this table from an earlier name of this migration.)"""
    _run(
        db,
        """
        CREATE TABLE IF NOT EXISTS alerts_sent (
            topic TEXT NOT NULL,
            day TEXT NOT NULL,                 -- the local day the alert is about
            sent_at TEXT NOT NULL,             -- UTC
            posts INTEGER NOT NULL,
            channels TEXT NOT NULL DEFAULT '', -- e.g. "email,webhook"
            PRIMARY KEY (topic, day)
        )
        """,
    )


@migrations()
def m012_label_state_by_classifier(db: Database) -> None:
    """Which classifier versions looked at a range of posts, and how many,
    read from an index instead of every row: the weekly report's methods
    footer names them (a full read cost 0.6 s on a week of 1,000,000 posts)."""
    _run(
        db,
        """
        CREATE INDEX idx_label_state_classifier
            ON label_state (task, classifier, version, post_id)
        """,
    )


@migrations()
def m140_audit_tables(db: Database) -> None:
    """Staff audits of the classifiers (``storage.audits``): each draw, the
    classifier versions it judges, its items (a copy of each audited post's
    predicted labels and stratum) and the labels staff gave. An item links
    to its post by ``post_ref`` (not ``post_id``): when the post is deleted
    the link is set to NULL by SQLite and the labels, which hold no text
    and no author, stay, so an audit's figures do not change afterwards."""
    _run(
        db,
        """
        CREATE TABLE audits (
            id INTEGER PRIMARY KEY,
            drawn_at TEXT NOT NULL,            -- UTC
            period_start TEXT NOT NULL,        -- UTC, half-open [start, end)
            period_end TEXT NOT NULL,
            period_label TEXT NOT NULL,        -- e.g. 2026-W47
            seed INTEGER NOT NULL,
            requested INTEGER NOT NULL,        -- posts asked for
            sizes TEXT NOT NULL,               -- JSON {stratum: posts in the period when drawn}
            predicted_counts TEXT NOT NULL     -- JSON {task: {stratum: {class: posts}}}
        );
        CREATE TABLE audit_versions (
            audit_id INTEGER NOT NULL REFERENCES audits (id) ON DELETE CASCADE,
            task TEXT NOT NULL,
            classifier TEXT NOT NULL,
            version TEXT NOT NULL,
            PRIMARY KEY (audit_id, task)
        );
        CREATE INDEX idx_audit_versions ON audit_versions (task, classifier, version);
        CREATE TABLE audit_items (
            audit_id INTEGER NOT NULL REFERENCES audits (id) ON DELETE CASCADE,
            position INTEGER NOT NULL,         -- 1.. in the order staff see them
            post_ref INTEGER REFERENCES posts (id) ON DELETE SET NULL,
            stratum TEXT NOT NULL,             -- e.g. roads_potholes|negative
            predicted TEXT NOT NULL,           -- JSON {task: [labels]} when drawn
            PRIMARY KEY (audit_id, position)
        );
        CREATE INDEX idx_audit_items_post ON audit_items (post_ref);
        CREATE TABLE audit_labels (
            audit_id INTEGER NOT NULL,
            position INTEGER NOT NULL,
            task TEXT NOT NULL,
            labels TEXT NOT NULL,              -- JSON [labels]; [] is "none"
            labeller TEXT NOT NULL,
            labelled_at TEXT NOT NULL,         -- UTC
            source TEXT NOT NULL,              -- "csv:<file name>" or "page"
            PRIMARY KEY (audit_id, position, task),
            FOREIGN KEY (audit_id, position) REFERENCES audit_items (audit_id, position)
                ON DELETE CASCADE
        )
        """,
    )


@migrations()
def m100_engagement_conversations(db: Database) -> None:
    """The conversation each post belongs to (issue 18): its thread, the post
    it replies to (once that post is stored: a reply can arrive before its
    parent), and its voice: ``own`` (the body's allow-listed accounts),
    ``to_us`` (a reply to the body's post, or a mention of the body),
    ``about_us`` (everything else). Kept by ``storage.conversations`` in the
    same transaction as the page; posts stored before are backfilled here."""
    _run(
        db,
        """
        CREATE TABLE conversations (
            post_id INTEGER PRIMARY KEY REFERENCES posts (id) ON DELETE CASCADE,
            platform TEXT NOT NULL,
            thread_native TEXT,                -- the platform's own thread id, when it gives one
            thread TEXT NOT NULL,              -- the thread's root native id (provisional until
                                               -- the chain up to a root or thread id is stored)
            parent_native TEXT,                -- native id of the post it replies to
            parent_id INTEGER REFERENCES posts (id) ON DELETE SET NULL,  -- once stored
            voice TEXT NOT NULL,               -- own, to_us, about_us
            addressed INTEGER NOT NULL DEFAULT 0,  -- mentions the body / delivered as addressed
            created_at TEXT NOT NULL           -- the post's, UTC (time windows by voice)
        );
        CREATE INDEX idx_conv_parent_native ON conversations (platform, parent_native);
        CREATE INDEX idx_conv_parent ON conversations (parent_id);
        CREATE INDEX idx_conv_thread ON conversations (platform, thread);
        CREATE INDEX idx_conv_voice ON conversations (voice, created_at);

        INSERT INTO conversations (post_id, platform, thread_native, thread, parent_native,
                                   parent_id, voice, addressed, created_at)
        SELECT p.id, p.platform, NULL, COALESCE(p.in_reply_to, p.native_id), p.in_reply_to,
               (SELECT q.id FROM posts q WHERE q.platform = p.platform
                  AND q.native_id = p.in_reply_to),
               CASE WHEN p.author_handle IS NOT NULL THEN 'own' ELSE 'about_us' END,
               0, p.created_at
        FROM posts p;

        UPDATE conversations SET voice = 'to_us'
        WHERE voice = 'about_us' AND parent_id IN (SELECT post_id FROM conversations
                                                   WHERE voice = 'own')
        """,
    )


@migrations()
def m160_routing_actions(db: Database) -> None:
    """The action log ("you said, we did", ``storage.actions``): what the body
    did about a topic, and every change to it (who, when, the fields before
    and after). An action is never deleted: a correction that withdraws it
    keeps it, marked withdrawn, with its trail."""
    _run(
        db,
        """
        CREATE TABLE actions (
            id INTEGER PRIMARY KEY,
            topic TEXT NOT NULL,               -- topic slug
            place TEXT,                        -- nlp.places slug, or NULL: everywhere
            day TEXT NOT NULL,                 -- local date it took effect, YYYY-MM-DD
            text TEXT NOT NULL,                -- what was done, in the body's words
            link TEXT,                         -- a public page about it
            withdrawn INTEGER NOT NULL DEFAULT 0,
            created_by TEXT NOT NULL,
            created_at TEXT NOT NULL,          -- UTC
            updated_at TEXT NOT NULL
        );
        CREATE INDEX idx_actions_day ON actions (day);
        CREATE TABLE action_edits (
            id INTEGER PRIMARY KEY,
            action_id INTEGER NOT NULL REFERENCES actions (id),
            edited_by TEXT NOT NULL,
            edited_at TEXT NOT NULL,           -- UTC
            before TEXT,                       -- JSON of the fields before; NULL: added
            after TEXT NOT NULL,               -- JSON of the fields after
            reason TEXT
        );
        CREATE INDEX idx_action_edits ON action_edits (action_id, id)
        """,
    )


@migrations()
def m161_routing_lookups(db: Database) -> None:
    """Who looked at what (``storage.lookups``): each lookup of a single post
    or author (``forget``, ``query --url``, the page's look-up by link), with
    the user and the time. ``target`` never holds a handle or a URL: a post
    is named by the hash the block list uses, an author by a pseudonym
    prefix; ``subject`` is the author's pseudonym, so that repeated viewing
    of one person shows however it was reached."""
    _run(
        db,
        """
        CREATE TABLE lookups (
            id INTEGER PRIMARY KEY,
            at TEXT NOT NULL,                  -- UTC
            user TEXT NOT NULL,                -- web login, or cli:<account>
            channel TEXT NOT NULL,             -- cli, page
            action TEXT NOT NULL,              -- forget-author, forget-url, query-url, page-url
            target TEXT NOT NULL,              -- e.g. "post x:3f2a9c1d07b4", "author x:1a2b3c4d"
            subject TEXT,                      -- the author pseudonym concerned, when known
            found INTEGER NOT NULL             -- posts that matched
        );
        CREATE INDEX idx_lookups_at ON lookups (at);
        CREATE INDEX idx_lookups_subject ON lookups (subject) WHERE subject IS NOT NULL
        """,
    )


@migrations()
def m162_routing_deliveries(db: Database) -> None:
    """Team digests (``storage.routing``): one row per team, channel and post
    once the post is routed to the team. ``sent_at`` NULL: waiting (a failed
    send leaves it waiting, so the next run retries it); the primary key is
    what stops a team getting the same post twice on a channel. Each send
    attempt is logged in ``route_sends``."""
    _run(
        db,
        """
        CREATE TABLE route_deliveries (
            team TEXT NOT NULL,
            channel TEXT NOT NULL,             -- email, webhook
            post_id INTEGER NOT NULL REFERENCES posts (id) ON DELETE CASCADE,
            queued_at TEXT NOT NULL,           -- UTC
            sent_at TEXT,                      -- UTC; NULL: not yet delivered
            attempts INTEGER NOT NULL DEFAULT 0,
            PRIMARY KEY (team, channel, post_id)
        );
        CREATE INDEX idx_route_waiting ON route_deliveries (team, channel, sent_at);
        CREATE TABLE route_sends (
            id INTEGER PRIMARY KEY,
            team TEXT NOT NULL,
            channel TEXT NOT NULL,
            at TEXT NOT NULL,                  -- UTC
            posts INTEGER NOT NULL,
            ok INTEGER NOT NULL,
            error TEXT                         -- why it failed, never a secret
        );
        CREATE INDEX idx_route_sends ON route_sends (team, at)
        """,
    )


@migrations()
def m170_discovery_themes(db: Database) -> None:
    """Discovery (``storage.themes``): each run over a period's posts (a
    report week, or for the daily alert check the seven days to a day), the
    themes found among the posts no topic matched with their members, the
    bursting terms with the posts that use them, and each week's term counts
    (a cache for the bursts' baselines). Members reference their post, so
    deleting a post deletes its memberships (``storage.deletion``), and the
    theme or term is recounted, or deleted when left under the floor."""
    _run(
        db,
        """
        CREATE TABLE discovery_runs (
            id INTEGER PRIMARY KEY,
            kind TEXT NOT NULL,                -- week (a report week) or day (the 7 days to it)
            period TEXT NOT NULL,              -- 2026-W47, or 2026-11-24 for kind day
            period_start TEXT NOT NULL,        -- UTC, half-open [start, end)
            period_end TEXT NOT NULL,
            model_id TEXT NOT NULL,            -- the embedding model, with its version
            model_version TEXT NOT NULL,
            settings_hash TEXT NOT NULL,       -- topics and discovery settings in force
            posts INTEGER NOT NULL,            -- every post of the period
            unmatched INTEGER NOT NULL,        -- posts looked at that no topic matched
            status TEXT NOT NULL,              -- ok, or too_few (unmatched posts to cluster)
            ran_at TEXT NOT NULL,              -- UTC
            seconds REAL NOT NULL,
            UNIQUE (kind, period)
        );
        CREATE TABLE themes (
            id INTEGER PRIMARY KEY AUTOINCREMENT,  -- never reused: identities name ids
            run_id INTEGER NOT NULL REFERENCES discovery_runs (id) ON DELETE CASCADE,
            rank INTEGER NOT NULL,             -- 1 = largest when found
            label TEXT NOT NULL,
            terms TEXT NOT NULL,               -- JSON list of c-TF-IDF terms, best first
            size INTEGER NOT NULL,             -- members; kept true when posts are deleted
            authors INTEGER NOT NULL,          -- distinct authors among the members
            negative INTEGER NOT NULL,         -- members labelled negative
            classified INTEGER NOT NULL,       -- members with a sentiment label
            cohesion REAL NOT NULL,            -- mean cosine of the members to the centroid
            centroid BLOB NOT NULL,            -- float32 unit vector of the run's model
            nearest_topic TEXT,                -- slug of the nearest configured topic
            topic_similarity REAL,
            topic_evidence TEXT,               -- the topic's word it is nearest to
            suggestion TEXT NOT NULL,          -- JSON: kind (add/new), topic, text, yaml
            previous_id INTEGER REFERENCES themes (id) ON DELETE SET NULL,
            previous_similarity REAL,          -- cosine to the earlier theme it continues
            identity INTEGER NOT NULL,         -- id the theme had when first seen (itself when new)
            first_period TEXT NOT NULL,        -- period it was first seen
            streak INTEGER NOT NULL            -- consecutive periods seen, this one included
        );
        CREATE INDEX idx_themes_run ON themes (run_id, rank);
        CREATE TABLE theme_posts (
            theme_id INTEGER NOT NULL REFERENCES themes (id) ON DELETE CASCADE,
            post_id INTEGER NOT NULL REFERENCES posts (id) ON DELETE CASCADE,
            similarity REAL NOT NULL,          -- cosine to the theme's centroid
            representative INTEGER,            -- 1, 2, 3: the posts shown, in order
            PRIMARY KEY (theme_id, post_id)
        ) WITHOUT ROWID;
        CREATE INDEX idx_theme_posts_post ON theme_posts (post_id);
        CREATE TABLE bursts (
            id INTEGER PRIMARY KEY,
            run_id INTEGER NOT NULL REFERENCES discovery_runs (id) ON DELETE CASCADE,
            rank INTEGER NOT NULL,             -- 1 = most unusual
            term TEXT NOT NULL,
            posts INTEGER NOT NULL,            -- posts of the period using it; kept true
            authors INTEGER NOT NULL,          -- distinct authors of those posts
            baseline_mean REAL NOT NULL,       -- posts a period over the baseline periods
            baseline_sd REAL NOT NULL,
            threshold REAL NOT NULL,
            baseline_periods INTEGER NOT NULL,
            suggestion TEXT NOT NULL,          -- JSON: kind (add/new), topic, text, yaml
            UNIQUE (run_id, term)
        );
        CREATE TABLE burst_posts (
            burst_id INTEGER NOT NULL REFERENCES bursts (id) ON DELETE CASCADE,
            post_id INTEGER NOT NULL REFERENCES posts (id) ON DELETE CASCADE,
            example INTEGER,                   -- 1, 2, 3: the posts shown, in order
            PRIMARY KEY (burst_id, post_id)
        ) WITHOUT ROWID;
        CREATE INDEX idx_burst_posts_post ON burst_posts (post_id);
        CREATE TABLE term_weeks (
            period TEXT PRIMARY KEY,           -- a report week, 2026-W47
            period_start TEXT NOT NULL,        -- UTC, half-open
            period_end TEXT NOT NULL,
            tokeniser TEXT NOT NULL,           -- nlp.terms.TOKENISER when counted
            posts INTEGER NOT NULL,            -- every post of the week
            counted_at TEXT NOT NULL
        );
        CREATE TABLE term_week_counts (
            period TEXT NOT NULL REFERENCES term_weeks (period) ON DELETE CASCADE,
            term TEXT NOT NULL,
            posts INTEGER NOT NULL,            -- posts using the term (terms of 2 or more posts)
            PRIMARY KEY (period, term)
        ) WITHOUT ROWID
        """,
    )


@migrations()
def m101_hardening_report_rewrites(db: Database) -> None:
    """Report weeks to write again after an erasure, recorded in the same
    transaction as the erasure so that a crash before the files are written
    leaves the work to the next ``forget``, ``purge`` or service start; and
    an index of replies (few posts are replies) so that erasure can clear
    the pointers of others' replies to an erased post."""
    _run(
        db,
        """
        CREATE TABLE report_rewrites (
            week TEXT PRIMARY KEY,             -- ISO week whose files quote erased posts
            formats TEXT NOT NULL,             -- comma-separated formats written for it
            requested_at TEXT NOT NULL         -- UTC
        );
        CREATE INDEX idx_posts_in_reply_to ON posts (platform, in_reply_to)
            WHERE in_reply_to IS NOT NULL
        """,
    )


@migrations()
def m102_hardening_deliveries(db: Database) -> None:
    """One row per delivery (the weekly report by e-mail, an alert by e-mail
    or webhook, later a team's digest): sent once, retried until sent. The
    alerts already sent are carried over as sent."""
    _run(
        db,
        """
        CREATE TABLE deliveries (
            id INTEGER PRIMARY KEY,
            kind TEXT NOT NULL,                -- weekly_report, alert, team_digest, ...
            key TEXT NOT NULL,                 -- 2026-W47, waste_recycling:2026-11-24, ...
            channel TEXT NOT NULL,             -- email, webhook
            state TEXT NOT NULL,               -- pending, sending, sent, failed
            payload TEXT NOT NULL,             -- what to send, as JSON (never a secret)
            attempts INTEGER NOT NULL DEFAULT 0,
            last_error TEXT,                   -- redacted by the sender
            created_at TEXT NOT NULL,          -- UTC, like every time below
            updated_at TEXT NOT NULL,
            claimed_at TEXT,                   -- when the last attempt started
            sent_at TEXT,
            UNIQUE (kind, key, channel)
        );
        CREATE INDEX idx_deliveries_due ON deliveries (state, created_at)
        """,
    )
    for topic, day, sent_at, posts, channels in db.execute(
            "SELECT topic, day, sent_at, posts, channels FROM alerts_sent").fetchall():
        for channel in [c for c in str(channels).split(",") if c]:
            db.execute(
                "INSERT OR IGNORE INTO deliveries (kind, key, channel, state, payload, attempts,"
                " created_at, updated_at, sent_at) VALUES ('alert', ?, ?, 'sent', ?, 1, ?, ?, ?)",
                [f"{topic}:{day}", channel, json.dumps({"topic": topic, "day": day,
                                                        "posts": posts}),
                 sent_at, sent_at, sent_at])


@migrations()
def m120_rollups_tables(db: Database) -> None:
    """Rollups: per local day (in the zone recorded in ``rollup_state``),
    counts by voice, platform, topic, sentiment, place, term, source and
    classifier; exact distinct authors per local week; bounded author
    samples and example candidates per day (see ``storage.rollups``).

    ``rollup_queue`` holds the posts not yet counted in them: every new post
    enters it (trigger) and leaves when it is first labelled. The posts
    already stored when this migration runs are queued too, so the rollups
    are true (counted from the queue) until ``listener rollups rebuild``."""
    _run(
        db,
        """
        CREATE TABLE rollup_state (
            key TEXT PRIMARY KEY,              -- timezone: the zone of every day below
            value TEXT NOT NULL
        );
        -- reports.timezone's default; a configured zone replaces it (and
        -- rebuilds the rollups) the first time the listener opens the file
        INSERT INTO rollup_state (key, value) VALUES ('timezone', 'Europe/London');
        CREATE TABLE rollup_queue (
            post_id INTEGER PRIMARY KEY REFERENCES posts (id) ON DELETE CASCADE
        );
        CREATE TRIGGER posts_rollup_queue AFTER INSERT ON posts BEGIN
            INSERT INTO rollup_queue (post_id) VALUES (new.id);
        END;
        INSERT INTO rollup_queue (post_id) SELECT id FROM posts;

        -- every post once
        CREATE TABLE rollup_posts (
            day TEXT NOT NULL,                 -- local date, YYYY-MM-DD
            voice TEXT NOT NULL,               -- own (allow-listed official account), public
            platform TEXT NOT NULL,
            sentiment TEXT NOT NULL,           -- negative, neutral, positive, unclassified, pending
            topic_state TEXT NOT NULL,         -- topic, none (looked at, no topic), pending
            posts INTEGER NOT NULL,
            replies_n INTEGER NOT NULL,        -- posts whose platform gives the count
            replies INTEGER NOT NULL,
            reposts_n INTEGER NOT NULL,
            reposts INTEGER NOT NULL,
            likes_n INTEGER NOT NULL,
            likes INTEGER NOT NULL,
            quotes_n INTEGER NOT NULL,
            quotes INTEGER NOT NULL,
            PRIMARY KEY (day, voice, platform, sentiment, topic_state)
        ) WITHOUT ROWID;
        -- once per post and topic
        CREATE TABLE rollup_topics (
            day TEXT NOT NULL,
            voice TEXT NOT NULL,
            platform TEXT NOT NULL,
            topic TEXT NOT NULL,
            sentiment TEXT NOT NULL,
            posts INTEGER NOT NULL,
            PRIMARY KEY (day, voice, platform, topic, sentiment)
        ) WITHOUT ROWID;
        -- once per post, topic and matched term (lower case)
        CREATE TABLE rollup_terms (
            day TEXT NOT NULL,
            voice TEXT NOT NULL,
            topic TEXT NOT NULL,
            term TEXT NOT NULL,
            posts INTEGER NOT NULL,
            PRIMARY KEY (day, voice, topic, term)
        ) WITHOUT ROWID;
        -- once per post and place ('' when none) for topic '' (all its
        -- posts), and once more per topic of the post
        CREATE TABLE rollup_places (
            day TEXT NOT NULL,
            voice TEXT NOT NULL,
            place TEXT NOT NULL,
            topic TEXT NOT NULL,
            sentiment TEXT NOT NULL,
            posts INTEGER NOT NULL,
            PRIMARY KEY (day, voice, place, topic, sentiment)
        ) WITHOUT ROWID;
        -- once per post and source that matched it
        CREATE TABLE rollup_sources (
            day TEXT NOT NULL,
            voice TEXT NOT NULL,
            source TEXT NOT NULL,
            posts INTEGER NOT NULL,
            PRIMARY KEY (day, voice, source)
        ) WITHOUT ROWID;
        -- once per post and task a classifier looked at it for
        CREATE TABLE rollup_classifiers (
            day TEXT NOT NULL,
            voice TEXT NOT NULL,
            task TEXT NOT NULL,
            classifier TEXT NOT NULL,
            version TEXT NOT NULL,
            posts INTEGER NOT NULL,
            PRIMARY KEY (day, voice, task, classifier, version)
        ) WITHOUT ROWID;
        -- exact distinct authors per local week (Monday's date): a 64-bit
        -- hash of the pseudonym (0: no author), never the pseudonym itself
        CREATE TABLE rollup_week_authors (
            week TEXT NOT NULL,
            author INTEGER NOT NULL,
            voice TEXT NOT NULL,
            posts INTEGER NOT NULL,
            PRIMARY KEY (week, author, voice)
        ) WITHOUT ROWID;
        -- per day and group (dim, key): the authors with the smallest
        -- hashes (at most 16, with their posts in the group); truncated
        -- when the group has more authors than are listed
        CREATE TABLE rollup_author_samples (
            dim TEXT NOT NULL,                 -- all, platform, sentiment, topic, term, place, ...
            key TEXT NOT NULL,
            day TEXT NOT NULL,
            voice TEXT NOT NULL,
            truncated INTEGER NOT NULL,
            members TEXT NOT NULL,             -- JSON [[author hash, posts], ...]
            PRIMARY KEY (dim, key, day, voice)
        ) WITHOUT ROWID;
        CREATE INDEX idx_rollup_author_samples_day ON rollup_author_samples (day);
        -- per day and list: the first residents' posts (voice public) in the
        -- report's example order
        CREATE TABLE rollup_examples (
            kind TEXT NOT NULL,                -- topic, term, engaged
            key TEXT NOT NULL,
            day TEXT NOT NULL,
            truncated INTEGER NOT NULL,
            entries TEXT NOT NULL,             -- JSON [[-order key, spread, post id], ...]
            PRIMARY KEY (kind, key, day)
        ) WITHOUT ROWID;
        CREATE INDEX idx_rollup_examples_day ON rollup_examples (day)
        """,
    )


@migrations()
def m150_report_ux_relabels(db: Database) -> None:
    """One row per ``classify --relabel``: the report's "What changed" says
    when history was labelled again, under which config, and how far back."""
    _run(
        db,
        """
        CREATE TABLE relabels (
            id INTEGER PRIMARY KEY,
            task TEXT NOT NULL,
            at TEXT NOT NULL,                  -- UTC, when the relabel ran
            since TEXT,                        -- UTC: only posts created since; NULL: all
            config_hash TEXT NOT NULL DEFAULT '',
            posts INTEGER NOT NULL DEFAULT 0
        );
        CREATE INDEX idx_relabels_at ON relabels (at)
        """,
    )


@migrations()
def m151_report_ux_reports_written(db: Database) -> None:
    """One row per weekly report written: its headline figures, so that a
    report written again for the same week says which numbers changed and why."""
    _run(
        db,
        """
        CREATE TABLE reports_written (
            id INTEGER PRIMARY KEY,
            week TEXT NOT NULL,                -- ISO week, e.g. 2026-W47
            written_at TEXT NOT NULL,          -- UTC
            config_hash TEXT NOT NULL DEFAULT '',
            figures TEXT NOT NULL              -- JSON: {"posts": n, "topics": {slug: n}, ...}
        );
        CREATE INDEX idx_reports_written_week ON reports_written (week, written_at)
        """,
    )


@migrations()
def m190_service_job_claims(db: Database) -> None:
    """Several services on one database (issue 21): the first to claim a
    calendar job's turn (the weekly report, housekeeping, alerts, a team's
    daily digest, for one local day) runs it; the others skip it. The claim
    is made in the same transaction as the job's start mark
    (``storage.service_state``)."""
    _run(
        db,
        """
        CREATE TABLE job_claims (
            job TEXT NOT NULL,                 -- report, housekeeping, alerts, digest:<team>
            period TEXT NOT NULL,              -- the local day of the turn, YYYY-MM-DD
            holder TEXT NOT NULL,              -- host:pid of the service that ran it
            claimed_at TEXT NOT NULL,          -- UTC
            PRIMARY KEY (job, period)
        )
        """,
    )


@migrations()
def m191_route_deliveries_post(db: Database) -> None:
    """``route_deliveries`` by post: its primary key starts with the team, so
    deleting a post (retention, erasure, the deletion sync: each table with
    a ``post_id`` is emptied of the staged posts, and the foreign key's
    cascade looks for the post's rows) scanned the whole table."""
    _run(db, "CREATE INDEX idx_route_deliveries_post ON route_deliveries (post_id)")


@migrations()
def m200_fts_pending(db: Database) -> None:
    """Erasures too large to take out of the full-text index's segments at
    once (``storage.fts.AT_ONCE_LIMIT``): their posts are gone, their delete
    markers are in the index, and each row here says how many posts' tokens
    wait for the next merge (the retention purge's) to leave its storage."""
    _run(
        db,
        """
        CREATE TABLE fts_pending (
            id INTEGER PRIMARY KEY,
            erased_at TEXT NOT NULL,           -- UTC
            posts INTEGER NOT NULL
        )
        """,
    )


@migrations()
def m210_post_refs(db: Database) -> None:
    """The posts each X post references (``referenced_tweets``: retweeted,
    quoted, replied_to), written with the post (``Post.refs``) and kept as
    long as it is: erasing an author finds the retweets of, and the quotes
    of and replies to, their posts here by index (``storage.erasure``),
    where it used to scan the raw payloads, which are kept only
    ``raw_retention_days`` (a retweet collected before that was missed).
    The whole row is the key, so ``WITHOUT ROWID``: two b-trees (the key,
    by post, and the look-up by referenced id) for purges and erasures to
    delete from, not three. Filled from the raw payloads still kept."""
    _run(
        db,
        """
        CREATE TABLE post_refs (
            post_id INTEGER NOT NULL REFERENCES posts (id) ON DELETE CASCADE,
            kind TEXT NOT NULL,                -- retweeted, quoted, replied_to
            ref_id TEXT NOT NULL,              -- the referenced post's native id
            PRIMARY KEY (post_id, kind, ref_id)
        ) WITHOUT ROWID;
        CREATE INDEX idx_post_refs_ref ON post_refs (ref_id);
        INSERT OR IGNORE INTO post_refs (post_id, kind, ref_id)
        SELECT post_id, kind, ref_id FROM (
            SELECT r.post_id,
                   CASE WHEN j.type = 'object' THEN json_extract(j.value, '$.type') END kind,
                   CASE WHEN j.type = 'object' THEN json_extract(j.value, '$.id') END ref_id
            FROM raw_payloads r
            JOIN posts p ON p.id = r.post_id AND p.platform = 'x',
            json_each(r.payload, '$.tweet.referenced_tweets') j
            WHERE instr(r.payload, 'referenced_tweets') > 0 AND json_valid(r.payload))
        WHERE kind IS NOT NULL AND ref_id IS NOT NULL
        """,
    )

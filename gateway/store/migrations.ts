/**
 * Every schema change, in order, as literal SQL: migration N brings the database to
 * `user_version` N. A migration is never edited once shipped (a data dir on a user's machine has
 * already run it); a change is a new migration at the end. Literal text on purpose: DDL built from
 * runtime constants would change old databases' meaning whenever those constants changed.
 */
export const MIGRATIONS: readonly string[] = [
  // 1: config revisions
  `CREATE TABLE config_revisions (
     id INTEGER PRIMARY KEY AUTOINCREMENT,
     created_at INTEGER NOT NULL,
     source TEXT NOT NULL,
     json TEXT NOT NULL
   );`,
  // 2: health probes and breaker transitions
  `CREATE TABLE health_samples (
     id INTEGER PRIMARY KEY AUTOINCREMENT,
     provider TEXT NOT NULL,
     at INTEGER NOT NULL,
     ok INTEGER NOT NULL,
     latency_ms REAL,
     error TEXT,
     detail TEXT
   );
   CREATE INDEX health_samples_provider_at ON health_samples (provider, at);
   CREATE TABLE breaker_transitions (
     id INTEGER PRIMARY KEY AUTOINCREMENT,
     deployment TEXT NOT NULL,
     at INTEGER NOT NULL,
     from_state TEXT NOT NULL,
     to_state TEXT NOT NULL,
     reason TEXT NOT NULL
   );
   CREATE INDEX breaker_transitions_at ON breaker_transitions (at);`,
  // 3: the usage log, its rollups (per minute, hour, day; latency histogram columns l0..l15 as
  // bounded in store/latency-bins.ts) and the optional bodies
  `CREATE TABLE usage (
     request_id TEXT NOT NULL,
     at INTEGER NOT NULL,
     endpoint TEXT NOT NULL,
     client_key TEXT NOT NULL,
     model TEXT NOT NULL,
     route TEXT,
     deployment TEXT,
     provider TEXT,
     status INTEGER NOT NULL,
     error_class TEXT,
     attempt_count INTEGER NOT NULL,
     fallback INTEGER NOT NULL,
     stream INTEGER NOT NULL,
     cached INTEGER NOT NULL,
     input_tokens INTEGER,
     output_tokens INTEGER,
     tokens_estimated INTEGER NOT NULL,
     cost REAL NOT NULL,
     would_cost REAL NOT NULL,
     saved REAL NOT NULL,
     ttft_ms REAL,
     total_ms REAL NOT NULL,
     attempts TEXT NOT NULL
   );
   CREATE INDEX usage_at ON usage (at);
   CREATE INDEX usage_deployment_at ON usage (deployment, at);
   CREATE INDEX usage_client_key_at ON usage (client_key, at);
   CREATE TABLE usage_rollup_state (id INTEGER PRIMARY KEY CHECK (id = 1), last_rowid INTEGER NOT NULL);
   INSERT INTO usage_rollup_state VALUES (1, 0);
   CREATE TABLE usage_minute (
     bucket INTEGER NOT NULL,
     route TEXT NOT NULL,
     deployment TEXT NOT NULL,
     provider TEXT NOT NULL,
     client_key TEXT NOT NULL,
     cached INTEGER NOT NULL,
     requests INTEGER NOT NULL,
     errors INTEGER NOT NULL,
     fallbacks INTEGER NOT NULL,
     input_tokens INTEGER NOT NULL,
     output_tokens INTEGER NOT NULL,
     cost REAL NOT NULL,
     would_cost REAL NOT NULL,
     saved REAL NOT NULL,
     l0 INTEGER NOT NULL, l1 INTEGER NOT NULL, l2 INTEGER NOT NULL, l3 INTEGER NOT NULL, l4 INTEGER NOT NULL, l5 INTEGER NOT NULL, l6 INTEGER NOT NULL, l7 INTEGER NOT NULL, l8 INTEGER NOT NULL, l9 INTEGER NOT NULL, l10 INTEGER NOT NULL, l11 INTEGER NOT NULL, l12 INTEGER NOT NULL, l13 INTEGER NOT NULL, l14 INTEGER NOT NULL, l15 INTEGER NOT NULL,
     PRIMARY KEY (bucket, route, deployment, provider, client_key, cached)
   ) WITHOUT ROWID;
   CREATE TABLE usage_hour (
     bucket INTEGER NOT NULL,
     route TEXT NOT NULL,
     deployment TEXT NOT NULL,
     provider TEXT NOT NULL,
     client_key TEXT NOT NULL,
     cached INTEGER NOT NULL,
     requests INTEGER NOT NULL,
     errors INTEGER NOT NULL,
     fallbacks INTEGER NOT NULL,
     input_tokens INTEGER NOT NULL,
     output_tokens INTEGER NOT NULL,
     cost REAL NOT NULL,
     would_cost REAL NOT NULL,
     saved REAL NOT NULL,
     l0 INTEGER NOT NULL, l1 INTEGER NOT NULL, l2 INTEGER NOT NULL, l3 INTEGER NOT NULL, l4 INTEGER NOT NULL, l5 INTEGER NOT NULL, l6 INTEGER NOT NULL, l7 INTEGER NOT NULL, l8 INTEGER NOT NULL, l9 INTEGER NOT NULL, l10 INTEGER NOT NULL, l11 INTEGER NOT NULL, l12 INTEGER NOT NULL, l13 INTEGER NOT NULL, l14 INTEGER NOT NULL, l15 INTEGER NOT NULL,
     PRIMARY KEY (bucket, route, deployment, provider, client_key, cached)
   ) WITHOUT ROWID;
   CREATE TABLE usage_day (
     bucket INTEGER NOT NULL,
     route TEXT NOT NULL,
     deployment TEXT NOT NULL,
     provider TEXT NOT NULL,
     client_key TEXT NOT NULL,
     cached INTEGER NOT NULL,
     requests INTEGER NOT NULL,
     errors INTEGER NOT NULL,
     fallbacks INTEGER NOT NULL,
     input_tokens INTEGER NOT NULL,
     output_tokens INTEGER NOT NULL,
     cost REAL NOT NULL,
     would_cost REAL NOT NULL,
     saved REAL NOT NULL,
     l0 INTEGER NOT NULL, l1 INTEGER NOT NULL, l2 INTEGER NOT NULL, l3 INTEGER NOT NULL, l4 INTEGER NOT NULL, l5 INTEGER NOT NULL, l6 INTEGER NOT NULL, l7 INTEGER NOT NULL, l8 INTEGER NOT NULL, l9 INTEGER NOT NULL, l10 INTEGER NOT NULL, l11 INTEGER NOT NULL, l12 INTEGER NOT NULL, l13 INTEGER NOT NULL, l14 INTEGER NOT NULL, l15 INTEGER NOT NULL,
     PRIMARY KEY (bucket, route, deployment, provider, client_key, cached)
   ) WITHOUT ROWID;
   CREATE TABLE usage_bodies (
     request_id TEXT PRIMARY KEY,
     at INTEGER NOT NULL,
     request TEXT,
     response TEXT
   );
   CREATE INDEX usage_bodies_at ON usage_bodies (at);`,
  // 4: the response cache and client keys
  `CREATE TABLE response_cache (
     key TEXT PRIMARY KEY,
     created_at INTEGER NOT NULL,
     expires_at INTEGER NOT NULL,
     last_hit_at INTEGER NOT NULL,
     hits INTEGER NOT NULL DEFAULT 0,
     bytes INTEGER NOT NULL,
     deployment TEXT NOT NULL,
     provider TEXT NOT NULL,
     kind TEXT NOT NULL,
     payload TEXT NOT NULL
   ) WITHOUT ROWID;
   CREATE INDEX response_cache_expires ON response_cache (expires_at);
   CREATE INDEX response_cache_last_hit ON response_cache (last_hit_at);
   CREATE TABLE client_keys (
     name TEXT PRIMARY KEY,
     hash TEXT NOT NULL UNIQUE,
     prefix TEXT NOT NULL,
     created_at INTEGER NOT NULL,
     revoked_at INTEGER,
     rate_limit_per_minute INTEGER,
     allowed_routes TEXT
   );`,
  // 5: admin login tokens and sessions
  `CREATE TABLE admin_tokens (hash TEXT PRIMARY KEY, expires_at INTEGER NOT NULL, used_at INTEGER) WITHOUT ROWID;
   CREATE TABLE admin_sessions (hash TEXT PRIMARY KEY, expires_at INTEGER NOT NULL) WITHOUT ROWID;`,
  // 6: usage ids never reused (AUTOINCREMENT): rollups follow an id watermark, and a prune that
  // emptied the table let new rows take ids below it, so they were never rolled up
  `CREATE TABLE usage_v6 (
     id INTEGER PRIMARY KEY AUTOINCREMENT,
     request_id TEXT NOT NULL,
     at INTEGER NOT NULL,
     endpoint TEXT NOT NULL,
     client_key TEXT NOT NULL,
     model TEXT NOT NULL,
     route TEXT,
     deployment TEXT,
     provider TEXT,
     status INTEGER NOT NULL,
     error_class TEXT,
     attempt_count INTEGER NOT NULL,
     fallback INTEGER NOT NULL,
     stream INTEGER NOT NULL,
     cached INTEGER NOT NULL,
     input_tokens INTEGER,
     output_tokens INTEGER,
     tokens_estimated INTEGER NOT NULL,
     cost REAL NOT NULL,
     would_cost REAL NOT NULL,
     saved REAL NOT NULL,
     ttft_ms REAL,
     total_ms REAL NOT NULL,
     attempts TEXT NOT NULL
   );
   INSERT INTO usage_v6 (id, request_id, at, endpoint, client_key, model, route, deployment, provider, status, error_class, attempt_count, fallback, stream, cached, input_tokens, output_tokens, tokens_estimated, cost, would_cost, saved, ttft_ms, total_ms, attempts)
     SELECT rowid, request_id, at, endpoint, client_key, model, route, deployment, provider, status, error_class, attempt_count, fallback, stream, cached, input_tokens, output_tokens, tokens_estimated, cost, would_cost, saved, ttft_ms, total_ms, attempts FROM usage;
   DROP TABLE usage;
   ALTER TABLE usage_v6 RENAME TO usage;
   CREATE INDEX usage_at ON usage (at);
   CREATE INDEX usage_deployment_at ON usage (deployment, at);
   CREATE INDEX usage_client_key_at ON usage (client_key, at);
   INSERT INTO sqlite_sequence (name, seq) SELECT 'usage', 0 WHERE NOT EXISTS (SELECT 1 FROM sqlite_sequence WHERE name = 'usage');
   UPDATE sqlite_sequence SET seq = MAX(seq, (SELECT last_rowid FROM usage_rollup_state), (SELECT COALESCE(MAX(id), 0) FROM usage)) WHERE name = 'usage';`,
  // 7: the front door's API and prompt-cache tokens on usage rows; Responses API answers kept for
  // previous_response_id (each turn's own input and output, linked to the turn before)
  `ALTER TABLE usage ADD COLUMN api TEXT;
   ALTER TABLE usage ADD COLUMN cache_read_tokens INTEGER;
   ALTER TABLE usage ADD COLUMN cache_write_tokens INTEGER;
   CREATE TABLE responses (
     id TEXT PRIMARY KEY,
     created_at INTEGER NOT NULL,
     previous_id TEXT,
     input TEXT NOT NULL,
     output TEXT NOT NULL,
     response TEXT NOT NULL
   ) WITHOUT ROWID;
   CREATE INDEX responses_created_at ON responses (created_at);`,
  // 8: one request's row found by its id (the playground, the usage drawer); each row's routing
  // decision (every candidate and why it was skipped or how its attempt ended)
  `CREATE INDEX usage_request_id ON usage (request_id);
   ALTER TABLE usage ADD COLUMN decision TEXT;`,
  // 9: a kept response belongs to the client key that made it (null: no key)
  `ALTER TABLE responses ADD COLUMN owner TEXT;`,
  // 10: the usage inbox: a request's row is committed here, one small page, before its last byte;
  // rows move into \`usage\` (with its indexes and id sequence) in batches
  `CREATE TABLE usage_inbox (
     request_id TEXT NOT NULL,
     at INTEGER NOT NULL,
     endpoint TEXT NOT NULL,
     client_key TEXT NOT NULL,
     model TEXT NOT NULL,
     route TEXT,
     deployment TEXT,
     provider TEXT,
     status INTEGER NOT NULL,
     error_class TEXT,
     attempt_count INTEGER NOT NULL,
     fallback INTEGER NOT NULL,
     stream INTEGER NOT NULL,
     cached INTEGER NOT NULL,
     input_tokens INTEGER,
     output_tokens INTEGER,
     tokens_estimated INTEGER NOT NULL,
     cost REAL NOT NULL,
     would_cost REAL NOT NULL,
     saved REAL NOT NULL,
     ttft_ms REAL,
     total_ms REAL NOT NULL,
     attempts TEXT NOT NULL,
     api TEXT,
     cache_read_tokens INTEGER,
     cache_write_tokens INTEGER,
     decision TEXT
   );`,
  // 11: where the running gateway listens, for the CLI commands that print or write its URL
  `CREATE TABLE gateway_address (id INTEGER PRIMARY KEY CHECK (id = 1), url TEXT NOT NULL, pid INTEGER NOT NULL, started_at INTEGER NOT NULL);`,
  // 12: whether it listens beyond loopback (then every request needs a client key), for `connect`
  `ALTER TABLE gateway_address ADD COLUMN exposed INTEGER NOT NULL DEFAULT 0;`,
  // 13: the zone whose midnights start the day rollups' buckets (NULL: UTC, as before this version)
  `ALTER TABLE usage_rollup_state ADD COLUMN day_zone TEXT;`,
  // 14: where a kept response's output items are, by the ids its client saw, for the
  // `item_reference` inputs that stand for them in later turns (owner '': a request without a
  // client key). No index beyond the key and no foreign key: each costs every kept response a write.
  `CREATE TABLE response_items (
     owner TEXT NOT NULL,
     id TEXT NOT NULL,
     response_id TEXT NOT NULL,
     position INTEGER NOT NULL,
     PRIMARY KEY (owner, id)
   ) WITHOUT ROWID;`,
  // 15: what the client was told when its request failed, so the dashboard can say why
  `ALTER TABLE usage ADD COLUMN error_message TEXT;
   ALTER TABLE usage_inbox ADD COLUMN error_message TEXT;`,
  // 16: the session a request belonged to, as its tool named it (Claude Code's, Codex's), for what
  // each session cost: the recent sessions found newest first, each one's rows by its id; both
  // indexes hold only the rows that have a session
  `ALTER TABLE usage ADD COLUMN session TEXT;
   ALTER TABLE usage_inbox ADD COLUMN session TEXT;
   CREATE INDEX usage_session_at ON usage (session, at) WHERE session IS NOT NULL;
   CREATE INDEX usage_session_recent ON usage (at) WHERE session IS NOT NULL;`,
  // 17: which deployment answered each session last (routing/sessions.ts), so a restart keeps a
  // conversation where it was; rows older than the sessions' idle time are deleted by \`at\`
  `CREATE TABLE sticky_sessions (id TEXT PRIMARY KEY, deployment TEXT NOT NULL, at INTEGER NOT NULL) WITHOUT ROWID;
   CREATE INDEX sticky_sessions_at ON sticky_sessions (at);`,
  // 18: what each upstream (its kind and base URL) was found to refuse, per learner and model, as
  // JSON (store/upstream-quirks.ts); a few rows per strict server, read when its adapter is made
  `CREATE TABLE upstream_quirks (
     upstream TEXT NOT NULL,
     learner TEXT NOT NULL,
     model TEXT NOT NULL,
     value TEXT NOT NULL,
     learned_at INTEGER NOT NULL,
     PRIMARY KEY (upstream, learner, model)
   ) WITHOUT ROWID;`,
  // 19: the hourly prune deletes health samples by \`at\` alone (store/retention.ts): without this index
  // it read every sample of the week each hour
  `CREATE INDEX health_samples_at ON health_samples (at);`,
  // 20: the usage rows a filter asks for, newest first, found through their own index entries: the
  // Overview's recent failures (asked every 10 s) and the Usage page's filters by route, provider,
  // failed or cached read every row of a healthy log (2.3 s at a million) when few rows match.
  // The partial ones hold only their rows; the queries name them by the same literal terms.
  `CREATE INDEX usage_route_at ON usage (route, at);
   CREATE INDEX usage_provider_at ON usage (provider, at);
   CREATE INDEX usage_failed_at ON usage (at) WHERE status >= 400 OR error_class IS NOT NULL;
   CREATE INDEX usage_cached_at ON usage (at) WHERE cached = 1;`,
  // 21: a kept response's items are deleted with it through this index (store/responses-store.ts);
  // the hourly prune read every item to find those left behind, and now finds none
  `CREATE INDEX response_items_response ON response_items (response_id);
   DELETE FROM response_items WHERE response_id NOT IN (SELECT id FROM responses);`,
  // 22: each key reference with each base URL a config revision ever gave it (config/key-binding.ts):
  // a key removed from its provider, or whose provider was removed, stays bound to its origins. Filled
  // from the revisions kept so far; each revision saved adds its own (store/config-store.ts)
  `CREATE TABLE config_key_uses (reference TEXT NOT NULL, base_url TEXT NOT NULL, PRIMARY KEY (reference, base_url)) WITHOUT ROWID;
   INSERT OR IGNORE INTO config_key_uses
     SELECT json_extract(p.value, '$.apiKey'), json_extract(p.value, '$.baseUrl')
     FROM config_revisions AS r, json_each(r.json, '$.providers') AS p
     WHERE json_type(p.value, '$.apiKey') = 'text' AND json_type(p.value, '$.baseUrl') = 'text';`,
  // 23: what a budget's scope spent under its names before a rename, per period (store/budget-carries.ts):
  // usage rows keep the names they were written under; rows of ended periods are deleted by \`period_end\`
  `CREATE TABLE budget_carries (scope TEXT NOT NULL, period TEXT NOT NULL, period_start INTEGER NOT NULL, period_end INTEGER NOT NULL, usd REAL NOT NULL,
     PRIMARY KEY (scope, period, period_start)) WITHOUT ROWID;`,
  // 24: the names routes and providers had, and when (store/scope-names.ts), in place of 23's amounts:
  // a budget counts each name's own rows, whatever path renamed it and whether the gateway ran then
  `CREATE TABLE scope_renames (kind TEXT NOT NULL, from_name TEXT NOT NULL, to_name TEXT NOT NULL, at INTEGER NOT NULL);
   CREATE INDEX scope_renames_to ON scope_renames (kind, to_name, at);
   CREATE INDEX scope_renames_from ON scope_renames (kind, from_name, at);
   DROP TABLE budget_carries;`,
  // 25: the tool that sent each request, as its headers name it (http/client-tool.ts): Claude Code,
  // Codex, curl; the dashboard finds the tools seen lately among the newest rows (no index needed)
  `ALTER TABLE usage ADD COLUMN tool TEXT;
   ALTER TABLE usage_inbox ADD COLUMN tool TEXT;`,
  // 26: the rollups count by the tool that sent the requests too ('' for none named, and for every
  // request rolled up before this version: those buckets were counted without it), so the charts and summaries
  // can be of one tool or grouped by tool; and a page of one tool's rows, newest first, is read
  // through that tool's own index entries (store/usage-filters.ts)
  `CREATE INDEX usage_tool_at ON usage (tool, at) WHERE tool IS NOT NULL;
   CREATE TABLE usage_minute_by_tool (
     bucket INTEGER NOT NULL,
     route TEXT NOT NULL,
     deployment TEXT NOT NULL,
     provider TEXT NOT NULL,
     client_key TEXT NOT NULL,
     cached INTEGER NOT NULL,
     tool TEXT NOT NULL,
     requests INTEGER NOT NULL,
     errors INTEGER NOT NULL,
     fallbacks INTEGER NOT NULL,
     input_tokens INTEGER NOT NULL,
     output_tokens INTEGER NOT NULL,
     cost REAL NOT NULL,
     would_cost REAL NOT NULL,
     saved REAL NOT NULL,
     l0 INTEGER NOT NULL, l1 INTEGER NOT NULL, l2 INTEGER NOT NULL, l3 INTEGER NOT NULL, l4 INTEGER NOT NULL, l5 INTEGER NOT NULL, l6 INTEGER NOT NULL, l7 INTEGER NOT NULL, l8 INTEGER NOT NULL, l9 INTEGER NOT NULL, l10 INTEGER NOT NULL, l11 INTEGER NOT NULL, l12 INTEGER NOT NULL, l13 INTEGER NOT NULL, l14 INTEGER NOT NULL, l15 INTEGER NOT NULL,
     PRIMARY KEY (bucket, route, deployment, provider, client_key, cached, tool)
   ) WITHOUT ROWID;
   INSERT INTO usage_minute_by_tool SELECT bucket, route, deployment, provider, client_key, cached, '', requests, errors, fallbacks, input_tokens, output_tokens, cost, would_cost, saved, l0, l1, l2, l3, l4, l5, l6, l7, l8, l9, l10, l11, l12, l13, l14, l15 FROM usage_minute;
   DROP TABLE usage_minute;
   ALTER TABLE usage_minute_by_tool RENAME TO usage_minute;
   CREATE TABLE usage_hour_by_tool (
     bucket INTEGER NOT NULL,
     route TEXT NOT NULL,
     deployment TEXT NOT NULL,
     provider TEXT NOT NULL,
     client_key TEXT NOT NULL,
     cached INTEGER NOT NULL,
     tool TEXT NOT NULL,
     requests INTEGER NOT NULL,
     errors INTEGER NOT NULL,
     fallbacks INTEGER NOT NULL,
     input_tokens INTEGER NOT NULL,
     output_tokens INTEGER NOT NULL,
     cost REAL NOT NULL,
     would_cost REAL NOT NULL,
     saved REAL NOT NULL,
     l0 INTEGER NOT NULL, l1 INTEGER NOT NULL, l2 INTEGER NOT NULL, l3 INTEGER NOT NULL, l4 INTEGER NOT NULL, l5 INTEGER NOT NULL, l6 INTEGER NOT NULL, l7 INTEGER NOT NULL, l8 INTEGER NOT NULL, l9 INTEGER NOT NULL, l10 INTEGER NOT NULL, l11 INTEGER NOT NULL, l12 INTEGER NOT NULL, l13 INTEGER NOT NULL, l14 INTEGER NOT NULL, l15 INTEGER NOT NULL,
     PRIMARY KEY (bucket, route, deployment, provider, client_key, cached, tool)
   ) WITHOUT ROWID;
   INSERT INTO usage_hour_by_tool SELECT bucket, route, deployment, provider, client_key, cached, '', requests, errors, fallbacks, input_tokens, output_tokens, cost, would_cost, saved, l0, l1, l2, l3, l4, l5, l6, l7, l8, l9, l10, l11, l12, l13, l14, l15 FROM usage_hour;
   DROP TABLE usage_hour;
   ALTER TABLE usage_hour_by_tool RENAME TO usage_hour;
   CREATE TABLE usage_day_by_tool (
     bucket INTEGER NOT NULL,
     route TEXT NOT NULL,
     deployment TEXT NOT NULL,
     provider TEXT NOT NULL,
     client_key TEXT NOT NULL,
     cached INTEGER NOT NULL,
     tool TEXT NOT NULL,
     requests INTEGER NOT NULL,
     errors INTEGER NOT NULL,
     fallbacks INTEGER NOT NULL,
     input_tokens INTEGER NOT NULL,
     output_tokens INTEGER NOT NULL,
     cost REAL NOT NULL,
     would_cost REAL NOT NULL,
     saved REAL NOT NULL,
     l0 INTEGER NOT NULL, l1 INTEGER NOT NULL, l2 INTEGER NOT NULL, l3 INTEGER NOT NULL, l4 INTEGER NOT NULL, l5 INTEGER NOT NULL, l6 INTEGER NOT NULL, l7 INTEGER NOT NULL, l8 INTEGER NOT NULL, l9 INTEGER NOT NULL, l10 INTEGER NOT NULL, l11 INTEGER NOT NULL, l12 INTEGER NOT NULL, l13 INTEGER NOT NULL, l14 INTEGER NOT NULL, l15 INTEGER NOT NULL,
     PRIMARY KEY (bucket, route, deployment, provider, client_key, cached, tool)
   ) WITHOUT ROWID;
   INSERT INTO usage_day_by_tool SELECT bucket, route, deployment, provider, client_key, cached, '', requests, errors, fallbacks, input_tokens, output_tokens, cost, would_cost, saved, l0, l1, l2, l3, l4, l5, l6, l7, l8, l9, l10, l11, l12, l13, l14, l15 FROM usage_day;
   DROP TABLE usage_day;
   ALTER TABLE usage_day_by_tool RENAME TO usage_day;`,
  // 27: the first latency bin (0-50 ms) split at 5, 10 and 25 ms (store/latency-bins.ts); a bucket's
  // requests rolled up before are in none of the parts, read as even over the bin
  `ALTER TABLE usage_minute ADD COLUMN f0 INTEGER NOT NULL DEFAULT 0;
   ALTER TABLE usage_minute ADD COLUMN f1 INTEGER NOT NULL DEFAULT 0;
   ALTER TABLE usage_minute ADD COLUMN f2 INTEGER NOT NULL DEFAULT 0;
   ALTER TABLE usage_minute ADD COLUMN f3 INTEGER NOT NULL DEFAULT 0;
   ALTER TABLE usage_hour ADD COLUMN f0 INTEGER NOT NULL DEFAULT 0;
   ALTER TABLE usage_hour ADD COLUMN f1 INTEGER NOT NULL DEFAULT 0;
   ALTER TABLE usage_hour ADD COLUMN f2 INTEGER NOT NULL DEFAULT 0;
   ALTER TABLE usage_hour ADD COLUMN f3 INTEGER NOT NULL DEFAULT 0;
   ALTER TABLE usage_day ADD COLUMN f0 INTEGER NOT NULL DEFAULT 0;
   ALTER TABLE usage_day ADD COLUMN f1 INTEGER NOT NULL DEFAULT 0;
   ALTER TABLE usage_day ADD COLUMN f2 INTEGER NOT NULL DEFAULT 0;
   ALTER TABLE usage_day ADD COLUMN f3 INTEGER NOT NULL DEFAULT 0;`,
];

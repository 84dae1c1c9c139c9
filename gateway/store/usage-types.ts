/** The usage log's shapes: a row per client request, the filters and rollups the UI asks for. */
import type { Decision } from '../routing/decision';

export interface UsageAttempt {
  deployment: string;
  provider: string;
  outcome: 'ok' | 'failed';
  failure?: string;
  status?: number;
  /** What the upstream or the gateway said about a failed attempt. */
  message?: string;
  latencyMs: number;
}

export interface UsageRow {
  id: string;
  at: number;
  endpoint: string;
  /** The front door's API: openai, responses, anthropic or ollama. */
  api: string | null;
  clientKey: string;
  model: string;
  route: string | null;
  deployment: string | null;
  provider: string | null;
  status: number;
  errorClass: string | null;
  /** What the client was told when the request failed. */
  errorMessage: string | null;
  /** The session the request belonged to, as its tool named it (http/session.ts). */
  session: string | null;
  /** The tool that sent it, as its headers name it (http/client-tool.ts). */
  tool: string | null;
  attempts: UsageAttempt[];
  fallback: boolean;
  stream: boolean;
  cached: boolean;
  inputTokens: number | null;
  outputTokens: number | null;
  /** Prompt tokens read from, and written to, the upstream's prompt cache (Anthropic's cache_control, OpenAI's cached tokens). */
  cacheReadTokens: number | null;
  cacheWriteTokens: number | null;
  tokensEstimated: boolean;
  cost: number;
  wouldCost: number;
  saved: number;
  ttftMs: number | null;
  totalMs: number;
  /** How the request was routed (stored with the row; read back by `row(id)` only, not by lists). */
  decision?: Decision | null | undefined;
}

export interface UsageFilter {
  since?: number;
  until?: number;
  route?: string;
  deployment?: string;
  provider?: string;
  clientKey?: string;
  /** Rows only (the rollups keep no sessions). */
  session?: string;
  /** The tool that sent it, exactly as the rows name it ("Codex"; its subagents' are "Codex (review)" and the like). */
  tool?: string;
  /** A tool and its subagents ("Codex" and "Codex (review)"), for sums: a page of rows asks for one name, which keeps it in index order. */
  toolWithSubagents?: string;
  /** 'ok' (2xx), 'error' (anything else), or an exact status code. */
  status?: 'ok' | 'error' | number;
  cached?: boolean;
}

export type Granularity = 'minute' | 'hour' | 'day';
export type GroupBy = 'none' | 'deployment' | 'provider' | 'route' | 'clientKey' | 'tool';

export interface RollupPoint {
  bucket: number;
  group: string | null;
  requests: number;
  errors: number;
  fallbacks: number;
  cachedRequests: number;
  inputTokens: number;
  outputTokens: number;
  cost: number;
  wouldCost: number;
  saved: number;
  latencyP50Ms: number | null;
  latencyP95Ms: number | null;
}

/** One session's rows in a range, added up. */
export interface SessionSummary {
  session: string;
  clientKey: string;
  /** The tool its newest request came from. */
  tool: string | null;
  requests: number;
  errors: number;
  fallbacks: number;
  inputTokens: number;
  outputTokens: number;
  cost: number;
  saved: number;
  firstAt: number;
  lastAt: number;
  /** The deployments that answered it, most requests first. */
  deployments: string[];
}

/** A tool that sent requests lately, as the usage rows name it. */
export interface ToolSeen {
  tool: string;
  requests: number;
  lastAt: number;
}

export interface UsageNames {
  routes: string[];
  deployments: string[];
  providers: string[];
  clientKeys: string[];
  /** The tools that sent requests in the range, as the rows name them. */
  tools: string[];
}

/** Reading the log: a page of rows, rollups for charts, every row for export. */
export interface UsageQueries {
  list(filter: UsageFilter, page: { limit: number; before?: string | undefined }): { rows: UsageRow[]; next: string | null };
  rollups(filter: UsageFilter, granularity: Granularity, groupBy: GroupBy): RollupPoint[];
  /** The sessions with rows matching the filter, the most recently active first (found among the range's newest 20,000 session rows, which the other filters narrow). */
  sessions(filter: UsageFilter, limit: number): SessionSummary[];
  /** The tools that sent requests since an instant, the most recent first: found among the newest 5,000 rows (so `requests` counts those). */
  tools(since: number, limit: number): ToolSeen[];
  /**
   * What a scope has cost since an instant, from the rollups (brought up to date first): whole
   * hours from the hour table, the part before the first whole hour from the minute table. A
   * `tool` counts its subagents' requests too ("Codex (review)" is Codex's), as a tool's budget does.
   */
  costSince(since: number, scope: { route?: string; clientKey?: string; provider?: string; tool?: string }): number;
  /** One request's row, by its request id. */
  row(requestId: string): UsageRow | undefined;
  /**
   * The routes, deployments, providers and client keys the log has rows of since an instant (to the
   * hour), from the hour rollups: names a config no longer has (renamed, deleted) are still in the log.
   */
  names(since: number | undefined): UsageNames;
  /**
   * Matching rows in the order they were written, oldest first: the last `limit`, or (given the
   * cursor a call returned) up to `limit` written since. The cursor moves past rows the filter
   * left out, so following a quiet filter never reads the log again.
   */
  written(filter: UsageFilter, limit: number, after?: number): { rows: UsageRow[]; cursor: number };
  /** Every matching row written before the call, oldest first (for export), read a batch at a time: no statement stays open while a reader waits. */
  iterate(filter: UsageFilter): IterableIterator<UsageRow>;
  /**
   * One batch of `iterate`'s rows, from where the last batch's `next` says (none: the first, and the
   * rows written before now are the ones it covers). No `next`: that was the last.
   */
  exportBatch(filter: UsageFilter, from?: ExportCursor): { rows: UsageRow[]; next?: ExportCursor };
}

/** Where an export's next batch starts: after (`at`, `id`), among the rows with ids up to `top` (those written before it began). */
export interface ExportCursor {
  top: number;
  at: number;
  id: number;
}

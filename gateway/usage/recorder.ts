/**
 * One usage row per client request. A `RequestUsage` follows a request from its arrival to the moment
 * just before its last byte is written, gathering the routing outcome, tokens (the upstream's, or
 * estimated and flagged), cost and timings, then writes the row once, before that last byte, so a
 * client that has the whole answer is never missing from the log, even after a SIGKILL.
 */
import type { Catalog } from '../routing/catalog';
import { ExecutionError, type Execution } from '../routing/execute';
import { fellBack, type Decision } from '../routing/decision';
import { clientClosed } from '../routing/route-errors';
import type { UsageLog } from '../store/usage-log';
import type { UsageRow } from '../store/usage-types';
import { answerCosts, type PricedTokens } from './pricing';
import { errorClassOf } from './error-class';
import { AnswerTranscript } from './answer-transcript';
import { KeptText } from './kept-text';
import { estimatePromptTokens, promptOf } from './tokens';

/** An error message is kept to this many characters (a validation error may quote the request). */
const MESSAGE_KEPT = 1_000;
/** How long the row of a client that left waits for its routing to say what it tried, at most (the close cuts that routing at once). */
const LEFT_WAIT_MS = 2_000;

export interface UsageDeps {
  log: UsageLog;
  catalog: () => Catalog;
  now: () => number;
  onError?: (error: unknown) => void;
  /** Each row once it is written (budgets add up what it cost). */
  onRow?: (row: UsageRow) => void;
  /** Each row as it is made, before it is written: `/metrics` counts it even when the store cannot be written. */
  count?: (row: UsageRow) => void;
}

/** Token counts an upstream reported for one answer (and what it billed, where it says): what pricing reads. */
export type Tokens = PricedTokens;

export class RequestUsage {
  private model = '';
  private stream = false;
  private body: unknown;
  /** What the model reads where that is more than the body: what an estimate counts. */
  private whole: unknown;
  private execution: Execution<unknown> | undefined;
  private attempts: Execution<unknown>['attempts'] = [];
  private decision: Decision | undefined;
  private upstreamTokens: Tokens | undefined;
  private readonly answerText = new KeptText();
  /** What the model wrote besides it (reasoning, tool calls), kept only for an estimate. */
  private otherText: KeptText | undefined;
  /** The answer as the log keeps it, where it keeps answers. */
  private readonly transcript: AnswerTranscript | undefined;
  private ttftMs: number | null = null;
  private errorClass: string | null = null;
  private errorMessage: string | null = null;
  private committed = false;
  /** The body was read: the surface's handler has the request, and its routing or refusal will be told here. */
  private read = false;
  /** The client left before its whole answer: the row is a 499 whatever is sent after, and waits at most until `leftWait`. */
  private left = false;
  private leftWait: NodeJS.Timeout | undefined;
  /** What the request keeps besides its row (a Responses answer): committed before the row, so before the last byte. */
  private keeping: Promise<unknown>[] | undefined;
  private readonly started = process.hrtime.bigint();
  private readonly at: number;
  clientKey = 'anonymous';
  session: string | null = null;
  tool: string | null = null;

  constructor(
    private readonly id: string,
    private readonly endpoint: string,
    private readonly api: string | null,
    private readonly deps: UsageDeps,
    private readonly open: Open,
  ) {
    this.at = deps.now();
    open.requests++;
    if (deps.catalog().config.settings?.usage?.logBodies) this.transcript = new AnswerTranscript();
  }

  /** The parsed request body: its model, whether it streams (`stream: true`), and for estimates and body logging. */
  request(body: unknown): void {
    const b = body as { model?: unknown; name?: unknown; stream?: unknown } | undefined;
    this.body = body;
    this.read = true;
    this.model = typeof b?.model === 'string' ? b.model : typeof b?.name === 'string' ? b.name : '';
    this.stream = b?.stream === true;
  }

  /** What the model reads where that is more than the body (a Responses turn with the history it continues inline). */
  reads(whole: unknown): void {
    this.whole = whole;
  }

  /** For APIs that stream unless told not to (Ollama's). */
  streams(stream: boolean): void {
    this.stream = stream;
  }

  served(execution: Execution<unknown>): void {
    this.execution = execution;
    this.attempts = execution.attempts;
    this.decision = execution.decision;
    if (this.left) void this.commit(499);
  }

  /** The upstream's own counts, from a whole answer or a stream's usage event. */
  reported(tokens: Tokens): void {
    this.upstreamTokens = tokens;
  }

  /** Answer text as it reaches the client: the first marks the time to first token. */
  delivered(text: string): void {
    if (!text) return;
    this.ttftMs ??= this.elapsedMs();
    this.answerText.add(text);
    this.transcript?.delivered(text);
  }

  /** Reasoning as it reaches the client: it marks the first token and counts in an estimate. */
  thought(text: string): void {
    if (!text) return;
    this.ttftMs ??= this.elapsedMs();
    (this.otherText ??= new KeptText()).add(text);
    this.transcript?.thought(text);
  }

  /** A tool call as it reaches the client (its name where this part names it, its input whole or a piece): it marks the first token. */
  called(name: string | undefined, input: string, key?: number): void {
    if (!name && !input) return;
    this.ttftMs ??= this.elapsedMs();
    (this.otherText ??= new KeptText()).add(name ? name + input : input);
    this.transcript?.called(name, input, key);
  }

  /** A whole answer was sent (its first token is its last). */
  answered(): void {
    this.ttftMs ??= this.elapsedMs();
  }

  /** `message`: what the client was told, kept so the dashboard can say why a request failed. */
  failed(error: unknown, failureClass?: string, message?: string): void {
    if (error instanceof ExecutionError) {
      this.attempts = error.attempts;
      this.decision = error.decision;
    }
    this.errorClass = failureClass ?? errorClassOf(error);
    if (message !== undefined) this.errorMessage = message.length > MESSAGE_KEPT ? `${message.slice(0, MESSAGE_KEPT)}...` : message;
    if (this.left) void this.commit(499);
  }

  /**
   * The client left before its whole answer. The close cuts the routing under way, which then says
   * what it tried (the deployment the client was waiting on among them): the row waits for that. Before
   * its body was read, or once its answer is under way, there is nothing more to learn.
   */
  clientLeft(): void {
    if (this.committed || this.left) return;
    const closed = clientClosed();
    this.failed(closed, undefined, closed.message);
    this.left = true;
    if (!this.read || this.execution !== undefined) void this.commit(499);
    else this.leftWait = setTimeout(() => void this.commit(499), LEFT_WAIT_MS).unref();
  }

  /** A write the row waits for: a client must not have an answer before what it may ask for again is kept. */
  waitFor(write: Promise<unknown>): void {
    (this.keeping ??= []).push(write);
  }

  /** Writes the row (resolves once it is committed); later calls do nothing, and it never rejects. */
  async commit(status: number): Promise<void> {
    if (this.committed) return;
    this.committed = true;
    if (this.left) {
      clearTimeout(this.leftWait);
      status = 499;
    }
    if (this.keeping) await Promise.allSettled(this.keeping);
    // Made before the row, and only where the upstream reported no usage (the tokenizer is in a worker).
    const estimated = this.upstreamTokens || !this.reached(status) ? undefined : await this.estimate();
    const alone = --this.open.requests === 0;
    if (alone && this.open.idle.length > 0) for (const idle of this.open.idle.splice(0)) idle();
    try {
      const catalog = this.deps.catalog();
      const row = this.row(status, catalog, this.upstreamTokens ?? estimated);
      // Counted before it is written (a full disk loses no count), and never at the row's expense.
      let uncounted: unknown;
      try {
        this.deps.count?.(row);
      } catch (error) {
        uncounted = error;
      }
      const settings = catalog.config.settings?.usage;
      const bodies = settings?.logBodies ? { request: JSON.stringify(this.body ?? null), response: (this.transcript ?? this.answerText).text } : undefined;
      // With other requests open, the row joins their group commit (one transaction per turn of the
      // event loop: what keeps a row cheap under load). Alone, it is journalled and committed with
      // the rows after it: a commit of its own would cost tens of microseconds on every answer.
      if (alone) this.deps.log.recordAfter(row, bodies).catch((error: unknown) => this.deps.onError?.(error));
      else await this.deps.log.recordSoon(row, bodies);
      this.deps.onRow?.(row);
      if (uncounted) throw uncounted;
    } catch (error) {
      // A row that cannot be made or written must not fail the answer (nor, for a client that left,
      // become an unhandled rejection): it is reported instead.
      this.deps.onError?.(error);
    }
  }

  private row(status: number, catalog: Catalog, tokens: Tokens | undefined): UsageRow {
    const execution = this.execution;
    const deployment = execution?.deployment;
    const provider = deployment ? catalog.providers.get(deployment.provider)?.config : undefined;
    const cached = execution?.cache === 'hit';
    const costs = deployment && tokens ? answerCosts(deployment, provider, tokens, catalog.config.settings) : undefined;
    const paid = cached ? 0 : (costs?.paid ?? 0);
    const wouldCost = costs?.wouldCost ?? 0;
    return {
      id: this.id,
      at: this.at,
      endpoint: this.endpoint,
      api: this.api,
      clientKey: this.clientKey,
      model: this.model,
      route: this.decision ? (this.decision.direct ? null : this.decision.route) : catalog.routes.has(this.model) ? this.model : null,
      deployment: deployment?.name ?? null,
      provider: deployment?.provider ?? null,
      status,
      errorClass: this.errorClass ?? (status >= 400 ? 'http_' + status : null),
      errorMessage: this.errorMessage,
      session: this.session,
      tool: this.tool,
      attempts: this.attempts.map((a) => ({ ...a })),
      fallback: this.decision !== undefined && fellBack(this.decision),
      stream: this.stream,
      cached,
      inputTokens: tokens?.input ?? null,
      outputTokens: tokens?.output ?? null,
      cacheReadTokens: this.upstreamTokens?.cacheRead ?? null,
      cacheWriteTokens: this.upstreamTokens?.cacheWrite ?? null,
      tokensEstimated: tokens !== undefined && this.upstreamTokens === undefined,
      cost: paid,
      wouldCost,
      saved: wouldCost - paid,
      ttftMs: this.ttftMs,
      totalMs: this.elapsedMs(),
      decision: this.decision ?? null,
    };
  }

  /** Whether an answer reached the client, even in part (a stream the client left or the upstream cut still cost its tokens). */
  private reached(status: number): boolean {
    return this.execution !== undefined && !(status >= 400 && this.answerText.text === '' && this.otherText === undefined);
  }

  /** Estimates, for an answer that reached the client and whose upstream reported no counts. */
  private async estimate(): Promise<Tokens | undefined> {
    try {
      const [input, answer, other] = await Promise.all([estimatePromptTokens(promptOf(this.whole ?? this.body)), this.answerText.tokens(), this.otherText?.tokens() ?? 0]);
      return { input, output: answer + other };
    } catch (error) {
      // A row without counts rather than none at all.
      this.deps.onError?.(error);
      return undefined;
    }
  }

  private elapsedMs(): number {
    return Number(process.hrtime.bigint() - this.started) / 1e6;
  }
}

/** Requests begun and not yet committed (every request begun commits once: its answer, its error, or its client leaving), and who waits for none to be left. */
interface Open {
  requests: number;
  idle: (() => void)[];
}

export function createUsageRecorder(deps: UsageDeps) {
  const open: Open = { requests: 0, idle: [] };
  return {
    begin: (id: string, endpoint: string, api: string | null) => new RequestUsage(id, endpoint, api, deps, open),
    /**
     * Once every request begun has written its row, or `waitMs` has passed: a stopping gateway waits for
     * the rows of requests it has just cut (a row may wait for a token estimate, made in a worker).
     */
    async settled(waitMs = 2_000): Promise<void> {
      if (open.requests > 0) {
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, waitMs);
          open.idle.push(() => (clearTimeout(timer), resolve()));
        });
      }
      // The group commit of the last rows' turn.
      await new Promise((resolve) => setImmediate(resolve));
    },
  };
}
export type UsageRecorder = ReturnType<typeof createUsageRecorder>;

/**
 * What the client is told when a route gives no answer: the client left, the deadline passed, the
 * upstream said the request itself is wrong (passed on as it said it), or every deployment was
 * skipped or failed (why for each, and when the first is usable again).
 */
import type { DeploymentConfig } from '../config/schema';
import { GatewayError, UNFIT, type UpstreamError } from '../errors';
import type { Attempt } from './attempt';
import type { Catalog } from './catalog';
import type { Plan, Skip } from './plan';
import type { RetryPolicy } from './retry';
import { describeInstant } from './time-windows';

export function clientClosed(): GatewayError {
  return new GatewayError('upstream_error', 'the client closed the connection', { status: 499, wireCode: 'client_closed' });
}

export function deadlinePassed(policy: RetryPolicy, attempts: Attempt[], waiting?: string): GatewayError {
  const after = attempts.length === 0 ? 'before any attempt' : `after ${attempts.length === 1 ? '1 attempt' : `${attempts.length} attempts`}: ${listAttempts(attempts)}`;
  return new GatewayError('all_deployments_failed', `The route's deadline of ${policy.deadlineMs} ms passed ${waiting ? `while ${waiting}, ` : ''}${after}`, {
    status: 504,
    details: { attempts },
  });
}

/**
 * An upstream answer that is the request's own fault goes back to the client as the upstream said
 * it; but a refusal of the request said with a 500 (llama.cpp's chat template refusing it) goes as
 * a 400, which clients do not send again to the same answer.
 */
export function passThrough(error: UpstreamError): GatewayError {
  const upstream = error.upstreamError;
  const refusedAsFailure = error.status !== undefined && error.status >= 500 && UNFIT.has(error.failure);
  return new GatewayError('upstream_error', upstream?.message ?? error.message, {
    status: refusedAsFailure ? 400 : (error.status ?? 502),
    type: refusedAsFailure ? 'invalid_request_error' : (upstream?.type ?? (error.status && error.status < 500 ? 'invalid_request_error' : 'api_error')),
    param: upstream?.param ?? null,
    wireCode: upstream?.code ?? null,
  });
}

/**
 * The SDKs (OpenAI's, and Anthropic's in Claude Code) wait out a Retry-After of up to a minute and
 * send the request again by themselves; past that they retry within seconds, and again, to the same
 * answer. A wait longer than this, or none in sight, is said not to be worth retrying.
 */
const CLIENT_RETRY_HORIZON_MS = 60_000;
/** Failures that keep a deployment out until its config changes or a long block ends (a refused key, a missing model, a spent quota). */
const BLOCKING: ReadonlySet<string> = new Set(['auth', 'model_missing', 'quota']);

export function exhausted(context: { plan: Plan; now: () => number; catalog: Catalog }, attempts: Attempt[], failures: UpstreamError[], skipped: Skip[]): GatewayError {
  const { plan, now, catalog } = context;
  const skippedText = skipped.map((s) => s.message).join('; ');
  // Nothing could read the prompt, and the rest lack what the request uses: that is the request's
  // size (a shorter one fits where it was too long), and no later retry changes it.
  const tooSmall = skipped.filter((s) => s.reason === 'context_too_small');
  const allContext = tooSmall.length + failures.filter((f) => f.failure === 'context_length').length;
  const unfitForIt = skipped.every((s) => s.reason === 'context_too_small' || s.reason === 'capability_missing') && failures.every((f) => UNFIT.has(f.failure));
  if (allContext > 0 && unfitForIt) {
    const widest = tooSmall.reduce<Skip | undefined>((best, s) => ((s.window ?? 0) > (best?.window ?? 0) ? s : best), undefined);
    const said = failures.find((f) => f.failure === 'context_length');
    // In OpenAI's words (and Anthropic's, on the Messages front door): agents know a context overflow
    // by them, and compact the conversation or lower the answer limit instead of failing the turn.
    const sizes = widest?.window && widest.promptTokens !== undefined && widest.answerTokens !== undefined ? { window: widest.window, prompt: widest.promptTokens, answer: widest.answerTokens } : undefined;
    // An embeddings request has an input, and no messages or completion to speak of.
    const input = plan.candidates.some((c) => c.deployment.type === 'embedding');
    const told = !sizes
      ? ''
      : input
        ? `: its maximum context length is ${sizes.window} tokens, and the longest input is about ${sizes.prompt} tokens (as estimated here)`
        : `: its maximum context length is ${sizes.window} tokens. However, you requested ${sizes.prompt + sizes.answer} tokens (${sizes.prompt} in the messages, ${sizes.answer} in the completion, as estimated here)`;
    const others = [...skipped.filter((s) => s.reason === 'capability_missing').map((s) => s.message), ...attempts.filter((a) => a.failure === 'unsupported').map(describeAttempt)];
    const whom = others.length > 0 ? `every deployment of "${plan.route.name}" that could take it otherwise` : `every deployment of "${plan.route.name}"`;
    const rest = others.length > 0 ? ` The others lack what it uses: ${others.join('; ')}.` : '';
    const remedy = input ? 'Shorten the input, or send it in pieces.' : 'Shorten the prompt or lower max_tokens.';
    return new GatewayError('context_length_exceeded', `The request is too long for ${whom}${told}${said ? ` (${said.message})` : ''}. ${remedy}${rest}`, {
      param: input ? 'input' : 'messages',
      details: { largest_context_window: widest?.window ?? null, prompt_tokens: sizes?.prompt ?? null, max_tokens: sizes?.answer ?? null, skipped, attempts },
    });
  }
  // Every deployment that was tried lacks what the request uses: the last one's own answer (a 400) says so best.
  const unsupported = failures.filter((f) => f.failure === 'unsupported');
  if (unsupported.length > 0 && unsupported.length + skipped.filter((s) => s.reason === 'capability_missing').length === failures.length + skipped.length) {
    return passThrough(unsupported.at(-1) as UpstreamError);
  }
  if (attempts.length === 0) {
    // Only what the request uses kept every deployment out: waiting changes nothing, and a 503 would
    // have SDK clients (Claude Code's ten times over) send it again and again.
    if (skipped.length > 0 && skipped.every((s) => s.reason === 'capability_missing')) {
      return new GatewayError('capability_missing', `No deployment of "${plan.route.name}" can take this request: ${skippedText}. Leave that out, or add a deployment whose model has it to the route.`, {
        details: { skipped },
      });
    }
    const soonest = skipped.reduce<number | null>((min, s) => (s.until !== null && (min === null || s.until < min) ? s.until : min), null);
    const first = skipped.find((s) => s.until === soonest);
    const zone = first ? catalog.timeZoneOf(catalog.deployments.get(first.deployment) as DeploymentConfig) : catalog.defaultTimeZone;
    const one = skipped.length === 1;
    const at = soonest === null ? '' : `${describeInstant(soonest, zone, now())} (${new Date(soonest).toISOString()})`;
    // A single skip that waits for a time says it already ("... is rate limited until 14:05"); a probe's own wait is not worded.
    const said = one && first !== undefined && first.reason !== 'probe_in_flight';
    const when = soonest === null ? (one ? ' It does not become available by itself.' : ' None of them becomes available by itself.') : said ? '' : ` ${one ? 'It becomes' : 'The first becomes'} available at ${at}.`;
    const onlyBusy = skipped.length > 0 && skipped.every((s) => s.reason === 'busy' || s.reason === 'cooling');
    return new GatewayError(onlyBusy ? 'all_deployments_rate_limited' : 'no_deployment_available', `No deployment of "${plan.route.name}" is available now: ${skippedText || 'the route is empty'}.${when}`, {
      retryAfterSeconds: soonest === null ? undefined : Math.max(1, Math.ceil((soonest - now()) / 1000)),
      ...(soonest === null || soonest - now() > CLIENT_RETRY_HORIZON_MS ? { retryable: false } : {}),
      details: { skipped, available_at: soonest === null ? null : new Date(soonest).toISOString() },
    });
  }
  const allRateLimited = failures.length > 0 && failures.every((f) => f.failure === 'rate_limited');
  const retryAfters = failures.map((f) => f.retryAfterMs).filter((ms): ms is number => ms !== undefined);
  const retryAfterSeconds = retryAfters.length > 0 ? Math.max(1, Math.ceil(Math.min(...retryAfters) / 1000)) : undefined;
  const tried = attempts.length === 1 ? 'The one attempt' : `All ${attempts.length} attempts`;
  const message = `${tried} for "${plan.route.name}" failed: ${listAttempts(attempts)}${skippedText ? `. Skipped: ${skippedText}` : ''}`;
  // Every deployment tried was refused for its config (now blocked), and none skipped comes back soon.
  const blocked = failures.length > 0 && failures.every((f) => BLOCKING.has(f.failure)) && !skipped.some((s) => s.until !== null && s.until - now() <= CLIENT_RETRY_HORIZON_MS);
  return new GatewayError(allRateLimited ? 'all_deployments_rate_limited' : 'all_deployments_failed', message, {
    retryAfterSeconds,
    ...(blocked ? { retryable: false } : {}),
    details: { attempts, skipped },
  });
}

/** An upstream's own answer is quoted with its status first ("503 overloaded"), so the status is not said twice. */
function listAttempts(attempts: Attempt[]): string {
  return attempts.map(describeAttempt).join('; ');
}

/** An attempt under its deployment and provider; a transport failure's message names the provider first, which is said once. */
function describeAttempt(a: Attempt): string {
  const said = a.message?.startsWith(`${a.provider}: `) ? a.message.slice(a.provider.length + 2) : a.message;
  return `${a.deployment} (${a.provider}): ${said ?? (a.status ? `HTTP ${a.status}` : a.failure)}`;
}

/**
 * A request's answer limit, kept within what the deployment's model may write. A client asks for what
 * its own model takes (Claude Code 32,000 tokens); a route or alias may send the request to a model
 * that takes fewer, which refuses it outright ("max_tokens is too large"). Asking that model for the
 * most it writes gives the answer the client wanted, cut where the model must cut it.
 */
import type { DeploymentConfig, ProviderConfig } from '../config/schema';
import { UpstreamError } from '../errors';
import { creditCovers, namedOutputLimit, roomLeft } from '../refusals';
import { maxOutputOf } from '../models/facts';
import { thinkingBudgetWithin } from '../wire/anthropic';
import type { ChatRequest } from '../wire/canonical';
import { learnerMemory } from './quirk-memory';
import type { LearnerMemory, NativeEndpoint, ProviderContext } from './types';

/** A canonical request whose `max_tokens` or `max_completion_tokens` asks for more than the model writes, capped. */
export function withinOutputLimit(request: ChatRequest, deployment: DeploymentConfig): ChatRequest {
  const most = maxOutputOf(deployment);
  if (most === undefined) return request;
  const over = (asked: number | null | undefined): asked is number => asked != null && asked > most;
  if (!over(request.max_tokens) && !over(request.max_completion_tokens)) return request;
  return { ...request, ...(over(request.max_tokens) ? { max_tokens: most } : {}), ...(over(request.max_completion_tokens) ? { max_completion_tokens: most } : {}) };
}

/** Where each passed-through API asks for its answer's limit. */
const LIMIT_FIELD: Partial<Record<NativeEndpoint, string>> = { messages: 'max_tokens', responses: 'max_output_tokens', completions: 'max_tokens' };

/** A passed-through body asking for more than the model writes, capped; with it, a thinking budget that no longer fits. */
export function nativeWithinOutputLimit(endpoint: NativeEndpoint, body: Record<string, unknown>, deployment: DeploymentConfig): Record<string, unknown> {
  if (endpoint === 'ollama.chat' || endpoint === 'ollama.generate') return ollamaWithinOutputLimit(body, deployment);
  const field = LIMIT_FIELD[endpoint];
  const most = field ? maxOutputOf(deployment) : undefined;
  if (!field || most === undefined) return body;
  const asked = body[field];
  if (typeof asked !== 'number' || asked <= most) return body;
  const out: Record<string, unknown> = { ...body, [field]: most };
  const thinking = body.thinking as { type?: unknown; budget_tokens?: unknown } | undefined;
  if (thinking?.type === 'enabled' && typeof thinking.budget_tokens === 'number' && thinking.budget_tokens >= most) out.thinking = { ...thinking, budget_tokens: thinkingBudgetWithin(most) };
  return out;
}

/**
 * Ollama's own API says its limit in `options.num_predict` (none, or -1: until the window is full). A
 * deployment's limit (or the room a long prompt leaves in its window, from routing) caps it, and
 * stands for an unlimited one.
 */
function ollamaWithinOutputLimit(body: Record<string, unknown>, deployment: DeploymentConfig): Record<string, unknown> {
  const most = maxOutputOf(deployment);
  if (most === undefined) return body;
  const options = (body.options ?? {}) as Record<string, unknown>;
  const asked = options.num_predict;
  if (typeof asked === 'number' && asked >= 0 && asked <= most) return body;
  return { ...body, options: { ...options, num_predict: most } };
}

/** Models whose named limit is remembered, per server: any number of models may be asked for. */
const MAX_LEARNED = 1_000;

/** The least answer room worth asking for: below it the prompt all but fills the window, and the next deployment may do better. */
const MIN_ROOM = 256;

/** The limits learned of this upstream before (quirk-memory.ts). */
export const limitMemory = (context: Pick<ProviderContext, 'quirks'>, config: ProviderConfig): LearnerMemory<number> =>
  learnerMemory(context, config, 'output-limit', (stored) => (Number.isSafeInteger(stored) && (stored as number) > 0 ? (stored as number) : undefined));

/**
 * For a model the table does not know: when its upstream refuses an answer limit and names the one
 * it takes (OpenAI's "supports at most 16384", Groq's "must be less than or equal to `8192`"), the
 * attempt is made again within it, and later requests are sent it from the start. When it names
 * its window and the request's prompt instead (vLLM's, SGLang's: Claude Code asks for 32,000 or
 * 64,000 tokens out of a local model with a 64k window), the attempt is made again asking for the
 * room left, for this request alone, as when it names what the account's credit still covers
 * (OpenRouter's). What it learns is kept across restarts (quirk-memory.ts).
 */
export function createLimitLearner(memory?: LearnerMemory<number>) {
  const learned = memory?.learned ?? new Map<string, number>();
  return async function withinLearnedLimit<T>(deployment: DeploymentConfig, send: (deployment: DeploymentConfig) => Promise<T>): Promise<T> {
    const known = learned.get(deployment.model);
    const first = known !== undefined && !(deployment.maxOutputTokens !== undefined && deployment.maxOutputTokens <= known) ? { ...deployment, maxOutputTokens: known } : deployment;
    try {
      return await send(first);
    } catch (error) {
      if (!(error instanceof UpstreamError)) throw error;
      // Once, and only lower: a limit that did not help is the upstream's to explain.
      const lower = (limit: number | undefined): limit is number => limit !== undefined && (first.maxOutputTokens === undefined || limit < first.maxOutputTokens);
      const limit = namedOutputLimit(error);
      if (lower(limit)) {
        if (learned.size >= MAX_LEARNED) learned.clear();
        learned.set(deployment.model, limit);
        memory?.remember(deployment.model, limit);
        return await send({ ...first, maxOutputTokens: limit });
      }
      const room = roomLeft(error) ?? creditCovers(error);
      if (lower(room) && room >= MIN_ROOM) return await send({ ...first, maxOutputTokens: room });
      throw error;
    }
  };
}

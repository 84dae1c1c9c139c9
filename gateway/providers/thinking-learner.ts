/**
 * Thinking an Ollama model does not have, left out: Ollama refuses the whole request for it ("does
 * not support thinking"), where the model would answer plainly without.
 */
import { UpstreamError } from '../errors';
import type { LearnerMemory } from './types';

/** Ollama's refusal of thinking asked of a model that has none. */
const THINKING_REFUSED = /does not support thinking/i;
/** Models remembered not to think, per server: any number may be asked for. */
const MAX_NON_THINKERS = 1_000;

/**
 * A model that refused thinking though nothing said beforehand that it has none (not probed yet, or
 * pulled since the last probe: its capabilities come from /api/show) is asked again at once without
 * it, and from then on not asked (kept across restarts: quirk-memory.ts). Agents ask for thinking
 * every turn, so each of their requests failed (or fell back) until the next probe.
 */
export function createThinkingLearner(memory?: LearnerMemory<true>) {
  const refused = memory?.learned ?? new Map<string, true>();
  return async function withoutRefusedThinking<T>(model: string, body: Record<string, unknown>, send: (body: Record<string, unknown>) => Promise<T>): Promise<T> {
    if (refused.has(model)) return send(withoutThinking(body));
    try {
      return await send(body);
    } catch (error) {
      const without = withoutThinking(body);
      if (without === body || !(error instanceof UpstreamError && error.status === 400 && THINKING_REFUSED.test(error.upstreamError?.message ?? ''))) throw error;
      if (refused.size >= MAX_NON_THINKERS) refused.clear();
      refused.set(model, true);
      memory?.remember(model, true);
      return send(without);
    }
  };
}

/**
 * A request for a model known not to think, without the thinking Ollama would refuse it for, in each
 * API's words: a Messages request's effort too, which its Messages API makes a thinking level where
 * `thinking` is adaptive or absent (Claude Code's, every turn).
 */
export function withoutThinking(body: Record<string, unknown>): Record<string, unknown> {
  const { think, thinking, reasoning, ...rest } = body;
  const config = body.output_config as Record<string, unknown> | null | undefined;
  const effort = config !== null && typeof config === 'object' && config.effort !== undefined;
  if (think === undefined && thinking === undefined && reasoning === undefined && !effort) return body;
  if (effort) rest.output_config = withoutEffort(config);
  return think === false ? { ...rest, think } : rest;
}

/** `output_config` without its effort. */
export function withoutEffort(config: Record<string, unknown>): Record<string, unknown> {
  const rest = { ...config };
  delete rest.effort;
  return rest;
}

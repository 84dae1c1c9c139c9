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

/** A request for a model known not to think, without the thinking Ollama would refuse it for, in each API's words. */
export function withoutThinking(body: Record<string, unknown>): Record<string, unknown> {
  const { think, thinking, reasoning, ...rest } = body;
  if (think === undefined && thinking === undefined && reasoning === undefined) return body;
  return think === false ? { ...rest, think } : rest;
}

/**
 * What each Claude generation takes, by model id: its form of thinking, its efforts, its sampling
 * parameters, system messages inside the conversation. A client sends what its own model takes; a
 * route, alias or fallback may send the request to another Claude, so what goes out follows these.
 */
import type { Effort } from './efforts';

/**
 * Models that think adaptively, told how hard by `output_config.effort`: Opus and Sonnet 4.6 on, and
 * every family after. Opus 4.7 on refuse a token budget ("thinking.type.enabled is not supported
 * for this model"), and show their thinking only when asked to summarise it.
 */
export const ADAPTIVE_THINKING = /^claude-(?:(?:opus|sonnet)-4-[6-9]|(?:opus|sonnet|haiku)-[5-9]|fable|mythos)/;
/** The adaptive thinkers that refuse a token budget: Opus 4.7 on, and every family after. */
export const BUDGET_REFUSED = /^claude-(?:opus-4-[7-9]|(?:opus|sonnet|haiku)-[5-9]|fable|mythos)/;

/**
 * The efforts a Claude model takes in `output_config.effort`: `max` came with 4.6, `xhigh` with Opus
 * 4.7; Opus 4.5 has low to high; the others none (they refuse the field).
 */
export function claudeEfforts(model: string): readonly Effort[] {
  if (BUDGET_REFUSED.test(model)) return ['low', 'medium', 'high', 'xhigh', 'max'];
  if (ADAPTIVE_THINKING.test(model)) return ['low', 'medium', 'high', 'max'];
  return model.startsWith('claude-opus-4-5') ? ['low', 'medium', 'high'] : [];
}

/**
 * Models Anthropic took the sampling parameters from: Opus 4.7 on (and every family after, to be
 * safe) answer a `temperature`, `top_p` or `top_k` with 400 "`temperature` is deprecated for this model".
 */
export const SAMPLING_REMOVED = /^claude-(?:opus-4-[7-9]|(?:opus|sonnet|haiku)-[5-9]|fable|mythos)/;

/**
 * Models that take a `system` message inside `messages` (mid-conversation system messages), which
 * Claude Code sends from 2.1.154 on: Claude 4.8 on, and every family after. The others, and the
 * servers that speak Messages for other models (Ollama, LM Studio, vLLM), refuse the request for one.
 */
export const INLINE_SYSTEM = /^claude-(?:(?:opus|sonnet|haiku)-4-[89]|(?:opus|sonnet|haiku)-[5-9]|fable|mythos)/;

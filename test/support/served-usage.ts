/**
 * A chat answer's usage as each server the fake OpenAI plays gives it: OpenAI's own, OpenRouter's
 * and xAI's bills beside the counts, DeepSeek's and Moonshot's own fields for prompt cache reads.
 */
import { wordsOf } from './replies';

/** How a fake server says its usage, beyond OpenAI's counts. */
export interface UsageShape {
  /** Say in every answer's usage what it billed, as OpenRouter does (`cost`, in dollars: this much per token), a stream's usage chunk sent unasked. */
  billsPerToken?: number;
  /** Say it in ticks as xAI does (`cost_in_usd_ticks`, ten billion to the dollar), rather than as OpenRouter. */
  billsInTicks?: boolean;
  /** Say this many prompt tokens were read from the prompt cache as DeepSeek does: `prompt_cache_hit_tokens` and `_miss_tokens`, no `prompt_tokens_details`. */
  deepseekCacheHits?: number;
  /** Answer as Moonshot's Kimi API: prompt cache reads as a top-level `cached_tokens` (this many), and a stream's usage inside its last choice, unasked. */
  kimiCachedTokens?: number;
}

/** Usage as the server being played gives it: OpenRouter's bill, DeepSeek's own cache fields. */
export function usageAsServed(counted: ReturnType<typeof usageFor>, options: UsageShape): Record<string, unknown> {
  if (options.deepseekCacheHits !== undefined) {
    const { prompt_tokens_details: _openai, ...rest } = counted;
    return { ...rest, prompt_cache_hit_tokens: options.deepseekCacheHits, prompt_cache_miss_tokens: counted.prompt_tokens - options.deepseekCacheHits };
  }
  if (options.kimiCachedTokens !== undefined) {
    const { prompt_tokens_details: _openai, ...rest } = counted;
    return { ...rest, cached_tokens: options.kimiCachedTokens };
  }
  if (options.billsPerToken !== undefined && options.billsInTicks) return { ...counted, cost_in_usd_ticks: Math.round(counted.total_tokens * options.billsPerToken * 1e10) };
  if (options.billsPerToken !== undefined) return { ...counted, cost: counted.total_tokens * options.billsPerToken, is_byok: false, cost_details: { upstream_inference_cost: null } };
  return counted;
}

export function usageFor(content: string, promptTokens = 12) {
  const completion = wordsOf(content).length;
  return {
    prompt_tokens: promptTokens,
    completion_tokens: completion,
    total_tokens: promptTokens + completion,
    prompt_tokens_details: { cached_tokens: 0, audio_tokens: 0 },
    completion_tokens_details: { reasoning_tokens: 0, audio_tokens: 0, accepted_prediction_tokens: 0, rejected_prediction_tokens: 0 },
  };
}

/** A choice's `logprobs` for its tokens, as OpenAI sends it when asked (`top_logprobs` always a list). */

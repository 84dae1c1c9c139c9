/**
 * Token counting (`/v1/messages/count_tokens`): exact from an Anthropic deployment; from any other,
 * an estimate that costs time linear in the request (the tokenizer for short text, a calibrated
 * count beyond). A count is advice, not an answer: when the upstream cannot give one
 * (Anthropic-compatible APIs without the endpoint say 404, its own limits 429) the estimate stands
 * in, and the failure says nothing to the breaker about the deployment's messages (a 404 here had
 * blocked it as "model missing" for 30 minutes). A request the upstream refuses as such (a 400) is
 * still the client's to see.
 */
import type { CancelSignal } from '../../cancel';
import type { DeploymentConfig } from '../../config/schema';
import type { ProviderAdapter } from '../../providers/types';
import { countedOr, estimatePromptTokens, estimateTokens, promptOf } from '../../usage/tokens';
import { toolsShown } from '../../wire/tool-deferral';
import type { MessagesBody } from './codec';

export interface CountCall {
  signal: CancelSignal;
  headers: Record<string, string> | undefined;
  via: string | undefined;
}

/** One deployment's count of a request's input tokens. */
export async function countOn(provider: ProviderAdapter, deployment: DeploymentConfig, body: MessagesBody & Record<string, unknown>, call: CountCall): Promise<Record<string, unknown>> {
  // The tools counted are those the model is shown: deferred ones a search has not loaded are not (wire/tool-deferral.ts).
  const estimate = async () => ({ input_tokens: (await estimatePromptTokens(promptOf(body))) + (body.tools ? await estimateTokens(JSON.stringify(toolsShown(body.tools, body.messages, body.tool_choice))) : 0) });
  if (provider.config.kind !== 'anthropic' || !provider.speaks('messages', deployment)) return estimate();
  return countedOr(() => provider.nativeJson('messages.count_tokens', body, { deployment, ...call }), estimate);
}

/**
 * Token counts of a Responses request (`POST /v1/responses/input_tokens`, the OpenAI SDK's
 * `responses.inputTokens.count`): exact from OpenAI's own API where the deployment is one of its
 * models, and from any other an estimate in time linear in the request, as the Messages API's count
 * (anthropic/count.ts). A server that speaks Responses without this endpoint (vLLM, LM Studio), or
 * cannot count now, gets the estimate too; a request the upstream refuses as such (a 400) is still
 * the client's to see.
 */
import type { CancelSignal } from '../../cancel';
import type { DeploymentConfig } from '../../config/schema';
import type { ProviderAdapter } from '../../providers/types';
import { countedOr, estimatePromptTokens, estimateTokens, promptOf } from '../../usage/tokens';
import { takesAsSent, type Item, type ResponsesBody } from './codec';

/** The request counted: as sent, its whole conversation (kept history first), and that inline for an upstream. */
export interface Counted {
  body: ResponsesBody & Record<string, unknown>;
  items: readonly Item[];
  native: Record<string, unknown>;
}

export async function inputTokensOn(provider: ProviderAdapter, deployment: DeploymentConfig, counted: Counted, call: { signal: CancelSignal; via: string | undefined }): Promise<Record<string, unknown>> {
  const { body, items, native } = counted;
  const estimate = async () => ({
    object: 'response.input_tokens',
    input_tokens: (await estimatePromptTokens(promptOf({ instructions: body.instructions, input: items }))) + (body.tools ? await estimateTokens(JSON.stringify(body.tools)) : 0),
  });
  if (provider.config.kind !== 'openai' || !takesAsSent(body, items, provider.speaks('responses', deployment), provider.config.kind)) return estimate();
  return countedOr(() => provider.nativeJson('responses.input_tokens', native, { deployment, ...call }), estimate);
}

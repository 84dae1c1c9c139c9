/**
 * Compaction (`POST /v1/responses/compact`). Codex asks for it, instead of summarising by itself,
 * when it believes it talks to OpenAI (`openai_base_url`, `OPENAI_BASE_URL`). An upstream that
 * speaks Responses compacts as it does (OpenAI's answer carries a compaction item only it can read);
 * any other model writes a handoff summary, and the compacted conversation is the user's latest
 * messages (within a budget) followed by that summary as a user message, which is what Codex itself
 * keeps when it compacts without OpenAI.
 */
import type { DeploymentConfig } from '../../config/schema';
import type { CancelSignal } from '../../cancel';
import { isUpstreamError, UpstreamError } from '../../errors';
import type { ProviderAdapter } from '../../providers/types';
import type { RequestUsage } from '../../usage/recorder';
import { completionText, nowSeconds, tokensOf, type ChatCompletion, type ChatRequest } from '../../wire/canonical';
import { responsesToChat, takesAsSent, type Item, type ResponsesBody } from './codec';
import { itemId, newResponseId, responseUsage } from './output';

/** A whole compaction: an upstream's own, or a canonical completion holding the summary. */
export type CompactWhole = { compacted: Record<string, unknown> } | { completion: ChatCompletion };

const INSTRUCTION = [
  'Stop here and write a handoff note for the model that will carry on this work in a new context, which will see only the note and the latest user messages.',
  'Say what the user asked for and the constraints and preferences they gave; what has been done so far, with the decisions made and why; the files, commands, names and values the work depends on; what failed and what was learned from it; and what remains, as concrete next steps.',
  'Write only the note: no greeting, no tool calls. Be complete but brief.',
].join('\n');
const SUMMARY_LEAD = 'The conversation before this point was compacted. A handoff note from the model that worked on it:\n\n';
/** The user's own words kept beside the summary, newest first until this many characters. */
const KEPT_USER_CHARS = 80_000;

/** How a server says it has no such endpoint. */
const NO_SUCH_PATH = new Set([404, 405, 501]);

/** The conversation a compaction is asked of: the request, its whole history, and that history inline for an upstream. */
export interface Compaction {
  body: ResponsesBody & Record<string, unknown>;
  items: readonly Item[];
  native: Record<string, unknown>;
}

/** One deployment's attempt: its own compaction where it speaks Responses, else (or where it has none) its model's summary. */
export async function compactOn(provider: ProviderAdapter, deployment: DeploymentConfig, compaction: Compaction, call: { signal: CancelSignal; via: string | undefined }): Promise<CompactWhole> {
  const { body, items, native } = compaction;
  const summary = async () => ({ completion: summaryOf(await provider.chat(compactionRequest(responsesToChat(body, items, provider.config.kind)), { deployment, ...call }), deployment.name) });
  if (provider.config.kind === 'ollama' || !takesAsSent(body, items, provider.speaks('responses', deployment), provider.config.kind)) return summary();
  try {
    return { compacted: await provider.nativeJson('responses.compact', native, { deployment, ...call }) };
  } catch (error) {
    // A server that speaks Responses without compaction (vLLM, LM Studio) has no such path: its model summarises instead.
    if (isUpstreamError(error) && NO_SUCH_PATH.has(error.status ?? 0)) return summary();
    throw error;
  }
}

/** The conversation, translated, with the request to summarise it (no tools: the answer must be the note). */
function compactionRequest(translated: ChatRequest): ChatRequest {
  const { tools: _tools, tool_choice: _choice, parallel_tool_calls: _parallel, response_format: _format, stream_options: _options, ...rest } = translated;
  return { ...rest, stream: false, messages: [...translated.messages, { role: 'user', content: INSTRUCTION }] };
}

/** A summary with words in it: an empty one would compact the conversation to nothing, so the next deployment is asked (the model is unfit for this, not down). */
function summaryOf(completion: ChatCompletion, deployment: string): ChatCompletion {
  if (completionText(completion).trim() === '') throw new UpstreamError('unsupported', `${deployment} wrote no summary of the conversation`);
  return completion;
}

/** The compacted conversation as the API returns it, metered on the way. */
export function compacted(whole: CompactWhole, items: readonly Item[], usage: RequestUsage | undefined): Record<string, unknown> {
  if ('compacted' in whole) {
    const reported = whole.compacted.usage as { input_tokens?: number; output_tokens?: number } | undefined;
    if (typeof reported?.input_tokens === 'number') usage?.reported({ input: reported.input_tokens, output: reported.output_tokens ?? 0 });
    usage?.answered();
    return whole.compacted;
  }
  const tokens = tokensOf(whole.completion.usage);
  if (tokens) usage?.reported(tokens);
  const summary = completionText(whole.completion);
  usage?.delivered(summary);
  usage?.answered();
  const note = { type: 'message', id: itemId('msg'), status: 'completed', role: 'user', content: [{ type: 'input_text', text: SUMMARY_LEAD + summary }] };
  return { id: newResponseId(), object: 'response.compaction', created_at: nowSeconds(), output: [...keptUserMessages(items), note], usage: responseUsage(whole.completion.usage) };
}

/** The user's messages, the latest that fit the budget, in their order, as output items. */
function keptUserMessages(items: readonly Item[]): Record<string, unknown>[] {
  const kept: Record<string, unknown>[] = [];
  let budget = KEPT_USER_CHARS;
  for (let i = items.length - 1; i >= 0 && budget > 0; i--) {
    const item = items[i] as Item;
    if ((item.type ?? 'message') !== 'message' || item.role !== 'user') continue;
    const content = typeof item.content === 'string' ? [{ type: 'input_text', text: item.content }] : Array.isArray(item.content) ? item.content : [];
    const size = JSON.stringify(content).length;
    if (size > budget) break;
    budget -= size;
    kept.push({ type: 'message', id: itemId('msg'), status: 'completed', role: 'user', content });
  }
  return kept.reverse();
}

/**
 * Canonical answers as the Responses API's output: the Response's echo of its request, its output
 * items (reasoning, message, function and custom tool calls), status and usage.
 */
import { randomFillSync } from 'node:crypto';
import type { Response, ResponseOutputText } from 'openai/resources/responses/responses';
import { copyWith } from '../../wire/copy-with';
import { newCompletionId } from '../../wire/ids';
import { outputTextLogprobs } from '../../wire/logprobs';
import { argumentsObject, nowSeconds, type ChatCompletion, type Message as ChatMessage } from '../../wire/canonical';
import { encodeSignedThinking, type SignedThinking } from '../../wire/signed-thinking';
import type { ResponsesBody } from './codec';
import type { OfferedTools } from './tools';

/** What a Response says about its request, the same on every event that carries it. */
export type ResponseShell = Omit<Response, 'output' | 'usage' | 'status' | 'output_text' | 'completed_at' | 'error' | 'incomplete_details'>;

/**
 * The time, then random: a kept response is read by its id, so its id must not be guessable from
 * another (128 random bits), and ids that rise with time are kept at the end of the store's index,
 * where random ones each wrote another page of it (a save took 59 us, not 104, with 65,000 kept).
 */
export function newResponseId(): string {
  // The time's 12 hex digits as two halves of 24 bits: V8 writes a small integer in hex far faster
  // than the whole time, a double past 2^31 (an id took 0.55 us that way, 0.3 now).
  const now = Date.now();
  return `resp_${hex24(Math.floor(now / 0x1000000))}${hex24(now % 0x1000000)}${randomHex(16)}`;
}

const hex24 = (n: number) => n.toString(16).padStart(6, '0');

// Random bytes drawn 4 KiB at a time, as crypto.randomUUID draws its own: a UUID with its dashes
// taken out cost 1.5 us an id on Node 20 (replaceAll alone 0.5), a slice of this 0.13.
const randomPool = Buffer.alloc(4_096);
let randomTaken = randomPool.length;

function randomHex(bytes: number): string {
  if (randomTaken + bytes > randomPool.length) {
    randomFillSync(randomPool);
    randomTaken = 0;
  }
  const hex = randomPool.toString('hex', randomTaken, randomTaken + bytes);
  randomTaken += bytes;
  return hex;
}

export function itemId(prefix: string): string {
  return `${prefix}_${newCompletionId().slice(9)}`;
}

/** The Response's echo of the request: what was asked, with the spec's defaults filled in. */
export function responseShell(body: ResponsesBody, id: string = newResponseId()): ResponseShell {
  return {
    id,
    object: 'response',
    created_at: nowSeconds(),
    instructions: body.instructions ?? null,
    max_output_tokens: body.max_output_tokens ?? null,
    metadata: body.metadata ?? {},
    model: body.model,
    parallel_tool_calls: body.parallel_tool_calls ?? true,
    previous_response_id: body.previous_response_id ?? null,
    reasoning: { effort: (body.reasoning?.effort ?? null) as NonNullable<Response['reasoning']>['effort'], summary: (body.reasoning?.summary ?? null) as NonNullable<Response['reasoning']>['summary'] },
    store: body.store ?? true,
    temperature: body.temperature ?? 1,
    text: { format: (body.text?.format ?? { type: 'text' }) as NonNullable<Response['text']>['format'] },
    tool_choice: (body.tool_choice ?? 'auto') as Response['tool_choice'],
    tools: (body.tools ?? []).map((t) => (t.type === 'function' ? { type: 'function', name: String(t.name), description: t.description ?? null, parameters: (t.parameters ?? null) as Record<string, unknown> | null, strict: t.strict ?? null } : t)) as Response['tools'],
    top_p: body.top_p ?? 1,
    ...(body.top_logprobs == null ? {} : { top_logprobs: body.top_logprobs }),
    truncation: body.truncation ?? 'disabled',
  } as ResponseShell;
}

type Usage = NonNullable<Response['usage']>;

/** Canonical usage in the Responses API's terms. */
export function responseUsage(usage: ChatCompletion['usage'] | null | undefined): Usage {
  const input = usage?.prompt_tokens ?? 0;
  const output = usage?.completion_tokens ?? 0;
  return {
    input_tokens: input,
    input_tokens_details: { cached_tokens: usage?.prompt_tokens_details?.cached_tokens ?? 0, cache_write_tokens: (usage as { cache_creation_input_tokens?: number } | null | undefined)?.cache_creation_input_tokens ?? 0 },
    output_tokens: output,
    output_tokens_details: { reasoning_tokens: usage?.completion_tokens_details?.reasoning_tokens ?? 0 },
    total_tokens: usage?.total_tokens ?? input + output,
  } as Usage;
}

export type OutputItem = Response['output'][number];

/**
 * A canonical tool call as an output item, under the name and namespace the client offered the tool
 * by (tools.ts): a custom tool's call carries its free text as `input`, a tool search its arguments
 * as an object.
 */
export function callItem(call: { id: string; name: string; arguments: string }, tools: OfferedTools, status: 'in_progress' | 'completed'): OutputItem {
  const callId = call.id || itemId('call');
  const offered = tools.called(call.name);
  const name = offered?.name ?? call.name;
  const namespace = offered?.namespace === undefined ? {} : { namespace: offered.namespace };
  if (offered?.tool.type === 'tool_search') {
    return { type: 'tool_search_call', id: itemId('tsc'), call_id: callId, execution: 'client', arguments: argumentsObject(call.arguments), status: 'completed' } as unknown as OutputItem;
  }
  if (offered?.tool.type === 'custom') {
    return { type: 'custom_tool_call', id: itemId('ctc'), call_id: callId, ...namespace, name, input: customInput(call.arguments) } as OutputItem;
  }
  return { type: 'function_call', id: itemId('fc'), call_id: callId, ...namespace, name, arguments: call.arguments || '{}', status } as OutputItem;
}

function customInput(text: string): string {
  try {
    const value = JSON.parse(text || '{}') as { input?: unknown };
    return typeof value.input === 'string' ? value.input : text;
  } catch {
    return text;
  }
}

/** The status a finish reason gives a Response, and why it is incomplete when it is. */
export function ending(finish: string | null | undefined): Pick<Response, 'status' | 'incomplete_details'> {
  if (finish === 'length') return { status: 'incomplete', incomplete_details: { reason: 'max_output_tokens' } };
  if (finish === 'content_filter') return { status: 'incomplete', incomplete_details: { reason: 'content_filter' } };
  return { status: 'completed', incomplete_details: null };
}

export const messageItem = (id: string, text: string, status: 'in_progress' | 'completed', logprobs: ResponseOutputText.Logprob[] = [], phase?: Phase): OutputItem =>
  ({ id, type: 'message', role: 'assistant', status, content: text || status === 'completed' ? [{ type: 'output_text', text, annotations: [], logprobs }] : [], ...(phase ? { phase } : {}) }) as OutputItem;

type Phase = 'commentary' | 'final_answer';

/**
 * A message's phase, as GPT-5.3-codex and later label theirs and Codex reads them: commentary when
 * another item follows it (a tool call, more reasoning), the final answer when it ends a completed
 * Response; none for a cut one. Codex finds a turn's answer by its `final_answer`, and without one
 * showed a translated answer twice or left it among the turn's progress notes.
 */
export function phaseOf(followed: boolean, completed: boolean): Phase | undefined {
  if (followed) return 'commentary';
  return completed ? 'final_answer' : undefined;
}

/** Claude's signed thinking goes as the item's encrypted content, asked for or not: a kept Response replays it too. */
export const reasoningItem = (id: string, text: string | undefined, signed: readonly SignedThinking[] = []): OutputItem =>
  ({ id, type: 'reasoning', summary: text === undefined ? [] : [{ type: 'summary_text', text }], ...(signed.length > 0 ? { encrypted_content: encodeSignedThinking(signed) } : {}) }) as OutputItem;

/** A canonical completion as a Response. */
export function completionToResponse(completion: ChatCompletion, shell: ResponseShell, tools: OfferedTools): Response {
  const choice = completion.choices[0];
  const message = choice?.message as ChatMessage | undefined;
  const output: OutputItem[] = [];
  if (message?.reasoning_content || message?.signed_thinking) output.push(reasoningItem(itemId('rs'), message.reasoning_content ?? '', message.signed_thinking));
  const calls = (message?.tool_calls ?? []).length > 0;
  if (message?.content) output.push(messageItem(itemId('msg'), message.content, 'completed', outputTextLogprobs(choice?.logprobs), phaseOf(calls, ending(choice?.finish_reason).status === 'completed')));
  for (const call of message?.tool_calls ?? []) {
    if (call.type === 'function') output.push(callItem({ id: call.id, name: call.function.name, arguments: call.function.arguments }, tools, 'completed'));
  }
  const end = ending(choice?.finish_reason);
  return copyWith(shell, { status: end.status, incomplete_details: end.incomplete_details, completed_at: end.status === 'completed' ? nowSeconds() : null, error: null, output, usage: responseUsage(completion.usage) }) as Response;
}

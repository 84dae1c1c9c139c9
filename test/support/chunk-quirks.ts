/**
 * Chat streams as servers off OpenAI's contract send them:
 *
 * - `default` and `asynchronous`: Azure OpenAI's content filter as it shows in a chat stream: a first event for the prompt's
 * results (`prompt_filter_results`, no choices, an empty id, model and object, created 0), each
 * choice carrying its `content_filter_results`, and with the asynchronous filter, annotation
 * events of their own (a choice with results and offsets but no delta, again with an empty id),
 * one of them after the finish reason (learn.microsoft.com/azure/foundry/openai/concepts/content-streaming).
 * - `usage-without-choices`: the usage chunk with no `choices` at all (ROCm ATOM before #1711, servers
 *   that leave out what is empty).
 * - `empty-role`: every delta's `role` an empty string after the first (MiniMax's API).
 * - `empty-call-names`: a call's later fragments with an empty `name` (LM Studio's server, lmstudio-bug-tracker#649).
 * - `openrouter-details`: OpenRouter's `reasoning_details` as it streams Gemini 3's: its reasoning text
 *   in two fragments of one item (joined by `index`), then each call's thought signature as an
 *   encrypted item; a history that does not give them back is refused (openai-refusals.ts).
 * - `whole-in-done`: a Responses stream, not a chat one, with no delta events: its text and call
 *   arguments whole in their `done` events alone (responses-wire.ts).
 * - `reasoning-text`: a Responses answer's reasoning as its full text and no summary, as LM Studio's,
 *   vLLM's and Ollama's (responses-wire.ts).
 * - `thinking-chunks`: Mistral's reasoning (mistral-small-latest with a reasoning effort, Magistral):
 *   `content` a list of chunks, `{type: "thinking", thinking: [text chunks]}` then `{type: "text"}`,
 *   whole and streamed (the stream's later text as plain strings); with `reasoningField: 'reasoning_content'`.
 * - `labelled-json`, `labelled-plain`: the stream as it is, labelled `application/json` or `text/plain`
 *   (relays: Codex's, OpenRouter's error answers); with `alwaysStreams`, a whole answer's too.
 */
export type ChunkQuirk = 'default' | 'asynchronous' | 'usage-without-choices' | 'empty-role' | 'empty-call-names' | 'openrouter-details' | 'whole-in-done' | 'reasoning-text' | 'thinking-chunks' | 'labelled-json' | 'labelled-plain';

/** The content type a chat stream goes out under. */
export const streamLabel = (quirk: ChunkQuirk | undefined): string => (quirk === 'labelled-json' ? 'application/json' : quirk === 'labelled-plain' ? 'text/plain; charset=utf-8' : 'text/event-stream; charset=utf-8');

/** The thought signature OpenRouter's Gemini gives a call, as an encrypted reasoning detail. */
export const signatureOf = (callId: string) => ({ type: 'reasoning.encrypted', data: `gemini-signature-for-${callId}`, id: callId, format: 'google-gemini-v1' });
export const DETAILS_TEXT = 'Let me check that.';

export function withQuirk(events: Record<string, unknown>[], quirk: ChunkQuirk): Record<string, unknown>[] {
  if (quirk === 'usage-without-choices') return events.map((event) => (Array.isArray(event.choices) && event.choices.length === 0 ? withoutChoices(event) : event));
  if (quirk === 'empty-call-names') return events.map(namesEmptied());
  if (quirk === 'openrouter-details') return withDetails(events);
  if (quirk === 'whole-in-done' || quirk === 'reasoning-text' || quirk === 'labelled-json' || quirk === 'labelled-plain') return events;
  if (quirk === 'thinking-chunks') return inChunks(events);
  if (quirk === 'empty-role') return events.map((event, i) => (i === 0 ? event : { ...event, choices: (event.choices as Record<string, unknown>[]).map((choice) => ({ ...choice, delta: { role: '', ...(choice.delta as object) } })) }));
  return withAzureFilters(events, quirk);
}

function withDetails(events: Record<string, unknown>[]): Record<string, unknown>[] {
  type Choice = { delta?: { tool_calls?: { id?: string }[] } & Record<string, unknown> };
  const fragments = [DETAILS_TEXT.slice(0, 7), DETAILS_TEXT.slice(7)];
  let next = 2;
  return events.map((event) => ({
    ...event,
    choices: (event.choices as Choice[]).map((choice) => {
      if (!choice.delta) return choice;
      const text = fragments.shift();
      const calls = (choice.delta.tool_calls ?? []).filter((call) => call.id).map((call) => ({ ...signatureOf(call.id!), index: next++ }));
      const details = [...(text ? [{ type: 'reasoning.text', text, format: 'google-gemini-v1', index: 0, ...(fragments.length === 0 ? { signature: null } : {}) }] : []), ...calls];
      return details.length > 0 ? { ...choice, delta: { ...choice.delta, reasoning_details: details } } : choice;
    }),
  }));
}

const thinking = (text: string) => ({ type: 'thinking', thinking: [{ type: 'text', text }] });

/** A whole answer's message as the quirk has it (only `thinking-chunks` changes one). */
export function wholeWithQuirk(message: Record<string, unknown>, quirk: ChunkQuirk): Record<string, unknown> {
  if (quirk !== 'thinking-chunks' || typeof message.reasoning_content !== 'string') return message;
  const { reasoning_content: reasoning, ...rest } = message;
  return { ...rest, content: [thinking(reasoning as string), ...(typeof message.content === 'string' && message.content ? [{ type: 'text', text: message.content }] : [])] };
}

function inChunks(events: Record<string, unknown>[]): Record<string, unknown>[] {
  let texts = 0;
  return events.map((event) => ({
    ...event,
    choices: (event.choices as { delta?: Record<string, unknown> }[]).map((choice) => {
      const { reasoning_content: reasoning, ...delta } = choice.delta ?? {};
      if (typeof reasoning === 'string') return { ...choice, delta: { ...delta, content: [thinking(reasoning)] } };
      if (typeof delta.content === 'string' && delta.content && texts++ === 0) return { ...choice, delta: { ...delta, content: [{ type: 'text', text: delta.content }] } };
      return choice;
    }),
  }));
}

/** Each call's fragments after its first with `name: ""`. */
function namesEmptied(): (event: Record<string, unknown>) => Record<string, unknown> {
  const named = new Set<number>();
  return (event) => ({
    ...event,
    choices: (event.choices as { delta?: { tool_calls?: { index: number; function?: Record<string, unknown> }[] } }[]).map((choice) => {
      const calls = choice.delta?.tool_calls;
      if (!calls) return choice;
      return { ...choice, delta: { ...choice.delta, tool_calls: calls.map((call) => (named.has(call.index) ? { ...call, function: { ...call.function, name: '' } } : (named.add(call.index), call))) } };
    }),
  });
}

function withoutChoices(event: Record<string, unknown>): Record<string, unknown> {
  const { choices: _, ...rest } = event;
  return rest;
}

const SAFE = { filtered: false, severity: 'safe' };
const RESULTS = { hate: SAFE, self_harm: SAFE, sexual: SAFE, violence: SAFE };
const ANNOTATION = { id: '', object: '', created: 0, model: '' };

function withAzureFilters(events: Record<string, unknown>[], filter: 'default' | 'asynchronous'): Record<string, unknown>[] {
  const prompt = { ...ANNOTATION, choices: [], prompt_filter_results: [{ prompt_index: 0, content_filter_results: RESULTS }] };
  const filtered = events.map((event) => ({ ...event, choices: (event.choices as Record<string, unknown>[]).map((choice) => ({ ...choice, content_filter_results: filter === 'default' ? RESULTS : {} })) }));
  if (filter === 'default') return [prompt, ...filtered];
  const annotation = (end: number) => ({ ...ANNOTATION, choices: [{ index: 0, finish_reason: null, content_filter_results: RESULTS, content_filter_offsets: { check_offset: end, start_offset: 0, end_offset: end } }] });
  const finish = filtered.findIndex((event) => (event.choices as { finish_reason?: unknown }[]).some((choice) => choice.finish_reason));
  const middle = Math.max(1, Math.floor((finish < 0 ? filtered.length : finish) / 2));
  const out = [prompt, ...filtered.slice(0, middle), annotation(10), ...filtered.slice(middle)];
  out.splice(finish < 0 ? out.length : finish + 3, 0, annotation(40));
  return out;
}

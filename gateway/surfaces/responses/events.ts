/**
 * Canonical chunks as Responses stream events, numbered from 0, and the SSE they travel in.
 */
import type { Response, ResponseStreamEvent } from 'openai/resources/responses/responses';
import { gatherToolCalls, inCallOrder, nowSeconds, type ChatCompletion, type ChatCompletionChunk, type Delta, type GatheredCall } from '../../wire/canonical';
import { copyWith } from '../../wire/copy-with';
import { deltaLogprobs, outputTextLogprobs } from '../../wire/logprobs';
import type { SignedThinking } from '../../wire/signed-thinking';
import { callItem, ending, itemId, messageItem, phaseOf, reasoningItem, responseUsage, type OutputItem, type ResponseShell } from './output';
import type { OfferedTools } from './tools';

/**
 * Canonical chunks as Responses stream events, numbered from 0: `response.created` and
 * `response.in_progress`, then output items as they come (reasoning with its summary text, the
 * message with its text part), then every tool call as a whole item in call order (parallel calls
 * keep their own items even when their fragments arrive interleaved), then `response.completed` (or
 * `response.incomplete`) carrying the whole Response and its usage.
 */
export function createResponseEventWriter(shell: ResponseShell, tools: OfferedTools) {
  let sequence = 0;
  let started = false;
  let open: { kind: 'reasoning' | 'message'; id: string; index: number; text: string; logprobs: ReturnType<typeof outputTextLogprobs>; signed: SignedThinking[] } | undefined;
  let finish: string | null = null;
  let usage: ChatCompletion['usage'] | null = null;
  const output: OutputItem[] = [];
  const calls = new Map<number, GatheredCall>();
  const out: ResponseStreamEvent[] = [];
  const push = (event: Record<string, unknown>) => out.push(copyWith(event, { sequence_number: sequence++ }) as unknown as ResponseStreamEvent);
  // `usage` is left out until the end: the spec has no null for it.
  const pending = () => copyWith(shell, { status: 'in_progress', completed_at: null, error: null, incomplete_details: null, output: [] });
  const start = () => {
    if (started) return;
    started = true;
    push({ type: 'response.created', response: pending() });
    push({ type: 'response.in_progress', response: pending() });
  };
  /** `followed`: another item comes after it (a message's phase: output.ts). */
  const close = (followed: boolean) => {
    if (!open) return;
    const { kind, id, index: output_index, text, logprobs, signed } = open;
    if (kind === 'reasoning') {
      const part = { type: 'summary_text', text };
      push({ type: 'response.reasoning_summary_text.done', item_id: id, output_index, summary_index: 0, text });
      push({ type: 'response.reasoning_summary_part.done', item_id: id, output_index, summary_index: 0, part });
      output.push(reasoningItem(id, text, signed));
    } else {
      const part = { type: 'output_text', text, annotations: [], logprobs };
      push({ type: 'response.output_text.done', item_id: id, output_index, content_index: 0, text, logprobs: deltaLogprobs({ content: logprobs, refusal: null }) });
      push({ type: 'response.content_part.done', item_id: id, output_index, content_index: 0, part });
      output.push(messageItem(id, text, 'completed', logprobs, phaseOf(followed, ending(finish).status === 'completed')));
    }
    push({ type: 'response.output_item.done', output_index, item: output[output_index] });
    open = undefined;
  };
  const item = (kind: 'reasoning' | 'message') => {
    if (open?.kind === kind) return open;
    close(true);
    open = { kind, id: itemId(kind === 'reasoning' ? 'rs' : 'msg'), index: output.length, text: '', logprobs: [], signed: [] };
    const { id, index: output_index } = open;
    if (kind === 'reasoning') {
      push({ type: 'response.output_item.added', output_index, item: reasoningItem(id, undefined) });
      push({ type: 'response.reasoning_summary_part.added', item_id: id, output_index, summary_index: 0, part: { type: 'summary_text', text: '' } });
    } else {
      push({ type: 'response.output_item.added', output_index, item: messageItem(id, '', 'in_progress') });
      push({ type: 'response.content_part.added', item_id: id, output_index, content_index: 0, part: { type: 'output_text', text: '', annotations: [], logprobs: [] } });
    }
    return open;
  };
  const drain = () => out.splice(0);
  let final: Response | undefined;
  return {
    /** The finished Response, once `finish()` has run. */
    get response() {
      return final;
    },
    events(chunk: ChatCompletionChunk): ResponseStreamEvent[] {
      start();
      if (chunk.usage) usage = chunk.usage;
      for (const choice of chunk.choices) {
        const delta = choice.delta as Delta;
        if (delta.reasoning_content) {
          const current = item('reasoning');
          current.text += delta.reasoning_content;
          push({ type: 'response.reasoning_summary_text.delta', item_id: current.id, output_index: current.index, summary_index: 0, delta: delta.reasoning_content });
        }
        if (delta.signed_thinking) for (const block of delta.signed_thinking) item('reasoning').signed.push(block);
        if (delta.content) {
          const current = item('message');
          current.text += delta.content;
          for (const entry of outputTextLogprobs(choice.logprobs)) current.logprobs.push(entry);
          push({ type: 'response.output_text.delta', item_id: current.id, output_index: current.index, content_index: 0, delta: delta.content, logprobs: deltaLogprobs(choice.logprobs) });
        }
        gatherToolCalls(calls, delta);
        if (choice.finish_reason) finish = choice.finish_reason;
      }
      return drain();
    },
    finish(): ResponseStreamEvent[] {
      start();
      close(calls.size > 0);
      for (const call of inCallOrder(calls)) {
        const output_index = output.length;
        const done = callItem(call, tools, 'completed');
        output.push(done);
        if (done.type === 'custom_tool_call') {
          push({ type: 'response.output_item.added', output_index, item: { ...done, input: '' } });
          push({ type: 'response.custom_tool_call_input.delta', item_id: done.id, output_index, delta: done.input });
          push({ type: 'response.custom_tool_call_input.done', item_id: done.id, output_index, input: done.input });
        } else if (done.type === 'function_call') {
          push({ type: 'response.output_item.added', output_index, item: { ...done, arguments: '', status: 'in_progress' } });
          push({ type: 'response.function_call_arguments.delta', item_id: done.id, output_index, delta: done.arguments });
          push({ type: 'response.function_call_arguments.done', item_id: done.id, output_index, name: done.name, arguments: done.arguments });
        } else {
          push({ type: 'response.output_item.added', output_index, item: done });
        }
        push({ type: 'response.output_item.done', output_index, item: done });
      }
      const end = ending(calls.size > 0 ? 'tool_calls' : finish);
      final = copyWith(shell, { status: end.status, incomplete_details: end.incomplete_details, completed_at: end.status === 'completed' ? nowSeconds() : null, error: null, output, usage: responseUsage(usage) }) as Response;
      push({ type: end.status === 'completed' ? 'response.completed' : 'response.incomplete', response: final });
      return drain();
    },
    /** The event that ends a stream cut by a failure, numbered after everything sent. */
    failed(message: string, code: string): ResponseStreamEvent {
      push({ type: 'response.failed', response: copyWith(shell, { status: 'failed', completed_at: null, error: { code, message }, incomplete_details: null, output }) });
      return drain()[0] as ResponseStreamEvent;
    },
  };
}

export function sseEvent(data: { type: string }): string {
  return `event: ${data.type}\ndata: ${JSON.stringify(data)}\n\n`;
}

/**
 * `GET /v1/responses/{id}/input_items`: a kept response's input, as OpenAI lists it. Clients send
 * input loosely (a string, messages without a type, items without ids); the list gives each item its
 * type, its parts' types and an id, the same on every read (made from the response's id and the
 * item's place when the client sent none), so `after` pages through it.
 */
import { createHash } from 'node:crypto';
import { GatewayError } from '../../errors';

type Item = Record<string, unknown>;

export interface InputItemsQuery {
  limit?: number;
  order?: 'asc' | 'desc';
  after?: string;
}

/** OpenAI's page when none is asked for. */
const DEFAULT_LIMIT = 20;

const PREFIX: Record<string, string> = { message: 'msg', function_call: 'fc', function_call_output: 'fco', custom_tool_call: 'ctc', custom_tool_call_output: 'ctco', reasoning: 'rs' };

export function inputItemList(responseId: string, input: readonly unknown[], query: InputItemsQuery) {
  const items = input.map((item, i) => asResource(responseId, item as Item, i));
  if (query.order !== 'asc') items.reverse();
  let start = 0;
  if (query.after !== undefined) {
    start = items.findIndex((item) => item.id === query.after) + 1;
    if (start === 0) throw new GatewayError('invalid_request', `No input item with id '${query.after}' in response '${responseId}'`, { param: 'after' });
  }
  const data = items.slice(start, start + (query.limit ?? DEFAULT_LIMIT));
  return { object: 'list', data, first_id: String(data[0]?.id ?? ''), last_id: String(data.at(-1)?.id ?? ''), has_more: start + data.length < items.length };
}

function asResource(responseId: string, item: Item, index: number): Item {
  const type = typeof item.type === 'string' ? item.type : 'message';
  const id = typeof item.id === 'string' && item.id !== '' ? item.id : madeId(responseId, type, index);
  if (type === 'message') return message(item, id);
  const { id: _id, ...rest } = item;
  // Items OpenAI lists with a status (calls and their outputs) say they are done: they were sent whole.
  const status = type.endsWith('_call') || type.endsWith('_call_output') ? { status: typeof item.status === 'string' ? item.status : 'completed' } : {};
  return { id, ...rest, type, ...status };
}

/** A message with its parts as OpenAI lists them: input parts for the user's, system's and developer's; output text for the assistant's. */
function message(item: Item, id: string): Item {
  const role = typeof item.role === 'string' ? item.role : 'user';
  const parts = typeof item.content === 'string' ? [{ type: role === 'assistant' ? 'output_text' : 'input_text', text: item.content }] : Array.isArray(item.content) ? (item.content as Item[]) : [];
  if (role === 'assistant') {
    const content = parts.map((p) => (p?.type === 'refusal' ? p : { type: 'output_text', text: String(p?.text ?? ''), annotations: Array.isArray(p?.annotations) ? p.annotations : [] }));
    return { id, type: 'message', role, status: 'completed', content };
  }
  return { id, type: 'message', role, status: 'completed', content: parts.map((p) => (p?.type === 'text' ? { ...p, type: 'input_text' } : p)) };
}

/** An id for an item the client sent without one: the same on every read of this response. */
function madeId(responseId: string, type: string, index: number): string {
  return `${PREFIX[type] ?? 'item'}_${createHash('sha256').update(`${responseId}:${index}`).digest('hex').slice(0, 32)}`;
}

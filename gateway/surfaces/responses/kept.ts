/**
 * What the responses this gateway kept give a new turn: the conversation before it
 * (`previous_response_id`), and the items its `item_reference` inputs stand for (the AI SDK sends
 * one for each earlier output while `store` is on). Both become inline items, so every upstream
 * sees the whole turn and none is asked for an id it never made.
 */
import { GatewayError } from '../../errors';
import type { ResponsesStore, StoredResponse } from '../../store/responses-store';
import type { ResponsesBody } from './codec';

type Item = { type?: string; [key: string]: unknown };

/** More references than any conversation needs; each is one lookup on the event loop. */
const MAX_REFERENCES = 10_000;

/** The conversation before this turn; an unknown id is the client's error. */
export function history(store: ResponsesStore, previousId: string | null | undefined, owner: string | null): Item[] {
  if (!previousId) return [];
  const items = store.conversation(previousId, owner);
  if (!items) throw notFound(previousId, 'previous_response_id');
  return items as Item[];
}

/**
 * The input with each reference to a kept item replaced by the item. A reference to an item this
 * gateway did not keep stays: an OpenAI deployment may know it; a translation says it cannot.
 */
export function resolveReferences(store: ResponsesStore, input: Item[], owner: string | null): Item[] {
  const referenced: string[] = [];
  input.forEach((item, i) => {
    if (item?.type !== 'item_reference' || typeof item.id !== 'string') return;
    if (referenced.push(item.id) > MAX_REFERENCES) throw new GatewayError('invalid_request', `The input has more than ${MAX_REFERENCES} item references`, { param: `input[${i}]` });
  });
  if (referenced.length === 0) return input;
  const kept = store.items(referenced, owner);
  if (kept.size === 0) return input;
  return input.map((item) => (item?.type === 'item_reference' && typeof item.id === 'string' && kept.has(item.id) ? (kept.get(item.id) as Item) : item));
}

/** What to keep of an answer, unless the client said `store: false`: the turn, and its output items by id. */
export function keptTurn(body: ResponsesBody, input: unknown[], response: Record<string, unknown>, owner: string | null): StoredResponse | undefined {
  if (body.store === false || typeof response.id !== 'string') return undefined;
  const answered = (response.output as Record<string, unknown>[] | undefined) ?? [];
  const output = answered.map(asInput);
  const items = answered.flatMap((item, i) => (typeof item.id === 'string' ? [[item.id, i] as const] : []));
  return { id: response.id, previousId: body.previous_response_id ?? null, input, output, items, response, owner };
}

/**
 * An output item as it goes back in as input: messages and calls without their ids (an upstream that
 * did not make them may look them up and fail); reasoning whole, its encrypted content included.
 */
function asInput(item: Record<string, unknown>): Record<string, unknown> {
  if (item.type === 'reasoning') return item;
  const { id: _id, status: _status, ...rest } = item;
  return rest;
}

export function notFound(id: string, param?: string): GatewayError {
  // Its id reached a client in `response.created` whether or not it was kept, so each reason is said.
  return new GatewayError('not_found', `No response with id '${id}' is kept here (responses sent with store: false are not kept, nor one whose client left before its end, and kept ones expire).`, param ? { param } : {});
}

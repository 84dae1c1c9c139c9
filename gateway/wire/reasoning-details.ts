/**
 * OpenRouter's `reasoning_details` carried through a translation. OpenRouter wants them back with an
 * assistant turn's tool calls (Gemini 3 behind it refuses every later turn without them: "Gemini
 * models require OpenRouter reasoning details to be preserved in each request"), and a Messages or
 * Responses history has no place for them. So a translated answer carries them as a redacted
 * thinking block of this gateway's own (`signed_thinking`: Claude Code keeps such blocks, Codex its
 * reasoning items' encrypted content), marked with the server that gave them; the turn that comes
 * back gives them to that server alone (a fallback's other server never sees them), and the
 * signature book leaves the block out of any history sent to Claude or OpenAI (its prefix).
 */
import type { ChatCompletion, ChatCompletionChunk, ChatRequest, Delta, Message } from './canonical';
import { SIGNED_THINKING_PREFIX, type SignedThinking } from './signed-thinking';

export const DETAILS_PREFIX = `${SIGNED_THINKING_PREFIX}details:`;
/** Items one answer's details hold at most (a handful: its reasoning text, a signature per call). */
const MAX_ITEMS = 64;
/** Fields a streamed item's fragments add to, in order; any other field is the fragment's latest. */
const JOINED = new Set(['text', 'summary', 'data']);

type Item = Record<string, unknown>;

function detailsBlock(origin: string, details: readonly unknown[]): SignedThinking {
  return { type: 'redacted_thinking', data: DETAILS_PREFIX + Buffer.from(JSON.stringify({ origin, details })).toString('base64url') };
}

/** The details `blocks` carry from `origin`, in order; undefined when none. */
export function detailsFrom(blocks: readonly SignedThinking[] | undefined, origin: string): unknown[] | undefined {
  const found: unknown[] = [];
  for (const block of blocks ?? []) {
    if (block.type !== 'redacted_thinking' || !block.data.startsWith(DETAILS_PREFIX)) continue;
    try {
      const carried = JSON.parse(Buffer.from(block.data.slice(DETAILS_PREFIX.length), 'base64url').toString('utf8')) as { origin?: unknown; details?: unknown };
      if (carried.origin === origin && Array.isArray(carried.details)) found.push(...carried.details.slice(0, MAX_ITEMS));
    } catch {
      // Not whole (a client cut it): nothing to give back.
    }
  }
  return found.length > 0 ? found : undefined;
}

/**
 * A stream's details put back together: OpenRouter sends each item in fragments under its `index`
 * (reasoning text a piece at a time, its signature at the end), as its own SDK joins them.
 */
export function createDetailsJoiner() {
  const items: Item[] = [];
  const byIndex = new Map<unknown, Item>();
  return {
    add(fragments: unknown): void {
      if (!Array.isArray(fragments)) return;
      for (const fragment of fragments as unknown[]) {
        if (!fragment || typeof fragment !== 'object') continue;
        const index = (fragment as Item).index;
        let item = index === undefined ? undefined : byIndex.get(index);
        if (!item) {
          if (items.length >= MAX_ITEMS) continue;
          items.push((item = {}));
          if (index !== undefined) byIndex.set(index, item);
        }
        for (const [key, value] of Object.entries(fragment as Item)) {
          if (value === null || value === undefined) continue;
          item[key] = JOINED.has(key) && typeof value === 'string' && typeof item[key] === 'string' ? (item[key] as string) + value : value;
        }
      }
    },
    joined: (): Item[] => items,
  };
}

/** A whole answer with its details carried (beside `reasoning_details`, which a chat client still gets). */
export function withDetailsCarried(completion: ChatCompletion, origin: string): ChatCompletion {
  for (const choice of completion.choices) {
    const message = choice.message as Message & { reasoning_details?: unknown };
    if (!Array.isArray(message.reasoning_details) || message.reasoning_details.length === 0) continue;
    message.signed_thinking = [...(message.signed_thinking ?? []), detailsBlock(origin, message.reasoning_details.slice(0, MAX_ITEMS))];
  }
  return completion;
}

/** For a stream: each chunk as it passes, its details joined, and carried on the chunk that ends the answer (its first choice's: agents ask for one). */
export function createDetailsCarrier(origin: string): (chunk: ChatCompletionChunk) => void {
  const details = createDetailsJoiner();
  return (chunk) => {
    const choice = chunk.choices.find((c) => c.index === 0);
    const delta = choice?.delta as (Delta & { reasoning_details?: unknown }) | undefined;
    if (delta?.reasoning_details) details.add(delta.reasoning_details);
    if (delta && choice?.finish_reason && details.joined().length > 0) delta.signed_thinking = [...(delta.signed_thinking ?? []), detailsBlock(origin, details.joined())];
  };
}

/** A request whose assistant turns give `origin` back the details it gave them; a turn that has its own keeps them. */
export function withDetailsReturned(request: ChatRequest, origin: string): ChatRequest {
  if (!request.messages.some((m) => m.role === 'assistant' && 'signed_thinking' in m)) return request;
  return {
    ...request,
    messages: request.messages.map((m) => {
      const details = m.role === 'assistant' && !('reasoning_details' in m) ? detailsFrom((m as { signed_thinking?: SignedThinking[] }).signed_thinking, origin) : undefined;
      return details ? ({ ...m, reasoning_details: details } as unknown as typeof m) : m;
    }),
  };
}

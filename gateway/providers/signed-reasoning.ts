/**
 * Signed reasoning a request's history replays to an upstream that cannot verify it, left out.
 * - Messages: Anthropic binds each thinking block's signature to the model that wrote it and refuses
 *   a history that replays it to another ("messages.1.content.0: Invalid `signature` in `thinking`
 *   block"). The signer is the model.
 * - Responses: OpenAI encrypts a reasoning item's `encrypted_content` for the account that got it,
 *   and refuses it from another ("The encrypted content for item rs_... could not be verified",
 *   `invalid_encrypted_content`); so a compaction item, the history `/responses/compact` compacted
 *   (`cmp_...`). The signer is the provider.
 * Claude Code and Codex resend their whole history every turn, so once a route fell back from one
 * signer to another, every later turn would be refused: the session wedges.
 *
 * The book notes who signed the reasoning of every answer passed through. A request leaves out what
 * another signer signed, what this one refused before, and what no one signed (the gateway's own
 * thinking blocks made from another upstream's reasoning, summary-only reasoning items). One refused all the same (signed before
 * this gateway started) is sent again at once without everything its signer did not sign, or without
 * all of it, and those are remembered as refused. When a Messages turn that called tools loses its
 * thinking, the request goes without thinking: Anthropic wants such a turn to begin with it.
 */
import { UpstreamError } from '../errors';
import { SIGNED_THINKING_PREFIX } from '../wire/signed-thinking';
import type { NativeEndpoint, NativeEvent, SignatureBook } from './types';

type Body = Record<string, unknown>;
type Part = { type?: unknown; signature?: unknown; data?: unknown; encrypted_content?: unknown };
type Message = { role?: unknown; content?: unknown };

/** Signatures remembered at most, of each kind: a long day of agent sessions, in a few MB. */
const MAX_NOTED = 20_000;
/** Characters of a streamed signature kept while it arrives (its key is its tail). */
const MAX_SIGNATURE = 4_096;

/** Each API's signed parts: how a refusal is worded, and the request without the parts `drop` names. */
const APIS: Partial<Record<NativeEndpoint, { refused: RegExp; without: (body: Body, drop: (key: string) => boolean) => Left }>> = {
  messages: { refused: /Invalid `?signature`? in `?thinking`? block/i, without: withoutThinking },
  responses: { refused: /invalid_encrypted_content|encrypted content.{0,300}could not be (?:verified|decrypted)/i, without: withoutReasoning },
};
APIS['messages.count_tokens'] = APIS.messages;
APIS['responses.compact'] = APIS.responses;
APIS['responses.input_tokens'] = APIS.responses;

interface Left {
  body: Body;
  /** The keys of what was left out. */
  left: string[];
}

/** No book (an adapter made without a gateway around it): only unsigned reasoning is left out. */
export const NO_BOOK: SignatureBook = {
  watched: (_endpoint, _signer, answer) => answer,
  send: (endpoint, body, _signer, send) => send(APIS[endpoint]?.without(body, () => false).body ?? body),
};

export function createSignatureBook(): SignatureBook {
  const signers = new Map<string, string>();
  const refused = new Map<string, Set<string>>();
  const note = <V>(map: Map<string, V>, key: string, value: V) => {
    if (map.size >= MAX_NOTED) map.delete(map.keys().next().value as string);
    map.set(key, value);
  };
  const sign = (signer: string, signature: unknown) => {
    if (typeof signature === 'string' && signature !== '') note(signers, keyOf(signature), signer);
  };

  return {
    watched(endpoint, signer, answer) {
      if (endpoint !== 'messages' && endpoint !== 'responses' && endpoint !== 'responses.compact') return answer;
      if (isAsyncIterable(answer)) return watchStream(answer as AsyncIterable<NativeEvent>, (signature) => sign(signer, signature)) as typeof answer;
      const parts = endpoint === 'messages' ? (answer as { content?: Part[] }).content : (answer as { output?: Part[] }).output;
      for (const part of Array.isArray(parts) ? parts : []) sign(signer, signatureOf(part));
      return answer;
    },

    async send(endpoint, body, signer, send) {
      const api = APIS[endpoint];
      if (!api) return send(body);
      const known = refused.get(signer);
      const first = api.without(body, (key) => (signers.has(key) && signers.get(key) !== signer) || known?.has(key) === true);
      try {
        return await send(first.body);
      } catch (error) {
        if (!(error instanceof UpstreamError) || error.status !== 400) throw error;
        const said = error.upstreamError ? `${error.upstreamError.code ?? ''} ${error.upstreamError.message}` : '';
        if (!api.refused.test(said.slice(0, 2_000))) throw error;
        // What it did not sign first; if it signed it all, it refuses it in another history (a changed prompt, say).
        let again = api.without(first.body, (key) => signers.get(key) !== signer);
        if (again.left.length === 0) again = api.without(first.body, () => true);
        if (again.left.length === 0) throw error;
        let set = refused.get(signer);
        if (!set) note(refused, signer, (set = new Set()));
        for (const key of again.left) if (set.size < MAX_NOTED) set.add(key);
        return send(again.body);
      }
    },
  };
}

/** A signature's key: its tail (a signature ends in a MAC, a ciphertext in its tag: the tail tells them apart). */
function keyOf(signature: string): string {
  return signature.slice(-64);
}

/** A thinking block's signature, a redacted one's data, a reasoning or compaction item's encrypted content. */
function signatureOf(part: Part | null | undefined): unknown {
  if (part?.type === 'thinking') return part.signature;
  if (part?.type === 'redacted_thinking') return part.data;
  return part?.type === 'reasoning' || part?.type === 'compaction' ? part.encrypted_content : undefined;
}

function isAsyncIterable(value: unknown): boolean {
  return typeof (value as AsyncIterable<unknown> | null)?.[Symbol.asyncIterator] === 'function';
}

/** A stream's events as they were, noting each signature on the way (a thinking block's may come in parts). */
async function* watchStream(events: AsyncIterable<NativeEvent>, sign: (signature: string) => void): AsyncGenerator<NativeEvent> {
  const parts = new Map<number, string>();
  for await (const event of events) {
    const data = event.data as { type?: string; index?: number; content_block?: Part; item?: Part; delta?: { type?: string; signature?: string } };
    if (data.type === 'content_block_start' && typeof data.content_block?.data === 'string') sign(data.content_block.data);
    else if (data.type === 'response.output_item.done' && typeof data.item?.encrypted_content === 'string') sign(data.item.encrypted_content);
    else if (data.type === 'content_block_delta' && data.delta?.type === 'signature_delta' && typeof data.index === 'number') {
      // A signature is a few hundred bytes: of an upstream's endless one only the tail, its key, is kept.
      parts.set(data.index, ((parts.get(data.index) ?? '') + (data.delta.signature ?? '')).slice(-MAX_SIGNATURE));
    } else if (data.type === 'content_block_stop' && typeof data.index === 'number' && parts.has(data.index)) {
      sign(parts.get(data.index)!);
      parts.delete(data.index);
    }
    yield event;
  }
}

/**
 * Whether a part of signed reasoning is to be left out: one `drop` names (its key goes on the list
 * of what was left out), or one no upstream signed (a thinking block the gateway made from another
 * upstream's reasoning, a reasoning item with only a summary), which no upstream would verify.
 */
function dropped(part: Part | null | undefined, drop: (key: string) => boolean, left: string[]): boolean {
  if (part?.type !== 'thinking' && part?.type !== 'redacted_thinking' && part?.type !== 'reasoning' && part?.type !== 'compaction') return false;
  const signature = signatureOf(part);
  // This gateway's own carrier of Claude's thinking (signed-thinking.ts): no Responses upstream signed it.
  if (typeof signature !== 'string' || signature === '' || signature.startsWith(SIGNED_THINKING_PREFIX)) return true;
  if (!drop(keyOf(signature))) return false;
  left.push(keyOf(signature));
  return true;
}

/**
 * A Messages request without the thinking `drop` names; without thinking, if the tool loop it continues
 * lost its turn's thinking here, or (thinking on a budget) began that turn without any: one another
 * kind of deployment answered (a route that fell back from Claude to GPT or a local model and back),
 * or a translated history, which carries none (a chat client's).
 * Adaptive thinking may skip thinking before a tool call, so Anthropic cannot want it there.
 */
function withoutThinking(body: Body, drop: (key: string) => boolean): Left {
  const messages = body.messages;
  if (!Array.isArray(messages)) return { body, left: [] };
  const left: string[] = [];
  let lastLost = false;
  const last = messages.findLastIndex((m: Message) => m?.role === 'assistant');
  const kept = (messages as Message[]).map((message, i) => {
    if (message?.role !== 'assistant' || !Array.isArray(message.content)) return message;
    const content = (message.content as Part[]).filter((block) => !dropped(block, drop, left));
    if (content.length === message.content.length) return message;
    if (i === last) lastLost = true;
    return { ...message, content };
  });
  const thinking = body.thinking as { type?: unknown } | undefined;
  const thinks = thinking !== undefined && thinking !== null && thinking.type !== 'disabled';
  const changed = kept.some((m, i) => m !== messages[i]);
  const without = thinks && (lastLost || thinking.type === 'enabled') && loopWithoutThinking(kept);
  if (!changed && !without) return { body, left };
  const out: Body = changed ? { ...body, messages: kept } : { ...body };
  if (without) {
    delete out.thinking;
    // Clearing old thinking is an edit of a request that thinks.
    const management = body.context_management as { edits?: { type?: unknown }[] } | undefined;
    if (Array.isArray(management?.edits)) out.context_management = { ...management, edits: management.edits.filter((e) => !String(e?.type).startsWith('clear_thinking')) };
  }
  return { body: out, left };
}

/** Anthropic's rule: the turn a tool loop continues begins with its thinking when the request thinks. */
function loopWithoutThinking(messages: Message[]): boolean {
  const last = messages.findLastIndex((m) => m?.role === 'assistant');
  const content = messages[last]?.content;
  if (!Array.isArray(content) || !(content as Part[]).some((b) => b?.type === 'tool_use')) return false;
  const first = (content as Part[])[0]?.type;
  if (first === 'thinking' || first === 'redacted_thinking') return false;
  return messages.slice(last + 1).some((m) => Array.isArray(m?.content) && (m.content as Part[]).some((b) => b?.type === 'tool_result'));
}

/** A Responses request without the reasoning items `drop` names (the rest of its input as it was). */
function withoutReasoning(body: Body, drop: (key: string) => boolean): Left {
  if (!Array.isArray(body.input)) return { body, left: [] };
  const left: string[] = [];
  const input = (body.input as Part[]).filter((item) => !dropped(item, drop, left));
  return input.length === body.input.length ? { body, left } : { body: { ...body, input }, left };
}

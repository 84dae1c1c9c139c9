/**
 * Thinking blocks a Claude model cannot take, left out of a Messages request for it. Anthropic binds
 * each thinking block's signature to the model that wrote it and refuses a history that replays it
 * to another ("messages.1.content.0: Invalid `signature` in `thinking` block"). Claude Code resends
 * its whole history every turn, so once a route fell back from one Claude to another (or from a
 * model behind Ollama's or another server's Messages API), every later turn would be refused: the
 * session wedges.
 *
 * The book notes which model signed each thinking block of every Messages answer passed through.
 * A request for a model leaves out blocks another model signed, or ones it refused before. One it
 * still refuses (blocks signed before this gateway started) is sent again at once without every
 * block it did not sign, or without all of them, and those are remembered as refused. When the turn
 * a request continues loses its thinking while calling tools, the request goes without thinking:
 * Anthropic wants such a turn to begin with its thinking block.
 */
import { UpstreamError } from '../errors';
import type { NativeEvent, SignatureBook } from './types';

type Body = Record<string, unknown>;
type Block = { type?: unknown; signature?: unknown; data?: unknown };
type Message = { role?: unknown; content?: unknown };

/** Signatures remembered at most, of each kind: a long day of agent sessions, in a few MB. */
const MAX_NOTED = 20_000;
const REFUSED = /Invalid `?signature`? in `?thinking`? block/i;
/** Characters of a streamed signature kept while it arrives (its key is its tail). */
const MAX_SIGNATURE = 4_096;

export function createSignatureBook(): SignatureBook {
  const signer = new Map<string, string>();
  const refused = new Map<string, Set<string>>();
  const note = <V>(map: Map<string, V>, key: string, value: V) => {
    if (map.size >= MAX_NOTED) map.delete(map.keys().next().value as string);
    map.set(key, value);
  };
  const sign = (model: string, signature: unknown) => {
    if (typeof signature === 'string' && signature !== '') note(signer, keyOf(signature), model);
  };

  return {
    watched(endpoint, model, answer) {
      if (endpoint !== 'messages') return answer;
      if (isAsyncIterable(answer)) return watchStream(answer as AsyncIterable<NativeEvent>, (signature) => sign(model, signature)) as typeof answer;
      for (const block of ((answer as { content?: Block[] }).content ?? []) as Block[]) sign(model, signatureOf(block));
      return answer;
    },

    async send(body, model, send) {
      const known = refused.get(model);
      const first = without(body, (key) => (signer.has(key) && signer.get(key) !== model) || known?.has(key) === true);
      try {
        return await send(first.body);
      } catch (error) {
        if (!(error instanceof UpstreamError) || error.status !== 400 || !REFUSED.test((error.upstreamError?.message ?? '').slice(0, 2_000))) throw error;
        // Blocks it did not sign first; if it signed them all, the history it refuses them in is another (a changed prompt).
        let again = without(first.body, (key) => signer.get(key) !== model);
        if (again.left.length === 0) again = without(first.body, () => true);
        if (again.left.length === 0) throw error;
        let set = refused.get(model);
        if (!set) note(refused, model, (set = new Set()));
        for (const key of again.left) if (set.size < MAX_NOTED) set.add(key);
        return send(again.body);
      }
    },
  };
}

/** A signature's key: its tail (a signature ends in a MAC: its tail alone tells signatures apart). */
function keyOf(signature: string): string {
  return signature.slice(-64);
}

function signatureOf(block: Block): unknown {
  return block.type === 'thinking' ? block.signature : block.type === 'redacted_thinking' ? block.data : undefined;
}

function isAsyncIterable(value: unknown): boolean {
  return typeof (value as AsyncIterable<unknown> | null)?.[Symbol.asyncIterator] === 'function';
}

/** A stream's events as they were, noting each thinking block's signature (it may come in parts) when the block ends. */
async function* watchStream(events: AsyncIterable<NativeEvent>, sign: (signature: string) => void): AsyncGenerator<NativeEvent> {
  const parts = new Map<number, string>();
  for await (const event of events) {
    const data = event.data as { type?: string; index?: number; content_block?: Block; delta?: { type?: string; signature?: string } };
    if (data.type === 'content_block_start' && data.content_block?.type === 'redacted_thinking' && typeof data.content_block.data === 'string') sign(data.content_block.data);
    else if (data.type === 'content_block_delta' && data.delta?.type === 'signature_delta' && typeof data.index === 'number') {
      // A signature is a few hundred bytes: of an upstream's endless one only the tail, its key, is kept.
      parts.set(data.index, ((parts.get(data.index) ?? '') + (data.delta.signature ?? '')).slice(-MAX_SIGNATURE));
    }
    else if (data.type === 'content_block_stop' && typeof data.index === 'number' && parts.has(data.index)) {
      sign(parts.get(data.index)!);
      parts.delete(data.index);
    }
    yield event;
  }
}

/**
 * The request without the thinking blocks `drop` names (by key), and the keys it left out. A
 * request thinking while its last turn called tools goes without thinking once that turn lost its own.
 */
function without(body: Body, drop: (key: string) => boolean): { body: Body; left: string[] } {
  const messages = body.messages;
  if (!Array.isArray(messages)) return { body, left: [] };
  const left: string[] = [];
  let lastLost = false;
  const last = messages.findLastIndex((m: Message) => m?.role === 'assistant');
  const kept = (messages as Message[]).map((message, i) => {
    if (message?.role !== 'assistant' || !Array.isArray(message.content)) return message;
    const content = (message.content as Block[]).filter((block) => {
      const signature = signatureOf(block ?? {});
      if (typeof signature !== 'string' || signature === '' || !drop(keyOf(signature))) return true;
      left.push(keyOf(signature));
      if (i === last) lastLost = true;
      return false;
    });
    return content.length === message.content.length ? message : { ...message, content };
  });
  if (left.length === 0) return { body, left };
  const out: Body = { ...body, messages: kept };
  const thinking = body.thinking as { type?: unknown } | undefined;
  const callsTools = Array.isArray((messages[last] as Message | undefined)?.content) && ((messages[last] as Message).content as Block[]).some((b) => b?.type === 'tool_use');
  if (lastLost && callsTools && thinking && thinking.type !== 'disabled') {
    delete out.thinking;
    // Clearing old thinking is an edit of a request that thinks.
    const management = body.context_management as { edits?: { type?: unknown }[] } | undefined;
    if (Array.isArray(management?.edits)) out.context_management = { ...management, edits: management.edits.filter((e) => !String(e?.type).startsWith('clear_thinking')) };
  }
  return { body: out, left };
}

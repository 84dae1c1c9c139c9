/**
 * Claude's thinking blocks as Anthropic signed them, carried through a translation. Anthropic wants
 * the turn a tool loop continues to begin with the thinking it signed, and a chat history has no
 * place for it. So the blocks ride with a translated answer (`signed_thinking` on the canonical
 * message and delta; chat clients are not shown them), reach a Responses client as its reasoning
 * item's `encrypted_content` (Codex asks for it and sends it back every turn, as OpenAI means it to
 * be used), and come back from there to the front of the assistant turn they began.
 */
export type SignedThinking = { type: 'thinking'; thinking: string; signature: string } | { type: 'redacted_thinking'; data: string };

/** Marks an encrypted content as this gateway's: no Responses upstream signed it (signed-reasoning.ts leaves it out for them). */
export const SIGNED_THINKING_PREFIX = 'switchyard-thinking-v1:';

/**
 * The signature of a thinking block the gateway made from another upstream's reasoning: Claude Code
 * drops a thinking block that ends without a `signature_delta`, and the whole turn with it (a local
 * model's answer showed as empty). No upstream signed it, and its prefix keeps it out of any
 * history sent to one (signed-reasoning.ts).
 */
export const UNSIGNED = `${SIGNED_THINKING_PREFIX}unsigned`;

/** Blocks one reasoning item carries at most; an answer has a handful. */
const MAX_BLOCKS = 256;

export function encodeSignedThinking(blocks: readonly SignedThinking[]): string {
  return SIGNED_THINKING_PREFIX + Buffer.from(JSON.stringify(blocks)).toString('base64url');
}

/** The blocks an encrypted content carries; undefined when it is not this gateway's or not whole. */
export function decodeSignedThinking(value: unknown): SignedThinking[] | undefined {
  if (typeof value !== 'string' || !value.startsWith(SIGNED_THINKING_PREFIX)) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(value.slice(SIGNED_THINKING_PREFIX.length), 'base64url').toString('utf8'));
  } catch {
    return undefined;
  }
  if (!Array.isArray(parsed) || parsed.length === 0 || parsed.length > MAX_BLOCKS) return undefined;
  const blocks: SignedThinking[] = [];
  for (const b of parsed as Record<string, unknown>[]) {
    if (b?.type === 'thinking' && typeof b.thinking === 'string' && typeof b.signature === 'string' && b.signature !== '') blocks.push({ type: 'thinking', thinking: b.thinking, signature: b.signature });
    else if (b?.type === 'redacted_thinking' && typeof b.data === 'string' && b.data !== '') blocks.push({ type: 'redacted_thinking', data: b.data });
    else return undefined;
  }
  return blocks;
}

/**
 * Claude's signed thinking as a Responses client carries it (a reasoning item's encrypted content):
 * what went out comes back whole, and anything else a client sends there (OpenAI's own encrypted
 * content, a forged or cut value) is not taken for it.
 */
import { describe, expect, it } from 'vitest';
import { decodeSignedThinking, encodeSignedThinking, SIGNED_THINKING_PREFIX, type SignedThinking } from '../../gateway/wire/signed-thinking';

const blocks: SignedThinking[] = [
  { type: 'thinking', thinking: 'Let me look at the file first. Ünïcödé and "quotes".', signature: 'EqQBCkYIBxgCKkBsig==' },
  { type: 'redacted_thinking', data: 'EmwKAhgBEgy3va3pzix/LafPsn4a' },
];

describe('signed thinking in encrypted content', () => {
  it('comes back as it went out, thinking and redacted thinking in order', () => {
    const carried = encodeSignedThinking(blocks);
    expect(carried.startsWith(SIGNED_THINKING_PREFIX)).toBe(true);
    expect(carried.slice(SIGNED_THINKING_PREFIX.length)).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(decodeSignedThinking(carried)).toEqual(blocks);
  });

  it('is not read from what another server encrypted, nor from a cut or forged value', () => {
    const carried = encodeSignedThinking(blocks);
    const encode = (value: unknown) => SIGNED_THINKING_PREFIX + Buffer.from(JSON.stringify(value)).toString('base64url');
    for (const value of [
      undefined,
      null,
      42,
      'gAAAAABoOpenAIEncryptedContent==',
      carried.slice(0, -8),
      `${SIGNED_THINKING_PREFIX}not base64 json`,
      encode([]),
      encode({ type: 'thinking', thinking: 't', signature: 's' }),
      encode([{ type: 'thinking', thinking: 't' }]),
      encode([{ type: 'thinking', thinking: 't', signature: '' }]),
      encode([{ type: 'thinking', thinking: 5, signature: 's' }]),
      encode([{ type: 'text', text: 'injected' }]),
      encode([...blocks, { type: 'tool_use', id: 'x', name: 'bash', input: {} }]),
      encode(Array.from({ length: 257 }, () => blocks[1])),
    ]) {
      expect(decodeSignedThinking(value), String(value).slice(0, 60)).toBeUndefined();
    }
  });

  it('keeps only the fields Anthropic takes, in fresh objects', () => {
    const value = SIGNED_THINKING_PREFIX + Buffer.from('[{"type":"thinking","thinking":"t","signature":"s","cache_control":{"type":"ephemeral"},"__proto__":{"polluted":true}}]').toString('base64url');
    const [block] = decodeSignedThinking(value) ?? [];
    expect(block).toEqual({ type: 'thinking', thinking: 't', signature: 's' });
    expect(Object.getPrototypeOf(block)).toBe(Object.prototype);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});

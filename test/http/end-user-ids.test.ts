/**
 * Claude Code's `metadata.user_id` on its way to an OpenAI-compatible upstream: it becomes `user`,
 * which such servers cap (OpenRouter at 128 characters, OpenAI's `safety_identifier` at 64), while
 * Claude Code's runs past 150. Sent whole, every Claude Code request to such a deployment was
 * refused.
 */
import { describe, expect, it } from 'vitest';
import { useTwoTier } from '../support/two-tier';

const t = useTwoTier();

const claudeCode = (userId: string) =>
  fetch(`${t.h.url}/v1/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'anthropic-version': '2023-06-01' },
    body: JSON.stringify({ model: 'mini', max_tokens: 100, metadata: { user_id: userId }, messages: [{ role: 'user', content: 'hi' }] }),
  });

describe("Claude Code's user id, translated", () => {
  it('goes as itself up to 64 characters, and as a stable digest of at most 64 past them', async () => {
    const long = `user_${'a1'.repeat(32)}_account_3f1e2d4c-5b6a-4978-8a9b-0c1d2e3f4a5b_session_9e8d7c6b-5a49-4382-9100-aabbccddeeff`;
    const other = long.replace('session_9e', 'session_1e');
    for (const id of ['user_short', long, long, other]) expect((await claudeCode(id)).status).toBe(200);
    const sent = t.openai.requests.map((r) => (r.body as { user?: string }).user as string);
    expect(sent[0]).toBe('user_short');
    expect(sent[1]!.length).toBeLessThanOrEqual(64);
    expect(sent[2]).toBe(sent[1]);
    expect(sent[3]).not.toBe(sent[1]);
    expect(sent[3]!.length).toBeLessThanOrEqual(64);
  });
});

import { describe, expect, it } from 'vitest';
import { newCompletionId, newToolCallId } from '../../gateway/wire/ids';

describe('made-up ids', () => {
  it('are unique and shaped like OpenAI ids', () => {
    const ids = Array.from({ length: 10_000 }, () => newCompletionId());
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids[0]).toMatch(/^chatcmpl-[A-Za-z0-9_-]{12,}$/);
    expect(newToolCallId()).toMatch(/^call_[A-Za-z0-9_-]{12,}$/);
    expect(newToolCallId()).not.toBe(newToolCallId());
  });
});

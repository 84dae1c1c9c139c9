/**
 * Turns with more parts than a function call takes arguments (a body under the 32 MiB limit can
 * hold 600,000 tool results) go through every translation without a RangeError (a 500), and
 * system messages are gathered in one pass, not copied once per message.
 */
import { describe, expect, it } from 'vitest';
import type { DeploymentConfig } from '../../gateway/config/schema';
import { messagesToChat } from '../../gateway/surfaces/anthropic/codec';
import type { MessagesBody } from '../../gateway/surfaces/anthropic/codec';
import { toMessagesRequest } from '../../gateway/wire/anthropic';
import type { ChatRequest } from '../../gateway/wire/canonical';
import { withOneLeadingSystem, withoutInlineSystem } from '../../gateway/wire/system-reminders';

const N = 600_000;

describe('a turn of 600,000 parts', () => {
  it('is translated from Messages to chat and from chat to Messages', () => {
    const results = Array.from({ length: N }, (_, i) => ({ type: 'tool_result', tool_use_id: `t${i}`, content: 'ok' }));
    const chat = messagesToChat({ model: 'm', max_tokens: 10, messages: [{ role: 'user', content: results }] } as MessagesBody, 'openai');
    expect(chat.messages).toHaveLength(N);
    const deployment = { name: 'd', provider: 'p', model: 'claude-sonnet-4-5' } as DeploymentConfig;
    const back = toMessagesRequest({ model: 'm', messages: chat.messages } as ChatRequest, deployment);
    expect(back.messages).toHaveLength(1);
    expect(back.messages[0]!.content).toHaveLength(N);
  });

  it('of system messages, is put in place in one pass', () => {
    const reminders = Array.from({ length: N }, () => ({ role: 'system', content: 'r' }));
    const body = withoutInlineSystem({ messages: [{ role: 'system', content: 'first' }, { role: 'user', content: 'hi' }, ...reminders] });
    expect(body.messages).toHaveLength(1);
    expect((body.messages[0] as unknown as { content: unknown[] }).content).toHaveLength(N + 1);
    const chat = withOneLeadingSystem([{ role: 'user', content: [{ type: 'text', text: 'hi' }] }, ...(reminders as ChatRequest['messages'])]);
    expect(chat).toHaveLength(1);
    expect((chat[0]!.content as unknown[]).length).toBe(2);
  });
});

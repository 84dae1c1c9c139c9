/**
 * A tool result marked failed (`is_error`), as Claude Code sends a command that exited non-zero and
 * the AI SDK's Anthropic provider a tool that threw: every model must be told it failed. Anthropic
 * reads the flag; a translation to chat says so in the result's text; Ollama's own Messages API drops
 * the flag without a word (its `anthropic` package), so the result it is sent says so in its text too.
 */
import Anthropic from '@anthropic-ai/sdk';
import { describe, expect, it } from 'vitest';
import { useMessagesUpstreams } from '../support/messages-upstreams';

const up = useMessagesUpstreams();

const ran = (result: Anthropic.ToolResultBlockParam): Anthropic.MessageParam[] => [
  { role: 'user', content: 'run the tests' },
  { role: 'assistant', content: [{ type: 'tool_use', id: 'toolu_1', name: 'Bash', input: { command: 'npm test' } }] },
  { role: 'user', content: [result] },
];
const shot = { type: 'image' as const, source: { type: 'base64' as const, media_type: 'image/png' as const, data: 'iVBORw0KGgo=' } };
const resultSentToOllama = () => up.ollama.requests.filter((r) => r.path === '/v1/messages').at(-1)?.body.messages[2].content[0];

describe('a failed tool result', () => {
  it('tells a chat model in its text, and Anthropic by its flag', async () => {
    await up.client.messages.create({ model: 'qwen', max_tokens: 100, messages: ran({ type: 'tool_result', tool_use_id: 'toolu_1', content: 'Exit code 1', is_error: true }) });
    expect(up.openai.requests.at(-1)?.body.messages.at(-1)).toEqual({ role: 'tool', tool_call_id: 'toolu_1', content: 'Error: Exit code 1' });
    const sent = ran({ type: 'tool_result', tool_use_id: 'toolu_1', content: 'Exit code 1', is_error: true });
    await up.client.messages.create({ model: 'sonnet', max_tokens: 100, messages: sent });
    expect(up.anthropic.requests.at(-1)?.body.messages).toEqual(sent);
  });

  it("tells Ollama's Messages API, which drops the flag, in its text: a string, blocks, and blocks without text", async () => {
    await up.client.messages.create({ model: 'gemma', max_tokens: 100, messages: ran({ type: 'tool_result', tool_use_id: 'toolu_1', content: 'Exit code 1', is_error: true }) });
    expect(resultSentToOllama()).toEqual({ type: 'tool_result', tool_use_id: 'toolu_1', content: 'Error: Exit code 1', is_error: true });

    const blocks = [shot, { type: 'text' as const, text: '3 failing' }, { type: 'text' as const, text: 'see above' }];
    await up.client.messages.create({ model: 'gemma', max_tokens: 100, messages: ran({ type: 'tool_result', tool_use_id: 'toolu_1', content: blocks, is_error: true }) });
    // Ollama joins the text blocks with nothing between: each but the last ends with a line break.
    expect(resultSentToOllama().content).toEqual([shot, { type: 'text', text: 'Error: 3 failing\n' }, { type: 'text', text: 'see above' }]);

    await up.client.messages.create({ model: 'gemma', max_tokens: 100, messages: ran({ type: 'tool_result', tool_use_id: 'toolu_1', content: [shot], is_error: true }) });
    expect(resultSentToOllama().content).toEqual([{ type: 'text', text: 'Error: ' }, shot]);
  });

  it('goes to Ollama as sent when it did not fail', async () => {
    const sent = ran({ type: 'tool_result', tool_use_id: 'toolu_1', content: 'all passed', is_error: false });
    await up.client.messages.create({ model: 'gemma', max_tokens: 100, messages: sent });
    expect(up.ollama.requests.filter((r) => r.path === '/v1/messages').at(-1)?.body.messages).toEqual(sent);
  });
});

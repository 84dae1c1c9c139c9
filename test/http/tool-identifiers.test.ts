/**
 * Tool names OpenAI-compatible servers refuse: over 64 characters (Claude Code's
 * `mcp__<server>__<tool>` for many MCP servers) or with characters outside `[A-Za-z0-9_-]`. They go
 * to such a server under a short name made from them, the same every turn, and come back under
 * the client's own, whole and streamed, through every front door that translates to chat. And call
 * ids over OpenAI's 40 characters in a history, which go as a digest, a call still paired with its result.
 */
import Anthropic from '@anthropic-ai/sdk';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { FakeServer } from '../support/fake-server';
import { startFakeOpenAI } from '../support/fake-openai';
import { resetBetweenTests, startGateway, stopAll, type Harness } from '../support/harness';

const LONG = 'mcp__plugin_chrome-devtools-mcp_chrome-devtools__get_console_message';
const DOTTED = 'files.read';

let openai: FakeServer;
let h: Harness;
const config = () => ({
  version: 1,
  providers: [{ name: 'cloud', kind: 'openai', baseUrl: `${openai.url}/v1`, apiKey: 'env:TEST_KEY' }],
  deployments: [{ name: 'mini', provider: 'cloud', model: 'gpt-4.1-mini' }],
  routes: [],
});

beforeAll(async () => {
  openai = await startFakeOpenAI();
  h = await startGateway(config());
});
afterAll(() => stopAll(h, openai));
beforeEach(() => resetBetweenTests(h, [openai], config()));

/** The names the upstream was offered, and the names of the calls in the history it was sent, per request. */
const sentNames = () =>
  openai.requests
    .filter((r) => r.path === '/v1/chat/completions')
    .map((r) => ({
      offered: (r.body.tools as { function: { name: string } }[]).map((t) => t.function.name),
      called: (r.body.messages as { tool_calls?: { function: { name: string } }[] }[]).flatMap((m) => (m.tool_calls ?? []).map((c) => c.function.name)),
    }));

describe('tool names an OpenAI-compatible server refuses', () => {
  it("reach it short and come back whole: Claude Code's MCP tool, two turns, whole and streamed", async () => {
    expect(LONG.length).toBe(68);
    const client = new Anthropic({ baseURL: h.url, apiKey: 'k', maxRetries: 0 });
    const tools = [
      { name: LONG, description: 'Read the console', input_schema: { type: 'object' as const, properties: {} } },
      { name: 'Bash', description: 'Run a command', input_schema: { type: 'object' as const, properties: { command: { type: 'string' } } } },
    ];
    for (const stream of [false, true]) {
      const question: Anthropic.MessageParam = { role: 'user', content: 'What does the console say?' };
      const ask = (messages: Anthropic.MessageParam[]) => (stream ? client.messages.stream({ model: 'mini', max_tokens: 500, tools, messages }).finalMessage() : client.messages.create({ model: 'mini', max_tokens: 500, tools, messages }));
      const first = await ask([question]);
      const call = first.content.find((b) => b.type === 'tool_use') as Anthropic.ToolUseBlock;
      expect(call.name).toBe(LONG);
      const second = await ask([question, { role: 'assistant', content: first.content }, { role: 'user', content: [{ type: 'tool_result', tool_use_id: call.id, content: 'no errors' }] }]);
      expect(second.content.find((b) => b.type === 'text')).toMatchObject({ text: 'The tool said: no errors' });
    }
    const sent = sentNames();
    expect(sent).toHaveLength(4);
    const short = sent[0]!.offered[0]!;
    expect(short).toHaveLength(64);
    expect(short).toBe(`${LONG.slice(0, 54)}_${short.slice(-9)}`);
    expect(short.slice(-9)).toMatch(/^[0-9a-f]{9}$/);
    // The same name every turn, in the tools and in the history alike; a name it takes goes as it is.
    for (const { offered, called } of sent) {
      expect(offered).toEqual([short, 'Bash']);
      for (const name of called) expect(name).toBe(short);
    }
  });

  it('reach it in its own character set from a chat client and a Responses client, named in tool_choice too', async () => {
    const chat = await h.openai.chat.completions.create({
      model: 'mini',
      tools: [{ type: 'function', function: { name: DOTTED, parameters: { type: 'object', properties: {} } } }],
      tool_choice: { type: 'function', function: { name: DOTTED } },
      messages: [{ role: 'user', content: 'read it' }],
    });
    expect(chat.choices[0]?.message.tool_calls?.[0]).toMatchObject({ type: 'function', function: { name: DOTTED } });
    const sent = openai.requests.at(-1)!.body;
    expect(sent.tools[0].function.name).toMatch(/^files_read_[0-9a-f]{9}$/);
    expect(sent.tool_choice).toEqual({ type: 'function', function: { name: sent.tools[0].function.name } });

    const response = await h.openai.responses.create({ model: 'mini', input: 'read the console', tools: [{ type: 'function', name: LONG, parameters: { type: 'object', properties: {} }, strict: false }] });
    expect(response.output.find((o) => o.type === 'function_call')).toMatchObject({ name: LONG });
  });

  it('send a history whose call ids run over 40 characters (another vendor made them) with ids OpenAI takes, a call still paired with its result', async () => {
    const id = 'call_0_9f5c1a4e-6b2d-4e8f-a1c3-7d9e2b4f6a80'; // 46 characters, as opencode Zen's and a Portkey's ran
    const messages = [
      { role: 'user' as const, content: 'read it' },
      { role: 'assistant' as const, content: null, tool_calls: [{ id, type: 'function' as const, function: { name: 'read', arguments: '{}' } }] },
      { role: 'tool' as const, tool_call_id: id, content: 'the file' },
    ];
    for (const stream of [false, true]) {
      const tools = [{ type: 'function' as const, function: { name: 'read', parameters: { type: 'object', properties: {} } } }];
      const answer = stream ? await h.openai.chat.completions.stream({ model: 'mini', tools, messages }).finalChatCompletion() : await h.openai.chat.completions.create({ model: 'mini', tools, messages });
      expect(answer.choices[0]?.message.content).toBe('The tool said: the file');
    }
    const sent = openai.requests.at(-1)!.body.messages;
    expect(sent[1].tool_calls[0].id).toHaveLength(40);
    expect(sent[2].tool_call_id).toBe(sent[1].tool_calls[0].id);
  });
});

/**
 * What an Ollama's own Responses API reads: function tools, and messages, function calls, their
 * outputs and reasoning, of text and images. Codex's freeform `apply_patch` (a custom tool) reached
 * it as a function of no parameters, and the next turn, whose history holds the call and its output,
 * was refused ("unknown input item type"): the session stopped at its first patch. Such a request
 * goes to the Ollama's chat API translated (the custom tool a function of one string, its call given
 * back as a custom tool call); one it reads whole still goes as sent, its developer messages as
 * system ones (Ollama's templates know no developer role, and left Codex's instructions out).
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { FakeServer } from '../support/fake-server';
import { startFakeOllama } from '../support/fake-ollama';
import { resetBetweenTests, startGateway, stopAll, type Harness } from '../support/harness';
import { assertMatchesSpec } from '../support/spec';

let ollama: FakeServer, h: Harness;
const config = () => ({
  version: 1,
  providers: [{ name: 'local', kind: 'ollama', baseUrl: ollama.url, apis: ['responses'] }],
  deployments: [{ name: 'qwen', provider: 'local', model: 'qwen3-coder:30b' }],
  routes: [],
});

beforeAll(async () => {
  ollama = await startFakeOllama({ version: '0.13.5', models: ['qwen3-coder:30b'] });
  h = await startGateway(config());
});
afterAll(() => stopAll(h, ollama));
beforeEach(() => resetBetweenTests(h, [ollama], config()));

const applyPatch = { type: 'custom' as const, name: 'apply_patch', description: 'Edit files with a patch', format: { type: 'grammar' as const, syntax: 'lark' as const, definition: 'start: /(.|\\n)+/' } };
const shell = { type: 'function' as const, name: 'shell', description: 'Run a command', parameters: { type: 'object', properties: { command: { type: 'string' } } }, strict: false };
const lastSent = () => ollama.requests.filter((r) => r.method === 'POST').at(-1)!;

describe("Codex's freeform apply_patch on an Ollama that speaks Responses", () => {
  it('is offered as a function of one string through its chat API, and its call comes back as a custom tool call', async () => {
    const response = await h.openai.responses.create({ model: 'qwen', tools: [applyPatch, shell], input: 'fix the typo in README.md' });
    expect(lastSent().path).toBe('/api/chat');
    expect(lastSent().body.tools.map((t: { function: { name: string; parameters: unknown } }) => [t.function.name, Object.keys((t.function.parameters as { properties: object }).properties)])).toEqual([
      ['apply_patch', ['input']],
      ['shell', ['command']],
    ]);
    expect(response.output).toEqual([expect.objectContaining({ type: 'custom_tool_call', name: 'apply_patch', input: expect.any(String) })]);
    assertMatchesSpec('openai', 'Response', response);
  });

  it('goes on after the patch: a history holding its call and output, which its Responses API refuses, is translated', async () => {
    const input = [
      { type: 'message' as const, role: 'user' as const, content: 'fix the typo in README.md' },
      { type: 'custom_tool_call' as const, call_id: 'call_1', name: 'apply_patch', input: '*** Begin Patch\n*** End Patch' },
      { type: 'custom_tool_call_output' as const, call_id: 'call_1', output: 'Done!' },
    ];
    const response = await h.openai.responses.create({ model: 'qwen', tools: [shell], input });
    expect(response.output_text).toBe('The tool said: Done!');
    expect(lastSent().path).toBe('/api/chat');
    expect(lastSent().body.messages.at(-1)).toMatchObject({ role: 'tool', content: 'Done!' });
  });

  it('goes as sent where the request holds only what its Responses API reads', async () => {
    const input = [
      { type: 'message' as const, role: 'user' as const, content: 'list the files' },
      { type: 'function_call' as const, call_id: 'call_1', name: 'shell', arguments: '{"command":"ls"}' },
      { type: 'function_call_output' as const, call_id: 'call_1', output: 'README.md' },
    ];
    const response = await h.openai.responses.create({ model: 'qwen', tools: [shell], input });
    expect(response.output_text).toBe('The tool said: README.md');
    expect(lastSent().path).toBe('/v1/responses');
  });
});

describe("Codex's developer messages on an Ollama that speaks Responses", () => {
  it("reach the model as system messages, which every Ollama's templates render", async () => {
    const permissions = '<permissions instructions>Approval policy is on-request.</permissions instructions>';
    const input = [
      { type: 'message' as const, role: 'developer' as const, content: [{ type: 'input_text' as const, text: permissions }] },
      { type: 'message' as const, role: 'user' as const, content: [{ type: 'input_text' as const, text: 'list the files' }] },
    ];
    await h.openai.responses.create({ model: 'qwen', instructions: 'You are Codex.', tools: [shell], input });
    expect(lastSent().path).toBe('/v1/responses');
    // Ollama's templates know system, user, assistant and tool: a developer message was left out of the prompt.
    expect(lastSent().body.input).toEqual([{ ...input[0], role: 'system' }, input[1]]);
    expect(lastSent().body.instructions).toBe('You are Codex.');
  });
});

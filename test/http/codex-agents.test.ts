/**
 * Codex's multi-agent sessions hand a sub-agent its task as an `agent_message` input item: an
 * envelope in `input_text` ("Message Type: NEW_TASK", the task's name, the sender, "Payload:") and
 * the task in an `encrypted_content` part, plain text when a model other than OpenAI's wrote it
 * (codex-relay#60 captured one). The gateway refused every such request to a local model ("input
 * item type agent_message can only go to a deployment that speaks the Responses API"), so a
 * sub-agent on Ollama never started (Ollama's own Responses API refused it too: ollama#18286). Now a
 * chat model reads it as the user's turn; a task OpenAI's servers encrypted still goes only where it
 * can be read.
 */
import type { Response } from 'openai/resources/responses/responses';
import { afterAll, beforeAll, beforeEach, expect, it } from 'vitest';
import type { FakeServer } from '../support/fake-server';
import { startFakeOllama } from '../support/fake-ollama';
import { startFakeOpenAI } from '../support/fake-openai';
import { resetBetweenTests, startGateway, stopAll, type Harness } from '../support/harness';
import { assertMatchesSpec } from '../support/spec';

let ollama: FakeServer, openai: FakeServer, h: Harness;

const config = () => ({
  version: 1,
  providers: [
    { name: 'local', kind: 'ollama', baseUrl: ollama.url },
    { name: 'openai', kind: 'openai', baseUrl: `${openai.url}/v1`, apiKey: 'env:TEST_KEY', apis: ['chat', 'responses'] },
  ],
  deployments: [
    { name: 'qwen', provider: 'local', model: 'qwen3-coder:30b' },
    { name: 'gpt', provider: 'openai', model: 'gpt-5.6' },
  ],
  routes: [{ name: 'agents', deployments: ['qwen', 'gpt'] }],
});

beforeAll(async () => {
  [ollama, openai] = await Promise.all([startFakeOllama({ version: '0.13.5', models: ['qwen3-coder:30b'] }), startFakeOpenAI()]);
  h = await startGateway(config());
});
afterAll(() => stopAll(h, ollama, openai));
beforeEach(() => resetBetweenTests(h, [ollama, openai], config()));

const ENVELOPE = 'Message Type: NEW_TASK\nTask name: /root/list_files\nSender: /root\nPayload:\n';
const task = (payload: string) => ({
  type: 'agent_message',
  id: 'amsg_01a00b22-b341-7cf1-bb87-5ceffa28054b',
  author: '/root',
  recipient: '/root/list_files',
  content: [
    { type: 'input_text', text: ENVELOPE },
    { type: 'encrypted_content', encrypted_content: payload },
  ],
});
const childRequest = (model: string, payload: string) => ({
  model,
  store: false,
  stream: true,
  instructions: 'You are a Codex sub-agent.',
  input: [{ type: 'message', role: 'developer', content: [{ type: 'input_text', text: 'Sandbox: workspace-write.' }] }, task(payload)],
});
const post = (body: Record<string, unknown>) => fetch(`${h.baseUrl}/responses`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
// A Fernet token as OpenAI's servers make them (version byte 0x80, then time, IV, ciphertext, HMAC).
const CIPHERTEXT = `gAAAAAB${'pQ7xK2mZ9vR4tL8nW3sY6uJ1hF5dG0cB'.repeat(4)}==`;

it('gives a local model a task another agent sent in plain text as the user\'s turn, streamed as Codex asks', async () => {
  const stream = h.openai.responses.stream(childRequest('qwen', 'List the files in the current directory.') as never);
  const response = (await stream.finalResponse()) as Response;
  assertMatchesSpec('openai', 'Response', response);
  expect(response.output_text).toBeTruthy();
  const sent = ollama.requests.find((r) => r.path === '/api/chat')!.body;
  expect(sent.messages.map((m: { role: string }) => m.role)).toEqual(['system', 'user']);
  expect(sent.messages[1].content).toBe(`${ENVELOPE}List the files in the current directory.`);
});

it('sends a task OpenAI encrypted on to the deployment that can read it, as sent, and says so where none can', async () => {
  const res = await post({ ...childRequest('agents', CIPHERTEXT), stream: false });
  expect(res.status).toBe(200);
  expect(ollama.requests.filter((r) => r.path === '/api/chat')).toHaveLength(0);
  expect(openai.requests.at(-1)).toMatchObject({ path: '/v1/responses', body: { input: [expect.anything(), task(CIPHERTEXT)] } });

  const refused = await post({ ...childRequest('qwen', CIPHERTEXT), stream: false });
  expect(refused.status).toBe(400);
  const body = (await refused.json()) as { error: { message: string; param: string } };
  expect(body.error.param).toBe('input[1].content[1]');
  expect(body.error.message).toMatch(/encrypted for OpenAI's servers/);
});

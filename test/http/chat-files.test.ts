/**
 * Files in a chat request (the OpenAI SDK's `file` part: a PDF or a text file sent whole) on routes
 * whose deployments speak other APIs: Anthropic reads them as documents (a PDF as itself, a text file
 * as its text), the Responses API as `input_file`; Ollama reads none, so the route moves on past it.
 * A Responses client's `input_file` sent whole is such a part too. The gateway failed the whole
 * request at the first deployment that could not read the part (a 400 "not supported by Ollama
 * deployments"), though a later one could, and refused a Responses client's file on any translation.
 * An Ollama's own Responses API refuses any file, and skips an image by file_id without a word: such
 * a request goes translated there, so it moves on past it too.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { FakeServer } from '../support/fake-server';
import { startFakeAnthropic } from '../support/fake-anthropic';
import { startFakeOllama } from '../support/fake-ollama';
import { startFakeOpenAI } from '../support/fake-openai';
import { resetBetweenTests, startGateway, stopAll, type Harness } from '../support/harness';
import { assertMatchesSpec } from '../support/spec';

let ollama: FakeServer, newOllama: FakeServer, anthropic: FakeServer, relay: FakeServer, h: Harness;
const config = () => ({
  version: 1,
  providers: [
    { name: 'local', kind: 'ollama', baseUrl: ollama.url },
    { name: 'claude', kind: 'anthropic', baseUrl: anthropic.url, apiKey: 'env:TEST_KEY' },
    { name: 'relay', kind: 'openai', baseUrl: `${relay.url}/v1`, apiKey: 'env:TEST_KEY', apis: ['responses'] },
    { name: 'local-new', kind: 'ollama', baseUrl: newOllama.url, apis: ['responses'] },
  ],
  deployments: [
    { name: 'llama', provider: 'local', model: 'llama3.2:3b' },
    { name: 'sonnet', provider: 'claude', model: 'claude-sonnet-4-5' },
    { name: 'codex', provider: 'relay', model: 'gpt-5.3-codex' },
    { name: 'gemma', provider: 'local-new', model: 'gemma3:12b' },
  ],
  routes: [
    { name: 'to-claude', deployments: ['llama', 'sonnet'] },
    { name: 'to-codex', deployments: ['llama', 'codex'] },
    { name: 'gemma-to-claude', deployments: ['gemma', 'sonnet'] },
    { name: 'gemma-to-codex', deployments: ['gemma', 'codex'] },
  ],
});

beforeAll(async () => {
  [ollama, newOllama, anthropic, relay] = await Promise.all([startFakeOllama(), startFakeOllama({ version: '0.14.0', models: ['gemma3:12b'] }), startFakeAnthropic(), startFakeOpenAI()]);
  h = await startGateway(config());
});
afterAll(() => stopAll(h, ollama, newOllama, anthropic, relay));
beforeEach(() => resetBetweenTests(h, [ollama, newOllama, anthropic, relay], config()));

const pdf = Buffer.from('%PDF-1.7 quarterly report').toString('base64');
const asking = (file: Record<string, string>) => [{ role: 'user' as const, content: [{ type: 'text' as const, text: 'summarise' }, { type: 'file' as const, file }] }];

describe('a file in a chat request', () => {
  it('reaches Claude as a document, a PDF as itself and a text file as its text, past an Ollama that reads none', async () => {
    const answer = await h.openai.chat.completions.create({ model: 'to-claude', messages: asking({ filename: 'report.pdf', file_data: `data:application/pdf;base64,${pdf}` }) });
    expect(answer.model).toBe('claude-sonnet-4-5');
    expect(ollama.requests.filter((r) => r.path === '/api/chat')).toHaveLength(0);
    expect(anthropic.requests.at(-1)!.body.messages[0].content[1]).toEqual({ type: 'document', source: { type: 'base64', media_type: 'application/pdf', data: pdf }, title: 'report.pdf' });

    await h.openai.chat.completions.create({ model: 'to-claude', messages: asking({ filename: 'notes.md', file_data: Buffer.from('# Notes\nShip on Friday.').toString('base64') }) });
    expect(anthropic.requests.at(-1)!.body.messages[0].content[1]).toEqual({ type: 'document', source: { type: 'text', media_type: 'text/plain', data: '# Notes\nShip on Friday.' }, title: 'notes.md' });
  });

  it('reaches a Responses-only model as input_file', async () => {
    await h.openai.chat.completions.create({ model: 'to-codex', messages: asking({ filename: 'report.pdf', file_data: `data:application/pdf;base64,${pdf}` }) });
    const sent = relay.requests.at(-1)!;
    expect(sent.path).toBe('/v1/responses');
    expect(sent.body.input[0].content[1]).toEqual({ type: 'input_file', file_data: `data:application/pdf;base64,${pdf}`, filename: 'report.pdf' });
    // The part against its own schema: the spec's message schemas overlap for a list of parts (OpenAI takes either).
    assertMatchesSpec('openai', 'InputFileContent', sent.body.input[0].content[1]);
  });

  it("reaches Claude from a Responses client's input_file too", async () => {
    await h.openai.responses.create({ model: 'to-claude', input: [{ role: 'user', content: [{ type: 'input_text', text: 'summarise' }, { type: 'input_file', filename: 'report.pdf', file_data: `data:application/pdf;base64,${pdf}` }] }] });
    expect(anthropic.requests.at(-1)!.body.messages[0].content[1]).toEqual({ type: 'document', source: { type: 'base64', media_type: 'application/pdf', data: pdf }, title: 'report.pdf' });
  });

  it('is refused by name where no deployment of the route reads it', async () => {
    const res = await fetch(`${h.baseUrl}/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ model: 'llama', messages: asking({ filename: 'report.pdf', file_data: `data:application/pdf;base64,${pdf}` }) }) });
    expect(res.status).toBe(400);
    const { error } = (await res.json()) as { error: { message: string; param: string } };
    expect(error.message).toBe('messages[0].content[1] is a "file" part, which Ollama deployments do not read: it can only go to a deployment that does, and no deployment of "llama" does');
    expect(error.param).toBe('messages[0].content[1].type');
  });
});

describe("an Ollama's own Responses API", () => {
  const asked = (part: Record<string, string>) => [{ role: 'user' as const, content: [{ type: 'input_text' as const, text: 'summarise' }, part] }];

  it("is passed over for a Responses client's file, which it refuses, and for an image by file_id, which it would skip without a word", async () => {
    await h.openai.responses.create({ model: 'gemma-to-claude', input: asked({ type: 'input_file', filename: 'notes.md', file_data: `data:text/plain;base64,${Buffer.from('Ship on Friday.').toString('base64')}` }) as never });
    expect(anthropic.requests.at(-1)!.body.messages[0].content[1]).toEqual({ type: 'document', source: { type: 'text', media_type: 'text/plain', data: 'Ship on Friday.' }, title: 'notes.md' });
    await h.openai.responses.create({ model: 'gemma-to-codex', input: asked({ type: 'input_image', file_id: 'file-abc123', detail: 'auto' }) as never });
    expect(relay.requests.at(-1)!.body.input[0].content[1]).toEqual({ type: 'input_image', file_id: 'file-abc123', detail: 'auto' });
    expect(newOllama.requests.filter((r) => r.path === '/v1/responses' || r.path === '/api/chat')).toHaveLength(0);
  });

  it('is passed over for a file an earlier turn sent, which previous_response_id would send it inline', async () => {
    const notes = { type: 'input_file', filename: 'notes.md', file_data: `data:text/plain;base64,${Buffer.from('Ship on Friday.').toString('base64')}` };
    const first = await h.openai.responses.create({ model: 'gemma-to-claude', input: asked(notes) as never });
    const second = await h.openai.responses.create({ model: 'gemma-to-claude', previous_response_id: first.id, input: 'and when is the review?' });
    expect(second.status).toBe('completed');
    expect(anthropic.requests.at(-1)!.body.messages[0].content[1]).toEqual({ type: 'document', source: { type: 'text', media_type: 'text/plain', data: 'Ship on Friday.' }, title: 'notes.md' });
    expect(anthropic.requests.at(-1)!.body.messages.at(-1)).toEqual({ role: 'user', content: [{ type: 'text', text: 'and when is the review?' }] });
    expect(newOllama.requests.filter((r) => r.path === '/v1/responses' || r.path === '/api/chat')).toHaveLength(0);
  });

  it('still takes an image it reads, as sent', async () => {
    const image = { type: 'input_image', image_url: 'data:image/png;base64,iVBORw0KGgo=', detail: 'auto' };
    await h.openai.responses.create({ model: 'gemma-to-claude', input: asked(image) as never });
    expect(newOllama.requests.at(-1)).toMatchObject({ path: '/v1/responses', body: { input: asked(image) } });
  });
});

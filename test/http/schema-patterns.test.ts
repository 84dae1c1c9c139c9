/**
 * Tool schemas whose `pattern` has a lookaround, which OpenAI's validator refuses for the whole
 * request (Claude Code's Artifact tool since 2.1.265, MCP tools validating emails). The fake refuses
 * them as OpenAI does, in its two wordings; the gateway asks again without those patterns, and
 * leaves them out for that model from then on.
 */
import Anthropic from '@anthropic-ai/sdk';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { FakeServer } from '../support/fake-server';
import { startFakeOpenAI } from '../support/fake-openai';
import { resetBetweenTests, startGateway, stopAll, type Harness } from '../support/harness';

let openai: FakeServer, h: Harness;
const config = () => ({
  version: 1,
  providers: [{ name: 'cloud', kind: 'openai', baseUrl: `${openai.url}/v1`, apiKey: 'env:TEST_KEY', apis: ['chat', 'responses'] }],
  deployments: [
    { name: 'mini', provider: 'cloud', model: 'gpt-4.1-mini' },
    { name: 'five', provider: 'cloud', model: 'gpt-5.5' },
  ],
  routes: [],
});

beforeAll(async () => {
  openai = await startFakeOpenAI();
  h = await startGateway(config());
});
afterAll(() => stopAll(h, openai));
beforeEach(() => resetBetweenTests(h, [openai], config()));

const ARTIFACT = '^(?!__.*__$)[^\\p{Cc}\\p{Cf}\\p{Zl}\\p{Zp}"\\\\./[\\]]{1,200}$';
const schema = { type: 'object', properties: { file: { type: 'string', pattern: ARTIFACT }, code: { type: 'string', pattern: '^[A-Z]{3}$' } }, required: ['file'] };
const kept = { type: 'object', properties: { file: { type: 'string' }, code: { type: 'string', pattern: '^[A-Z]{3}$' } }, required: ['file'] };

describe('a lookaround in a tool schema', () => {
  it("reaches OpenAI's chat API without it from Claude Code, and is left out at once from then on", async () => {
    const claude = new Anthropic({ baseURL: h.url, apiKey: 'any', maxRetries: 0 });
    const ask = () => claude.messages.create({ model: 'mini', max_tokens: 100, messages: [{ role: 'user', content: 'hello' }], tools: [{ name: 'Artifact', description: 'Render a file', input_schema: schema as never }] });
    const first = await ask();
    expect(first.content).toEqual([expect.objectContaining({ type: 'tool_use', name: 'Artifact' })]);
    expect(openai.requests.map((r) => r.body.tools[0].function.parameters)).toEqual([schema, kept]);
    await ask();
    expect(openai.requests).toHaveLength(3);
    expect(openai.requests[2]!.body.tools[0].function.parameters).toEqual(kept);
  });

  it("reaches OpenAI's Responses API without it from Codex, passed through", async () => {
    const ask = () => h.openai.responses.create({ model: 'five', input: 'hello', tools: [{ type: 'function', name: 'Artifact', parameters: schema, strict: false }] });
    const answer = await ask();
    expect(answer.output).toEqual([expect.objectContaining({ type: 'function_call', name: 'Artifact' })]);
    expect(openai.requests.map((r) => [r.path, r.body.tools[0].parameters])).toEqual([['/v1/responses', schema], ['/v1/responses', kept]]);
    await ask();
    expect(openai.requests.map((r) => r.body.tools[0].parameters)).toEqual([schema, kept, kept]);
  });
});

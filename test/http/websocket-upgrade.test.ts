/**
 * Codex from 0.142, with its OpenAI provider pointed at the gateway, asks for the Responses API over
 * a WebSocket first (`GET /v1/responses` with `Upgrade: websocket`). The gateway serves it over HTTP:
 * it answers 426, the one status that sends Codex to HTTP at once, and closes the connection.
 */
import { request as httpRequest } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FakeServer } from '../support/fake-server';
import { startFakeOllama } from '../support/fake-ollama';
import { startFakeOpenAI } from '../support/fake-openai';
import { startGateway, stopAll, twoTierConfig, type Harness } from '../support/harness';

let ollama: FakeServer, openai: FakeServer, h: Harness;
beforeAll(async () => {
  [ollama, openai] = await Promise.all([startFakeOllama(), startFakeOpenAI()]);
  h = await startGateway(twoTierConfig({ ollama: ollama.url, openai: openai.url }));
});
afterAll(() => stopAll(h, ollama, openai));

function get(path: string, headers: Record<string, string>): Promise<{ status: number; headers: Record<string, unknown>; body: any }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(`${h.url}${path}`, { headers }, (res) => {
      let text = '';
      res.on('data', (d) => (text += d));
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body: JSON.parse(text) }));
    });
    req.on('upgrade', () => reject(new Error('the gateway switched protocols')));
    req.on('error', reject);
    req.end();
  });
}

const WEBSOCKET = { connection: 'Upgrade', upgrade: 'websocket', 'sec-websocket-version': '13', 'sec-websocket-key': 'dGhlIHNhbXBsZSBub25jZQ==', 'openai-beta': 'responses_websockets=2026-02-06', authorization: 'Bearer sk-any' };

describe('a WebSocket asked of the Responses API', () => {
  it('is answered 426 in OpenAI\'s error shape, and the connection closed', async () => {
    const res = await get('/v1/responses', WEBSOCKET);
    expect(res.status).toBe(426);
    expect(res.headers.connection).toBe('close');
    expect(res.body).toEqual({ error: { message: expect.stringContaining('POST /v1/responses'), type: 'invalid_request_error', param: null, code: 'websocket_not_supported' } });
  });

  it('is a plain 404 without the upgrade, as any unknown endpoint', async () => {
    const res = await get('/v1/responses', {});
    expect(res.status).toBe(404);
    expect(res.body.error).toMatchObject({ code: 'not_found', message: 'There is no endpoint GET /v1/responses' });
    // And the HTTP transport it falls back to answers.
    const answer = await h.openai.responses.create({ model: 'mini', input: 'hello' });
    expect(answer.output_text).toBe('Echo: hello');
  });
});

/**
 * A chat request that asks to be answered in audio (`modalities: ["text", "audio"]`, as OpenAI's
 * audio models take it) was translated for Ollama and Claude as if it had not, and answered in text
 * alone with no word about the audio. It now goes on to a deployment whose API answers in audio (an
 * OpenAI-compatible one, passed through), and is refused by its field where the route has none,
 * as a part a deployment does not read already was.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import OpenAI from 'openai';
import { startFakeAnthropic } from '../support/fake-anthropic';
import { startFakeOllama } from '../support/fake-ollama';
import { sendJson, startFakeServer, type FakeServer } from '../support/fake-server';
import { startGateway, stopAll, type Harness } from '../support/harness';
import { assertMatchesSpec } from '../support/spec';

/** An OpenAI audio model's answer, as its chat API gives it: the speech in `message.audio`, no content. */
function spokenAnswer(model: string) {
  return {
    id: 'chatcmpl-audio1',
    object: 'chat.completion',
    created: 1_790_000_000,
    model,
    choices: [{ index: 0, message: { role: 'assistant', content: null, refusal: null, annotations: [], audio: { id: 'audio_abc123', data: Buffer.from('RIFF....WAVE').toString('base64'), expires_at: 1_790_003_600, transcript: 'Hello there.' } }, logprobs: null, finish_reason: 'stop' }],
    usage: { prompt_tokens: 9, completion_tokens: 31, total_tokens: 40 },
  };
}

let ollama: FakeServer;
let anthropic: FakeServer;
let voice: FakeServer;
let h: Harness;

beforeAll(async () => {
  ollama = await startFakeOllama();
  anthropic = await startFakeAnthropic();
  voice = await startFakeServer((request, res) => {
    const body = request.body as { model: string; stream?: boolean };
    if (!body.stream) return sendJson(res, 200, spokenAnswer(body.model));
    // Streamed as OpenAI's audio models stream: the transcript and the audio data in pieces of `delta.audio`.
    const base = { id: 'chatcmpl-audio2', object: 'chat.completion.chunk', created: 1_790_000_000, model: body.model };
    const deltas = [{ role: 'assistant', content: null, refusal: null }, { audio: { id: 'audio_def456', transcript: 'Hello' } }, { audio: { data: 'UklGRg==' } }, { audio: { transcript: ' there.', expires_at: 1_790_003_600 } }];
    res.writeHead(200, { 'content-type': 'text/event-stream' });
    for (const delta of deltas) res.write(`data: ${JSON.stringify({ ...base, choices: [{ index: 0, delta, logprobs: null, finish_reason: null }] })}\n\n`);
    res.write(`data: ${JSON.stringify({ ...base, choices: [{ index: 0, delta: {}, logprobs: null, finish_reason: 'stop' }] })}\n\n`);
    res.end('data: [DONE]\n\n');
  });
  h = await startGateway({
    version: 1,
    providers: [
      { name: 'local', kind: 'ollama', baseUrl: ollama.url },
      { name: 'claude', kind: 'anthropic', baseUrl: anthropic.url, apiKey: 'env:TEST_KEY' },
      { name: 'oai', kind: 'openai', baseUrl: `${voice.url}/v1`, apiKey: 'env:TEST_KEY' },
    ],
    deployments: [
      { name: 'llama', provider: 'local', model: 'llama3.2:3b' },
      { name: 'sonnet', provider: 'claude', model: 'claude-sonnet-4-5' },
      { name: 'voice', provider: 'oai', model: 'gpt-4o-audio-preview' },
    ],
    routes: [
      { name: 'assistant', deployments: ['llama', 'sonnet', 'voice'] },
      { name: 'offline', deployments: ['llama', 'sonnet'] },
    ],
  });
});

afterAll(() => stopAll(h, ollama, anthropic, voice));

const spoken = { modalities: ['text', 'audio'] as ('text' | 'audio')[], audio: { voice: 'alloy' as const, format: 'wav' as const } };

describe('an answer asked for in audio', () => {
  it('goes past Ollama and Claude to the deployment that speaks, and comes back as it gave it', async () => {
    assertMatchesSpec('openai', 'CreateChatCompletionResponse', spokenAnswer('gpt-4o-audio-preview'));
    const completion = await h.openai.chat.completions.create({ model: 'assistant', ...spoken, messages: [{ role: 'user', content: 'Say hello.' }] });
    expect(completion.choices[0]?.message.audio).toMatchObject({ id: 'audio_abc123', transcript: 'Hello there.' });
    expect(completion.choices[0]?.message.content).toBeNull();
    expect(ollama.requests.filter((r) => r.path === '/api/chat')).toHaveLength(0);
    expect(anthropic.requests).toHaveLength(0);
    expect(voice.requests.at(-1)?.body).toMatchObject({ model: 'gpt-4o-audio-preview', modalities: ['text', 'audio'], audio: { voice: 'alloy', format: 'wav' } });
  });

  it('streams as it came, and its row has a time to first token and the transcript counted as the answer', async () => {
    const since = Date.now();
    const stream = await h.openai.chat.completions.create({ model: 'assistant', ...spoken, stream: true, messages: [{ role: 'user', content: 'Say hello.' }] });
    const transcript: string[] = [];
    for await (const chunk of stream) {
      const audio = (chunk.choices[0]?.delta as { audio?: { transcript?: string } } | undefined)?.audio;
      if (audio?.transcript) transcript.push(audio.transcript);
    }
    expect(transcript.join('')).toBe('Hello there.');
    const streamed = () => [...h.gateway.usage.iterate({ since })].find((r) => r.stream);
    await expect.poll(streamed).toBeDefined();
    // The server gave no counts: the words said are estimated as the answer's tokens, as a text answer's are.
    expect(streamed()).toMatchObject({ deployment: 'voice', status: 200, tokensEstimated: true, ttftMs: expect.any(Number) });
    expect(streamed()?.outputTokens).toBeGreaterThan(0);
  });

  it('is refused by its field, naming the route, where no deployment of it answers in audio', async () => {
    const before = ollama.requests.length + anthropic.requests.length;
    for (const stream of [false, true]) {
      const error = await h.openai.chat.completions.create({ model: 'offline', ...spoken, stream, messages: [{ role: 'user', content: 'Say hello.' }] }).then(() => undefined, (e: unknown) => e);
      expect(error).toBeInstanceOf(OpenAI.BadRequestError);
      expect(error).toMatchObject({ status: 400, param: 'modalities', code: 'needs_native_api' });
      expect((error as Error).message).toContain('modalities asks for an answer in audio, which Anthropic deployments do not give');
      expect((error as Error).message).toContain('no deployment of "offline" does');
    }
    expect(ollama.requests.length + anthropic.requests.length).toBe(before);
  });

  it('leaves a request asking for text alone as it was', async () => {
    const chats = () => ollama.requests.filter((r) => r.path === '/api/chat').length;
    const before = chats();
    const completion = await h.openai.chat.completions.create({ model: 'offline', modalities: ['text'], messages: [{ role: 'user', content: 'Say hello.' }] });
    expect(completion.choices[0]?.message.content).toBeTruthy();
    expect(chats()).toBe(before + 1);
  });
});

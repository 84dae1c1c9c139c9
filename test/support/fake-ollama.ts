/**
 * A fake Ollama speaking the native API of ../shared/specs/ollama-openapi.yaml: `/api/chat` and
 * `/api/generate` (NDJSON streaming by default, `done: true` with counts and durations last),
 * `/api/embed` (and the deprecated `/api/embeddings`), `/api/tags`, `/api/show`, `/api/ps`, `/api/version`, and `{"error": "..."}` bodies.
 */
import type { ServerResponse } from 'node:http';
import { resetAfterFlush, sendJson, startFakeServer, type FailureMode, type FakeServer, type RecordedRequest } from './fake-server';
import { anthropicError, answerMessages } from './messages-wire';
import { fakeLogprob, replyFor, wordsOf } from './replies';
import { pull } from './ollama-pull';
import { answerResponses } from './responses-wire';
import { asOllamaV1Reads } from './ollama-v1';
import { atLeast, DIGEST, NEWER_DIGEST, showFor, summary } from './ollama-models';

export interface FakeOllamaOptions {
  /** Models the fake has "pulled"; others answer 404 as Ollama does. */
  models?: string[];
  chunkDelayMs?: number;
  firstByteDelayMs?: number;
  promptEvalCount?: number;
  /** The version it reports: since 0.13.3 Ollama serves /v1/responses, since 0.14.0 /v1/messages. */
  version?: string;
  /** Models among `models` that it passes to Ollama's cloud: listed with `remote_model` and `remote_host`. */
  cloudModels?: string[];
  /** What `/api/ps` lists at first (default the first model); a request that only loads or unloads a model changes it. */
  loaded?: string[];
  /** Models its registry has for `/api/pull` (default a few common ones); a pull that ends installs the model. */
  pullable?: string[];
  /** Time between the pull's progress lines (default 10 ms). */
  pullStepMs?: number;
  /** Installed models whose registry has a newer version: a pull downloads it, and its digest changes. */
  newer?: string[];
  /** Answer a chat with no turn but system ones by only loading the model (`done_reason: "load"`), as ollama.com does (can1357/oh-my-pi#7465). */
  loadsWithoutUserTurn?: boolean;
}

/** gpt-oss thinks at a level (low, medium, high); other models think on or off. */
const takesLevels = (model: unknown) => /^gpt-oss/.test(String(model));

export async function startFakeOllama(options: FakeOllamaOptions = {}): Promise<FakeServer> {
  // The caller's own array: a test may install a model by pushing to it, as a pull does.
  const models = options.models ?? ['llama3.2:3b', 'nomic-embed-text'];
  const digests = new Map<string, string>();
  const digestOf = (model: string) => digests.get(model) ?? DIGEST;
  const registryDigest = (model: string) => (options.newer?.includes(model) ? NEWER_DIGEST : DIGEST);
  const loaded = new Set(options.loaded ?? models.slice(0, 1));
  const loadOrUnload = (body: Record<string, any>, kind: 'chat' | 'generate') => {
    if (kind === 'chat' ? body.messages?.length : body.prompt) return;
    if (unloads(body)) loaded.delete(body.model);
    else loaded.add(body.model);
  };
  return startFakeServer(async (request, res, mode) => {
    if (options.firstByteDelayMs) await new Promise((r) => setTimeout(r, options.firstByteDelayMs));
    if (mode.kind === 'status') return sendJson(res, mode.status, mode.body ?? { error: `fake ollama error ${mode.status}` }, mode.retryAfter ? { 'retry-after': mode.retryAfter } : {});
    const model = request.body?.model;
    switch (`${request.method} ${request.path}`) {
      case 'GET /api/version':
        return sendJson(res, 200, { version: options.version ?? '0.12.6' });
      case 'GET /api/tags':
        return sendJson(res, 200, { models: models.map((m) => (options.cloudModels?.includes(m) ? { ...summary(m), size: 384, remote_model: m.replace(/[:-]cloud$/, ''), remote_host: 'https://ollama.com:443' } : summary(m, digestOf(m)))) });
      case 'GET /api/ps':
        return sendJson(res, 200, { models: models.filter((m) => loaded.has(m)).map((m) => ({ ...summary(m, digestOf(m)), expires_at: '2026-11-22T10:00:00Z', size_vram: 2_000_000_000, context_length: 4096 })) });
      case 'POST /api/show':
        if (!models.includes(model)) return sendJson(res, 404, { error: `model '${model}' not found` });
        return sendJson(res, 200, showFor(model, digestOf(model), options.version ?? '0.12.6'));
      case 'POST /api/pull':
        return pull(request.body ?? {}, res, {
          registry: options.pullable ?? ['qwen3:8b', 'mistral:7b', 'llama3.2:3b', 'nomic-embed-text'],
          stepMs: options.pullStepMs ?? 10,
          current: (m) => models.includes(m) && digestOf(m) === registryDigest(m),
          installed: (m) => {
            if (!models.includes(m)) models.push(m);
            digests.set(m, registryDigest(m));
          },
        });
      case 'POST /api/chat':
        if (!models.includes(model)) return sendJson(res, 404, { error: `model "${model}" not found, try pulling it first` });
        if (!unloads(request.body) && !showFor(model, DIGEST, options.version ?? '0.12.6').capabilities.includes('completion')) return sendJson(res, 400, { error: `"${model}" does not support chat` });
        loadOrUnload(request.body, 'chat');
        return chat(request, res, mode, options);
      case 'POST /api/generate':
        if (!models.includes(model)) return sendJson(res, 404, { error: `model "${model}" not found, try pulling it first` });
        // Unloading comes first in Ollama's generate; loading runs the model for completion, which an embedding model lacks.
        if (!request.body.prompt && !unloads(request.body) && !showFor(model, DIGEST, options.version ?? '0.12.6').capabilities.includes('completion')) return sendJson(res, 400, { error: `"${model}" does not support generate` });
        loadOrUnload(request.body, 'generate');
        return generate(request, res, options);
      case 'POST /v1/messages':
      case 'POST /v1/responses': {
        // Served only by versions that have them, with the model installed, as Ollama does.
        const since = request.path === '/v1/messages' ? '0.14.0' : '0.13.3';
        if (!atLeast(options.version ?? '0.12.6', since)) {
          res.writeHead(404, { 'content-type': 'text/plain' }).end('404 page not found');
          return;
        }
        if (!models.includes(model)) return sendJson(res, 404, request.path === '/v1/messages' ? anthropicError(404, `model '${model}' not found`) : { error: { message: `model '${model}' not found`, type: 'not_found_error', param: null, code: null } });
        const { refusal, read } = asOllamaV1Reads(request, takesLevels(model), showFor(String(model), DIGEST, options.version ?? '0.12.6').capabilities.includes('thinking'));
        if (refusal) return sendJson(res, 400, refusal);
        return request.path === '/v1/messages' ? answerMessages(request, res, mode, options.chunkDelayMs) : answerResponses(read, res, mode, options.chunkDelayMs);
      }
      case 'POST /api/embed':
        if (!models.includes(model)) return sendJson(res, 404, { error: `model "${model}" not found, try pulling it first` });
        if (unloads(request.body)) loaded.delete(model);
        else loaded.add(model);
        return embed(request, res);
      case 'POST /api/embeddings':
        if (!models.includes(model)) return sendJson(res, 404, { error: `model "${model}" not found, try pulling it first` });
        return legacyEmbedding(request, res);
      default:
        res.writeHead(404, { 'content-type': 'text/plain' }).end('404 page not found');
    }
  });
}

/**
 * A request with no messages (chat) or no prompt (generate) only loads the model, or unloads it with
 * `keep_alive: 0`: Ollama answers one JSON object at once, streamed or not (server/routes.go).
 */
const unloads = (body: Record<string, any>) => body.keep_alive === 0 || body.keep_alive === '0' || body.keep_alive === '0s';

/**
 * Ollama reads a `keep_alive` string with Go's time.ParseDuration (api/types.go): "-1" or "3600" as a
 * string, or "30 minutes", fails the request's binding with a 400, before anything else is looked at.
 */
function keepAliveRefused(body: Record<string, any>, res: ServerResponse): boolean {
  const value = body.keep_alive;
  if (typeof value !== 'string' || value === '0' || /^[-+]?(?:(?:\d+(?:\.\d*)?|\.\d+)(?:ns|us|µs|μs|ms|s|m|h))+$/.test(value)) return false;
  sendJson(res, 400, { error: /^[-+]?[\d.]+$/.test(value) ? `time: missing unit in duration ${JSON.stringify(value)}` : `time: invalid duration ${JSON.stringify(value)}` });
  return true;
}

function loadOnly(body: Record<string, any>, res: ServerResponse, kind: 'chat' | 'generate', systemAlone = false): boolean {
  const empty = kind === 'chat' ? !body.messages?.some((m: { role?: string }) => !systemAlone || m.role !== 'system') : !body.prompt;
  if (!empty) return false;
  const text = kind === 'chat' ? { message: { role: 'assistant', content: '' } } : { response: '' };
  sendJson(res, 200, { model: body.model, created_at: '2026-11-22T08:00:00.000000000Z', ...text, done: true, done_reason: unloads(body) ? 'unload' : 'load' });
  return true;
}

async function chat(request: RecordedRequest, res: ServerResponse, mode: FailureMode, options: FakeOllamaOptions): Promise<void> {
  const body = request.body;
  if (keepAliveRefused(body, res) || loadOnly(body, res, 'chat', options.loadsWithoutUserTurn)) return;
  const thinks = body.think === true || (typeof body.think === 'string' && body.think !== '');
  const refused = thinkRefused(body, options);
  if (refused) return sendJson(res, 400, { error: refused });
  const logprobs = logprobsAsked(body);
  if (typeof logprobs === 'string') return sendJson(res, 400, { error: logprobs });
  const answer = replyFor(body.messages, body.tools, { reasoning: thinks });
  if (mode.kind === 'huge') answer.content = 'x '.repeat(Math.ceil(mode.bytes / 2));
  // Since 0.12.10 each call has an id (`call_` and eight letters and digits), as Ollama gives them.
  const ids = atLeast(options.version ?? '0.12.6', '0.12.10');
  const toolCalls = answer.toolCalls.length > 0 ? answer.toolCalls.map((call) => ({ ...(ids ? { id: `call_${Math.random().toString(36).slice(2, 10).padEnd(8, '0')}` } : {}), function: { name: call.name, arguments: JSON.parse(call.arguments) } })) : undefined;
  const words = wordsOf(answer.content);
  const final = {
    model: body.model,
    created_at: '2026-11-22T08:00:00.000000000Z',
    message: { role: 'assistant', content: '' },
    done: true,
    done_reason: 'stop',
    total_duration: 5_000_000,
    load_duration: 1_000_000,
    prompt_eval_count: options.promptEvalCount ?? 12,
    prompt_eval_duration: 1_500_000,
    eval_count: toolCalls ? 1 : words.length,
    eval_duration: 2_500_000,
  };
  if (mode.kind === 'malformed-json') {
    res.writeHead(200, { 'content-type': body.stream === false ? 'application/json' : 'application/x-ndjson' });
    // In a stream, a good first line and then garbage: the ollama client alone would skip the bad line.
    if (body.stream !== false) {
      res.write(`${JSON.stringify({ model: body.model, created_at: final.created_at, message: { role: 'assistant', content: 'Hi' }, done: false })}\n`);
      await new Promise((r) => setTimeout(r, 50));
    }
    res.end('{"model": "x", "message": {\n');
    return;
  }
  if (body.stream === false) {
    if (mode.kind === 'reset-mid-stream') {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.write('{"model":');
      res.socket?.destroy();
      return;
    }
    return sendJson(res, 200, { ...final, message: { role: 'assistant', content: answer.content, ...(answer.reasoning ? { thinking: answer.reasoning } : {}), ...(toolCalls ? { tool_calls: toolCalls } : {}) }, ...logprobsOf(words, logprobs) });
  }
  const lines: unknown[] = [];
  if (answer.reasoning) lines.push({ model: body.model, created_at: final.created_at, message: { role: 'assistant', content: '', thinking: answer.reasoning }, done: false });
  if (toolCalls) lines.push({ model: body.model, created_at: final.created_at, message: { role: 'assistant', content: '', tool_calls: toolCalls }, done: false });
  for (const word of words) lines.push({ model: body.model, created_at: final.created_at, message: { role: 'assistant', content: word }, done: false, ...logprobsOf([word], logprobs) });
  lines.push(final);
  res.writeHead(200, { 'content-type': 'application/x-ndjson' });
  const limit = mode.kind === 'reset-mid-stream' || mode.kind === 'truncated' || mode.kind === 'stall' ? mode.chunks : lines.length;
  for (let i = 0; i < Math.min(limit, lines.length); i++) {
    if (res.destroyed) return;
    res.write(`${JSON.stringify(lines[i])}\n`);
    if (options.chunkDelayMs) await new Promise((r) => setTimeout(r, options.chunkDelayMs));
  }
  if (mode.kind === 'stall' || mode.kind === 'open-after-end') return;
  if (mode.kind === 'reset-mid-stream') resetAfterFlush(res);
  else res.end();
}

/** As Ollama's chat and generate handlers refuse thinking asked of a model without it, and a level asked of one that thinks on or off. */
function thinkRefused(body: Record<string, any>, options: FakeOllamaOptions): string | undefined {
  const thinks = body.think === true || (typeof body.think === 'string' && body.think !== '');
  if (thinks && !showFor(String(body.model), DIGEST, options.version ?? '0.12.6').capabilities.includes('thinking')) return `"${body.model}" does not support thinking`;
  if (typeof body.think === 'string' && !['low', 'medium', 'high'].includes(body.think)) return 'think must be a boolean or string ("high", "medium", "low")';
  if (typeof body.think === 'string' && !takesLevels(body.model)) return `think value "${body.think}" is not supported for this model`;
  return undefined;
}

// Native generate: an echo, or a fill-in-the-middle marker for a suffix, which only a model with `insert` takes (server/routes.go).
async function generate(request: RecordedRequest, res: ServerResponse, options: FakeOllamaOptions): Promise<void> {
  const body = request.body;
  if (keepAliveRefused(body, res) || loadOnly(body, res, 'generate')) return;
  const [model, tag = 'latest'] = String(body.model).split(':');
  const refused = body.suffix && !showFor(String(body.model), DIGEST, options.version ?? '0.12.6').capabilities.includes('insert') ? `registry.ollama.ai/library/${model}:${tag} does not support insert` : thinkRefused(body, options);
  if (refused) return sendJson(res, 400, { error: refused });
  const logprobs = logprobsAsked(body);
  if (typeof logprobs === 'string') return sendJson(res, 400, { error: logprobs });
  const text = body.suffix ? `[FIM between ${JSON.stringify(body.prompt)} and ${JSON.stringify(body.suffix)}]` : `Echo: ${body.prompt ?? ''}`;
  const created_at = '2026-11-22T08:00:00.000000000Z';
  const words = wordsOf(text);
  const final = {
    model: body.model, created_at, response: '', done: true, done_reason: 'stop', context: [1, 2, 3],
    total_duration: 4_000_000, load_duration: 500_000, prompt_eval_count: options.promptEvalCount ?? 12, prompt_eval_duration: 1_000_000, eval_count: words.length, eval_duration: 2_000_000,
  };
  if (body.stream === false) return sendJson(res, 200, { ...final, response: text, ...logprobsOf(words, logprobs) });
  res.writeHead(200, { 'content-type': 'application/x-ndjson' });
  for (const word of words) res.write(`${JSON.stringify({ model: body.model, created_at, response: word, done: false, ...logprobsOf([word], logprobs) })}\n`);
  res.end(`${JSON.stringify(final)}\n`);
}

/**
 * How many alternatives per token a request asks for (undefined: no log probabilities), or Ollama's
 * refusal: `top_logprobs` is 0 to 20 (server/routes.go).
 */
function logprobsAsked(body: Record<string, any>): number | string | undefined {
  const top = body.top_logprobs ?? 0;
  if (typeof top !== 'number' || top < 0 || top > 20) return 'top_logprobs must be between 0 and 20';
  return body.logprobs === true ? top : undefined;
}

/** A line's (or a whole answer's) `logprobs` for its tokens, as Ollama adds it when asked: alternatives only when some were asked for. */
function logprobsOf(tokens: string[], top: number | string | undefined) {
  if (typeof top !== 'number' || tokens.length === 0) return {};
  return { logprobs: tokens.map((token) => {
    const { alternatives, ...chosen } = fakeLogprob(token, top);
    return top > 0 ? { ...chosen, top_logprobs: alternatives } : chosen;
  }) };
}

/**
 * Embeddings as Ollama's `/api/embed` gives them: an input past the window it runs with (`options.num_ctx`,
 * else an embedding model's 2,048) cut to it, or refused with `truncate: false`; `dimensions` keeps the
 * first ones; each vector scaled to length 1 (server/routes.go's `normalize`).
 */
function embed(request: RecordedRequest, res: ServerResponse): void {
  const body = request.body;
  if (keepAliveRefused(body, res)) return;
  // An empty string is no input: Ollama answers no vectors (it only loads the model).
  const inputs: string[] = Array.isArray(body.input) ? body.input : body.input ? [body.input] : [];
  const window = body.options?.num_ctx ?? 2048;
  const tokens = inputs.map((input) => Math.max(3, String(input).split(/\s+/).length));
  if (body.truncate === false && tokens.some((n) => n > window)) return sendJson(res, 400, { error: 'the input length exceeds the context length' });
  const embeddings = inputs.map((_, i) => unitLength(rawEmbedding(i).slice(0, body.dimensions ?? 4)));
  sendJson(res, 200, { model: body.model, embeddings, total_duration: 1_000_000, load_duration: 100_000, prompt_eval_count: tokens.reduce((sum, n) => sum + Math.min(n, window), 0) });
}

/** The deprecated `/api/embeddings`: one vector as the model made it (not scaled), and none for an empty prompt, which only loads the model. */
function legacyEmbedding(request: RecordedRequest, res: ServerResponse): void {
  if (keepAliveRefused(request.body, res)) return;
  sendJson(res, 200, { embedding: request.body.prompt ? rawEmbedding(0) : [] });
}

const rawEmbedding = (index: number) => [index + 0.5, 0.25, -1, 0.125];

/** A vector scaled to length 1, as Ollama's /api/embed answers it (the square root of its squares summed, as Ollama computes it). */
export function unitLength(vector: number[]): number[] {
  let sum = 0;
  for (const v of vector) sum += v * v;
  const length = Math.sqrt(sum);
  return length > 0 ? vector.map((v) => v / length) : vector;
}

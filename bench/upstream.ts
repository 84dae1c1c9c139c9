/**
 * The benchmark's upstream: the fastest OpenAI-compatible server plain Node can be (canned JSON
 * and a short SSE stream), Ollama's `/api/chat` (whole and NDJSON), Anthropic's `/v1/messages` and OpenAI's
 * `/v1/responses` (canned JSON), run in its own process so it does not share an event loop with
 * the gateway or the load generator.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

const completion = JSON.stringify({
  id: 'chatcmpl-bench',
  object: 'chat.completion',
  created: 1_763_000_000,
  model: 'bench-model',
  choices: [{ index: 0, message: { role: 'assistant', content: 'Hello from the benchmark upstream.', refusal: null }, logprobs: null, finish_reason: 'stop' }],
  usage: { prompt_tokens: 9, completion_tokens: 7, total_tokens: 16 },
});
const ollamaChat = JSON.stringify({
  model: 'bench-model',
  created_at: '2026-11-22T08:00:00.000000Z',
  message: { role: 'assistant', content: 'Hello from the benchmark upstream.' },
  done: true,
  done_reason: 'stop',
  total_duration: 1_000_000,
  load_duration: 10_000,
  prompt_eval_count: 9,
  prompt_eval_duration: 100_000,
  eval_count: 7,
  eval_duration: 500_000,
});
// The same answer as Ollama streams it: the text in lines, then the last line with the counts.
const ollamaStream = [
  { model: 'bench-model', created_at: '2026-11-22T08:00:00.000000Z', message: { role: 'assistant', content: 'Hello from' }, done: false },
  { model: 'bench-model', created_at: '2026-11-22T08:00:00.000000Z', message: { role: 'assistant', content: ' the benchmark upstream.' }, done: false },
  { ...JSON.parse(ollamaChat), message: { role: 'assistant', content: '' } },
]
  .map((line) => `${JSON.stringify(line)}\n`)
  .join('');
const message = JSON.stringify({
  id: 'msg_bench',
  type: 'message',
  role: 'assistant',
  model: 'bench-model',
  content: [{ type: 'text', text: 'Hello from the benchmark upstream.' }],
  stop_reason: 'end_turn',
  stop_sequence: null,
  usage: { input_tokens: 9, output_tokens: 7, cache_read_input_tokens: 0, cache_creation_input_tokens: 0 },
});
const response = JSON.stringify({
  id: 'resp_bench',
  object: 'response',
  created_at: 1_763_000_000,
  status: 'completed',
  error: null,
  incomplete_details: null,
  instructions: null,
  model: 'bench-model',
  output: [{ id: 'msg_bench', type: 'message', role: 'assistant', status: 'completed', content: [{ type: 'output_text', text: 'Hello from the benchmark upstream.', annotations: [] }] }],
  parallel_tool_calls: true,
  tool_choice: 'auto',
  tools: [],
  usage: { input_tokens: 9, input_tokens_details: { cached_tokens: 0 }, output_tokens: 7, output_tokens_details: { reasoning_tokens: 0 }, total_tokens: 16 },
});
const chunk = (delta: object, finish: string | null) =>
  `data: ${JSON.stringify({ id: 'chatcmpl-bench', object: 'chat.completion.chunk', created: 1_763_000_000, model: 'bench-model', choices: [{ index: 0, delta, logprobs: null, finish_reason: finish }] })}\n\n`;
const stream =
  chunk({ role: 'assistant', content: '' }, null) +
  chunk({ content: 'Hello' }, null) +
  chunk({ content: ' there' }, null) +
  chunk({}, 'stop') +
  `data: ${JSON.stringify({ id: 'chatcmpl-bench', object: 'chat.completion.chunk', created: 1_763_000_000, model: 'bench-model', choices: [], usage: { prompt_tokens: 9, completion_tokens: 2, total_tokens: 11 } })}\n\n` +
  'data: [DONE]\n\n';

/** 30 MiB of stream events, written as fast as the reader takes them. */
async function longStream(res: import('node:http').ServerResponse): Promise<void> {
  res.writeHead(200, { 'content-type': 'text/event-stream' });
  const event = chunk({ content: 'x'.repeat(4000) }, null);
  for (let sent = 0; sent < 30 * 1024 * 1024 && !res.destroyed; sent += event.length) {
    if (!res.write(event)) await new Promise<void>((resolve) => {
      const done = () => (res.off('drain', done), res.off('close', done), resolve());
      res.on('drain', done);
      res.on('close', done);
    });
  }
  res.end(chunk({}, 'stop') + 'data: [DONE]\n\n');
}

/** `fail`: answer every request 500; `hang`: never answer. For the fault scenarios. */
const behaviour = process.argv[2] ?? 'ok';

const server = createServer((req, res) => {
  if (behaviour === 'hang') return;
  if (behaviour === 'fail') {
    req.resume();
    res.writeHead(500, { 'content-type': 'application/json' }).end('{"error":{"message":"bench failure","type":"server_error","param":null,"code":null}}');
    return;
  }
  let body = '';
  req.on('data', (c) => (body += c));
  req.on('end', () => {
    if (body.includes('"bench-nousage"')) {
      // An upstream that reports no usage: the gateway estimates the tokens itself.
      const text = completion.replace(/,"usage":\{[^}]*\}/, '');
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
      res.end(text);
    } else if (body.includes('"bench-long"')) {
      void longStream(res);
    } else if (req.url === '/v1/messages') {
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(message) });
      res.end(message);
    } else if (req.url === '/v1/responses') {
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(response) });
      res.end(response);
    } else if (req.url === '/api/chat' && body.includes('"stream":true')) {
      res.writeHead(200, { 'content-type': 'application/x-ndjson' });
      res.end(ollamaStream);
    } else if (req.url === '/api/chat') {
      res.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(ollamaChat) });
      res.end(ollamaChat);
    } else if (body.includes('"stream":true')) {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.end(stream);
    } else {
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(completion) });
      res.end(completion);
    }
  });
});
server.keepAliveTimeout = 60_000;
server.listen(0, '127.0.0.1', () => {
  process.stdout.write(`${JSON.stringify({ port: (server.address() as AddressInfo).port })}\n`);
});
process.on('SIGTERM', () => process.exit(0));

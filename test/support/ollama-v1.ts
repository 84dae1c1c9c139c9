/**
 * What Ollama's own Messages and Responses APIs refuse, and what of a request their model reads, as
 * its source does (its `anthropic` package and `openai/responses.go`): the fake Ollama answers from
 * the request read, and the recorded request stays as the gateway sent it.
 */
import { anthropicError } from './messages-wire';
import type { RecordedRequest } from './fake-server';

type Part = { type?: string; content?: unknown; source?: { type?: string }; image_url?: unknown };

/** The items and content parts its Responses API decodes (its unmarshalResponsesInputItem and unmarshalResponsesContent). */
const RESPONSES_ITEMS = new Set(['message', 'function_call', 'function_call_output', 'reasoning']);
const RESPONSES_PARTS = new Set(['input_text', 'input_image', 'output_text', 'input_file']);

/** `takesLevels`: the model thinks at a level (gpt-oss); `thinks`: it can think at all (its capabilities). */
export function asOllamaV1Reads(request: RecordedRequest, takesLevels: boolean, thinks: boolean): { refusal?: unknown; read: RecordedRequest } {
  const body = request.body ?? {};
  if (request.path === '/v1/messages') {
    // Its Messages API knows the user and assistant roles only.
    if ((body.messages ?? []).some((m: { role?: string }) => m?.role === 'system')) return { refusal: anthropicError(400, 'unknown variant `system`, expected `user` or `assistant`'), read: request };
    // It reads images as base64 only (its resolveImageSource), in a turn or a tool result.
    const blocks: Part[] = (body.messages ?? []).flatMap((m: { content?: unknown }) => (Array.isArray(m?.content) ? m.content : []));
    const images = [...blocks, ...blocks.flatMap((b) => (b?.type === 'tool_result' && Array.isArray(b.content) ? (b.content as Part[]) : []))].filter((b) => b?.type === 'image');
    const unread = images.find((b) => b.source?.type !== 'base64');
    if (unread) return { refusal: anthropicError(400, `invalid image source type: ${unread.source?.type}. Only base64 images are supported.`), read: request };
    // It thinks as `thinking` says, else at `output_config.effort` (xhigh as high; its FromMessagesRequest),
    // and its chat handler refuses a level from a model that thinks on or off, and thinking from one without.
    const effort = String(body.output_config?.effort ?? '').toLowerCase().replace(/^xhigh$/, 'high');
    const think = body.thinking?.type === 'enabled' ? true : body.thinking?.type === 'disabled' ? false : ['low', 'medium', 'high', 'max'].includes(effort) ? effort : undefined;
    if (typeof think === 'string' && !takesLevels) return { refusal: anthropicError(400, `think value "${think}" is not supported for this model`), read: request };
    if (think !== undefined && think !== false && !thinks) return { refusal: anthropicError(400, `"${body.model}" does not support thinking`), read: request };
    return { read: request };
  }
  const failed = (message: string, type = 'invalid_request_error') => ({ refusal: { error: { message, type, param: null, code: null } }, read: request });
  let read = request;
  // Its Responses API refuses any file, and skips an image by file_id without a word (its convertResponsesContent).
  if (Array.isArray(body.input)) {
    const partsOf = (item: { content?: unknown; output?: unknown }): Part[] => (Array.isArray(item?.content) ? item.content : Array.isArray(item?.output) ? item.output : []);
    // It reads four kinds of item and four of content part; any other fails the request as it is decoded.
    for (const [i, item] of (body.input as { type?: string; role?: string; output?: unknown }[]).entries()) {
      const type = item?.type || (item?.role ? 'message' : '');
      if (!type) return failed(`input[${i}]: input item missing required 'type' field`);
      if (!RESPONSES_ITEMS.has(type)) return failed(`input[${i}]: unknown input item type: "${type}"`);
      if (type !== 'message' && type !== 'function_call_output') continue;
      const within = type === 'message' ? 'content' : 'output';
      for (const [j, part] of partsOf(item).entries()) if (!RESPONSES_PARTS.has(String(part?.type))) return failed(`input[${i}]: ${within}[${j}]: unknown content type: ${part?.type}`);
    }
    if (body.input.some((item: { content?: unknown }) => partsOf(item).some((part) => part?.type === 'input_file'))) return failed('file inputs are not currently supported');
    const seen = (part: Part) => part?.type !== 'input_image' || typeof part.image_url === 'string';
    read = { ...request, body: { ...body, input: body.input.map((item: { content?: unknown }) => (Array.isArray(item?.content) ? { ...item, content: (item.content as Part[]).filter(seen) } : item)) } };
  }
  // Its Responses API makes an effort a think level, which only some models take.
  const effort = body.reasoning?.effort;
  if (effort != null && !['low', 'medium', 'high', 'none'].includes(effort)) return failed(`invalid reasoning value: '${effort}' (must be "high", "medium", "low", or "none")`);
  if (['low', 'medium', 'high'].includes(effort) && !takesLevels) return failed(`think value "${effort}" is not supported for this model`, 'api_error');
  return { read };
}

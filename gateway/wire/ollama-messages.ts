/**
 * A Messages request as Ollama's own Messages API reads it (its `anthropic` package): text, base64
 * images, tool calls and results, thinking. Every other block it drops without a word, so documents
 * and search results go as text blocks (document-text.ts), each text block but a turn's (and the
 * system prompt's) last ending with a line break (it joins them with nothing between); a tool
 * result's `is_error` it drops too, so a failed result says so in its text, as a translation's
 * does; an image by URL or file id it refuses
 * with a 400 that ends the request, and MCP servers (`mcp_servers`) it leaves out, so such a request
 * is passed over here (`needs_native_api`), and the route moves on to a deployment that reads it.
 */
import { GatewayError } from '../errors';
import { documentsAsText } from './document-text';

type Block = { type: string; [key: string]: unknown };

/** Who reads what Ollama does not, where the request is not translated. */
const ELSEWHERE = "Anthropic's own API";

/** The request as Ollama reads it; itself where nothing changes (one pass over its blocks, copied only where one changes). */
export function forOllamaMessages<T extends Record<string, unknown>>(body: T): T {
  // Its request has no MCP connector: the servers' tools would be missing without a word.
  if (Array.isArray(body.mcp_servers) && body.mcp_servers.length > 0) {
    throw new GatewayError('needs_native_api', `mcp_servers names MCP servers that Anthropic's API connects to (its MCP connector), which Ollama's Messages API leaves out: a request that uses them can only go to ${ELSEWHERE}`, { param: 'mcp_servers' });
  }
  // Claude Code's system prompt is several blocks, and a leading system message joins them (system-reminders.ts).
  const system = Array.isArray(body.system) ? separated(body.system as Block[]) : body.system;
  const messages = Array.isArray(body.messages) ? readMessages(body.messages as { content?: unknown }[]) : body.messages;
  return system === body.system && messages === body.messages ? body : { ...body, system, messages };
}

/** The messages themselves where no block changes. */
function readMessages(messages: { content?: unknown }[]): { content?: unknown }[] {
  let changed = false;
  const read = messages.map((message, i) => {
    if (!message || !Array.isArray(message.content)) return message;
    const at = `messages[${i}].content`;
    const blocks = message.content as Block[];
    let withResults = blocks;
    blocks.forEach((block, j) => {
      if (block?.type === 'image') readableImage(block, `${at}[${j}]`);
      if (block?.type !== 'tool_result') return;
      let content = block.content;
      if (Array.isArray(content)) {
        (content as Block[]).forEach((part, k) => part?.type === 'image' && readableImage(part, `${at}[${j}].content[${k}]`));
        content = documentsAsText(content as Block[], `${at}[${j}].content`, ELSEWHERE);
      }
      if (block.is_error === true) content = failed(content);
      if (Array.isArray(content)) content = separated(content as Block[]);
      if (content === block.content) return;
      if (withResults === blocks) withResults = [...blocks];
      withResults[j] = { ...block, content };
    });
    const content = separated(documentsAsText(withResults, at, ELSEWHERE) as Block[]);
    if (content === blocks) return message;
    changed = true;
    return { ...message, content };
  });
  return changed ? read : messages;
}

/** A failed tool result's content as the translation words it: its text after "Error: ". */
function failed(content: unknown): unknown {
  if (!Array.isArray(content)) return `Error: ${typeof content === 'string' ? content : ''}`;
  const first = (content as Block[]).findIndex((block) => block?.type === 'text' && typeof block.text === 'string');
  if (first < 0) return [{ type: 'text', text: 'Error: ' }, ...content];
  return (content as Block[]).map((block, k) => (k === first ? { ...block, text: `Error: ${block.text as string}` } : block));
}

/**
 * Text blocks as Ollama reads them: it joins a turn's (and a tool result's) with nothing between, so
 * an MCP tool's results ran together ("item oneitem two"). Each but the last ends with a line break,
 * as a translation joins them; the blocks themselves where none needs one.
 */
function separated(blocks: Block[]): Block[] {
  let last = -1;
  blocks.forEach((block, k) => block?.type === 'text' && (last = k));
  const joined = (block: Block, k: number) => block?.type === 'text' && k < last && typeof block.text === 'string' && !block.text.endsWith('\n');
  if (!blocks.some(joined)) return blocks;
  return blocks.map((block, k) => (joined(block, k) ? { ...block, text: `${block.text as string}\n` } : block));
}

/** Ollama decodes an image's base64 itself and fetches nothing: one by URL or file id it refuses. */
function readableImage(block: Block, at: string): void {
  const source = (block.source as { type?: unknown } | undefined)?.type;
  if (source === 'base64') return;
  const by = source === 'url' ? 'URL' : source === 'file' ? 'file_id' : 'a source other than base64';
  throw new GatewayError('needs_native_api', `${at} is an image by ${by}, which Ollama's Messages API does not read (it decodes base64 and fetches nothing): it can only go to a deployment that reads images by ${by}`, { param: at });
}

/**
 * A Messages request as Ollama's own Messages API reads it (its `anthropic` package): text, base64
 * images, tool calls and results, thinking. Every other block it drops without a word, so documents
 * and search results go as text blocks (document-text.ts), each text block but a turn's last ending
 * with a line break (it joins them with nothing between); an image by URL or file id it refuses
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
  if (!Array.isArray(body.messages)) return body;
  let changed = false;
  const messages = (body.messages as { content?: unknown }[]).map((message, i) => {
    if (!message || !Array.isArray(message.content)) return message;
    const at = `messages[${i}].content`;
    const blocks = message.content as Block[];
    let withResults = blocks;
    blocks.forEach((block, j) => {
      if (block?.type === 'image') readableImage(block, `${at}[${j}]`);
      if (block?.type !== 'tool_result' || !Array.isArray(block.content)) return;
      (block.content as Block[]).forEach((part, k) => part?.type === 'image' && readableImage(part, `${at}[${j}].content[${k}]`));
      const content = separated(documentsAsText(block.content as Block[], `${at}[${j}].content`, ELSEWHERE) as Block[]);
      if (content === block.content) return;
      if (withResults === blocks) withResults = [...blocks];
      withResults[j] = { ...block, content };
    });
    const content = separated(documentsAsText(withResults, at, ELSEWHERE) as Block[]);
    if (content === blocks) return message;
    changed = true;
    return { ...message, content };
  });
  return changed ? { ...body, messages } : body;
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

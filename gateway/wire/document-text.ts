/**
 * Documents and search results in a Messages request as the text they hold, for a model that is not
 * reached through Anthropic's own API (a translation to chat, Ollama's Messages API: ollama-messages.ts).
 * Text goes as text under its title; a document only Anthropic's API reads (a PDF, a file id, a URL)
 * is refused by name, so the route moves on to a deployment that reads it.
 */
import { GatewayError } from '../errors';

type Block = { type: string; [key: string]: unknown };

const DOCUMENTS = new Set(['document', 'search_result']);

/** A text block's text, in Anthropic's words when it is not a string (an object was sent on as "[object Object]"). */
export function textIn(block: Block, at: string): string {
  if (block.text === undefined || block.text === null) return '';
  if (typeof block.text === 'string') return block.text;
  throw new GatewayError('invalid_request', `${at}.text: Input should be a valid string`, { param: `${at}.text` });
}

/**
 * A block's text: a text block's own; a document's or search result's under its title (and source),
 * when it holds text (`source.type` text or content, a search result's content). `readers` names
 * what reads the others, for the refusal.
 */
export function readable(block: Block, at: string, readers = 'a deployment that speaks the Messages API'): string {
  if (block.type === 'text') return textIn(block, at);
  const source = block.source as { type?: string; data?: unknown; content?: unknown } | string | undefined;
  const body = block.type === 'search_result' ? block.content : typeof source === 'object' && source?.type === 'text' ? source.data : typeof source === 'object' && source?.type === 'content' ? source.content : undefined;
  const text = typeof body === 'string' ? body : Array.isArray(body) && body.every((b: Block) => b?.type === 'text') ? body.map((b: Block, k) => textIn(b, `${at}${block.type === 'search_result' ? '' : '.source'}.content[${k}]`)).join('\n') : undefined;
  if (text === undefined) throw new GatewayError('needs_native_api', `${at} is a ${block.type} that is not text (a PDF, a file or a URL): it can only go to ${readers}`, { param: at });
  const title = typeof block.title === 'string' ? block.title : '';
  const from = block.type === 'search_result' && typeof source === 'string' ? source : '';
  const heading = title && from ? `${title} (${from})` : title || from;
  return heading ? `${heading}\n\n${text}` : text;
}

/**
 * Blocks with every document and search result as text (Claude Code's tools and MCP servers return
 * them in tool results; a client attaches them to a turn): left out, the model answered without them.
 */
export function documentsAsText(blocks: string | Block[], at: string, readers?: string): string | Block[] {
  if (typeof blocks === 'string' || !blocks.some((b) => DOCUMENTS.has(b?.type))) return blocks;
  return blocks.map((b, k) => (DOCUMENTS.has(b?.type) ? { type: 'text', text: readable(b, `${at}[${k}]`, readers) } : b));
}

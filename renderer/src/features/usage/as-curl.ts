/** A kept request as a shell command that sends it again to the same front door, as the client sent it (ui/curl.ts). */
import { curlCommand } from '../../ui/curl';

/** Where each front door's usage rows (their `endpoint`) were sent; the playground's have no path of their own. */
const PATHS: Record<string, string> = {
  'chat.completions': '/v1/chat/completions',
  completions: '/v1/completions',
  embeddings: '/v1/embeddings',
  'anthropic.messages': '/v1/messages',
  responses: '/v1/responses',
  'responses.compact': '/v1/responses/compact',
  'ollama.chat': '/api/chat',
  'ollama.generate': '/api/generate',
  'ollama.embed': '/api/embed',
  'ollama.embeddings': '/api/embeddings',
};

/**
 * The command for a row's endpoint, or undefined for one with no path of its own (the playground's).
 * `body` undefined: the request was cut short here, so the command reads the downloaded file.
 */
export function curlOf(origin: string, endpoint: string, body: string | undefined, keyRequired: boolean): string | undefined {
  const path = Object.hasOwn(PATHS, endpoint) ? PATHS[endpoint] : undefined;
  return path ? curlCommand(`${origin}${path}`, body, keyRequired) : undefined;
}

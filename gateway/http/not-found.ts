/**
 * What a 404 for a path says. A tool's base URL is the commonest mistake in its setup: without
 * `/v1` an OpenAI client asks for `/chat/completions`, with it Claude Code asks for
 * `/v1/v1/messages` and an Ollama client for `/v1/api/chat`. Where the path the tool meant is one
 * the gateway serves, the answer names it and what to change.
 */
import type { FastifyInstance, FastifyRequest, HTTPMethods } from 'fastify';

/** `what`: the UI's pages share the root with the APIs, so a GET there may have meant either. */
export function noEndpointMessage(app: FastifyInstance, request: FastifyRequest, what = `endpoint ${request.method}`): string {
  const path = request.url.split('?')[0] ?? '';
  const said = `There is no ${what} ${path}`;
  // A long path is no base URL mistake: it is not looked up.
  if (path.length > 200) return said;
  const method = request.method as HTTPMethods;
  const serves = (url: string) => app.hasRoute({ method, url });
  const under = `/v1${path}`;
  if (!path.startsWith('/v1/') && !path.startsWith('/api/') && serves(under)) {
    return `${said}: the gateway serves ${request.method} ${under}; this tool does not add /v1 itself, so its base URL here ends in /v1`;
  }
  const without = path.replace(/^\/v1(?=\/(v1|api)\/)/, '');
  if (without !== path && serves(without)) {
    return `${said}: the gateway serves ${request.method} ${without}; this tool adds ${without.startsWith('/api/') ? '/api' : '/v1'} itself, so its base URL here has no /v1`;
  }
  return said;
}

/**
 * The conversation a request belongs to, as its client names it, for routes that keep sessions on
 * one deployment, and for what each session cost: `x-switchyard-session` (any client), Claude Code's
 * `x-claude-code-session-id`, opencode's `x-opencode-session`, Codex's `session-id` header (its root
 * session's, which its subagents' requests carry too: one session with what they cost; `session_id`
 * before 2026, and the common `x-session-id`), or the `prompt_cache_key` a Responses or chat body
 * carries (Codex sends its thread's id there). Read from headers and one top-level field: no walk of the body.
 */
import type { FastifyRequest } from 'fastify';

const HEADERS = ['x-switchyard-session', 'x-claude-code-session-id', 'x-opencode-session', 'session-id', 'session_id', 'x-session-id'] as const;
/** Longer ids are cut: the memory's keys stay small whatever a client sends. */
const MAX_CHARS = 200;

export function sessionOf(request: FastifyRequest): string | undefined {
  for (const name of HEADERS) {
    const value = request.headers[name];
    const id = Array.isArray(value) ? value[0] : value;
    if (id) return id.slice(0, MAX_CHARS);
  }
  const key = (request.body as { prompt_cache_key?: unknown } | null | undefined)?.prompt_cache_key;
  return typeof key === 'string' && key !== '' ? key.slice(0, MAX_CHARS) : undefined;
}

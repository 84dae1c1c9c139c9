/**
 * Load requests: a chat without messages or a generate without a prompt has nothing to answer, and
 * only loads the model, or unloads it with `keep_alive: 0` (the `ollama` CLI sends one before its
 * first prompt, and `ollama stop` the other).
 */

export function isLoadOnly(kind: 'chat' | 'generate', body: Record<string, unknown>): boolean {
  return kind === 'chat' ? !Array.isArray(body.messages) || body.messages.length === 0 : !body.prompt;
}

/** A load request with `keep_alive: 0` lets the model go instead. */
export const isUnload = (body: Record<string, unknown>) => body.keep_alive === 0 || body.keep_alive === '0' || body.keep_alive === '0s' || body.keep_alive === '0m';

/** Ollama's answer to a load request, for a deployment that has nothing to load (not an Ollama). */
export function loadAnswer(kind: 'chat' | 'generate', body: Record<string, unknown>): Record<string, unknown> {
  const text = kind === 'chat' ? { message: { role: 'assistant', content: '' } } : { response: '' };
  return { model: body.model, created_at: new Date().toISOString(), ...text, done: true, done_reason: isUnload(body) ? 'unload' : 'load' };
}

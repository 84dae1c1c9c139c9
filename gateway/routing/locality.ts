/** Whether a provider runs on this machine or the LAN: what "local first", "local only" and "free" mean. */

type Provider = { kind: string; baseUrl: string; local?: boolean | undefined };

// Per provider config object (a new config brings new objects): routing, pricing and the health
// report ask on every request or row, and parsing a base URL each time would cost microseconds.
const answers = new WeakMap<Provider, boolean>();

/** An Ollama (on this machine or the LAN), or any server on this machine (LM Studio, vLLM, llama.cpp). */
export function isLocalProvider(provider: Provider): boolean {
  let local = answers.get(provider);
  if (local === undefined) answers.set(provider, (local = decide(provider)));
  return local;
}

function decide(provider: Provider): boolean {
  if (provider.local !== undefined) return provider.local;
  if (provider.kind === 'ollama') return true;
  try {
    const host = new URL(provider.baseUrl).hostname;
    return host === 'localhost' || host === '[::1]' || host === '::1' || /^127\./.test(host);
  } catch {
    return false;
  }
}

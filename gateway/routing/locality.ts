/** Whether a provider runs on this machine or the LAN: what "local first", "local only" and "free" mean. */

/** An Ollama (on this machine or the LAN), or any server on this machine (LM Studio, vLLM, llama.cpp). */
export function isLocalProvider(provider: { kind: string; baseUrl: string; local?: boolean | undefined }): boolean {
  if (provider.local !== undefined) return provider.local;
  if (provider.kind === 'ollama') return true;
  try {
    const host = new URL(provider.baseUrl).hostname;
    return host === 'localhost' || host === '[::1]' || host === '::1' || /^127\./.test(host);
  } catch {
    return false;
  }
}

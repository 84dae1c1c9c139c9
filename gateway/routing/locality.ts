/** Whether a provider runs on this machine or the LAN: what "local first", "local only" and "free" mean. */

type Provider = { kind: string; baseUrl: string; local?: boolean | undefined };

// Per provider config object (a new config brings new objects): routing, pricing and the health
// report ask on every request or row, and parsing a base URL each time would cost microseconds.
const answers = new WeakMap<Provider, boolean>();

/**
 * An Ollama's cloud models (`gpt-oss:120b-cloud`, `glm-4.6:cloud`) run on ollama.com: the local
 * Ollama passes the prompt on. By name here; a cloud model without the tag is known once the
 * Ollama's model list says so (`remote_host`: RoutingState.runsRemotely).
 */
const OLLAMA_CLOUD_TAG = /:(?:[\w.]{0,100}-)?cloud$/i;

/** Whether a deployment runs on this machine or the LAN: its provider does, and its model is no Ollama cloud model. */
export function isLocalDeployment(deployment: { model: string }, provider: Provider | undefined): boolean {
  return provider !== undefined && isLocalProvider(provider) && !(provider.kind === 'ollama' && OLLAMA_CLOUD_TAG.test(deployment.model));
}

/** An Ollama on this machine or the LAN (not ollama.com's), or any server on this machine (LM Studio, vLLM, llama.cpp). */
export function isLocalProvider(provider: Provider): boolean {
  let local = answers.get(provider);
  if (local === undefined) answers.set(provider, (local = decide(provider)));
  return local;
}

function decide(provider: Provider): boolean {
  if (provider.local !== undefined) return provider.local;
  try {
    const host = new URL(provider.baseUrl).hostname.toLowerCase();
    const loopback = host === 'localhost' || host === '[::1]' || /^127\./.test(host);
    // An Ollama anywhere but the internet (ollama.com's API is an Ollama too, and is cloud).
    return loopback || (provider.kind === 'ollama' && isPrivateHost(host));
  } catch {
    return false;
  }
}

/**
 * A host on this machine's network: a private, shared (Tailscale's 100.64/10) or link-local address,
 * an IPv6 unique-local or link-local one, a name without a dot (`gpu-box`), or a name under a suffix
 * no public site has (`.local`, `.lan`, `.internal`, `.home.arpa`, Tailscale's `.ts.net`).
 */
function isPrivateHost(host: string): boolean {
  const v4 = /^(\d{1,3})\.(\d{1,3})\.\d{1,3}\.\d{1,3}$/.exec(host);
  if (v4) {
    const [a, b] = [Number(v4[1]), Number(v4[2])];
    return a === 10 || (a === 172 && b >= 16 && b <= 31) || (a === 192 && b === 168) || (a === 169 && b === 254) || (a === 100 && b >= 64 && b <= 127) || a === 0;
  }
  if (host.startsWith('[')) return /^\[(?:f[cd]|fe[89ab])/.test(host);
  return !host.includes('.') || /\.(?:local|lan|home|internal|intranet|localhost|home\.arpa|ts\.net)$/.test(host);
}

/** Whether a provider runs on this machine or the LAN: what "local first", "local only" and "free" mean. */
import { isLoopbackHost, isPrivateHost } from './hosts';

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
    // An Ollama anywhere but the internet (ollama.com's API is an Ollama too, and is cloud).
    return isLoopbackHost(host) || (provider.kind === 'ollama' && isPrivateHost(host));
  } catch {
    return false;
  }
}

/**
 * A server elsewhere on this machine's network that its config does not mark either way (a GPU box
 * running LM Studio or vLLM, a LiteLLM proxy): it counts as cloud, since it may pass prompts on to
 * one, but its model may load on a first request as a local one's does.
 */
export function isOnLocalNetwork(provider: Provider): boolean {
  if (provider.local !== undefined) return false;
  try {
    const host = new URL(provider.baseUrl).hostname.toLowerCase();
    return !isLoopbackHost(host) && isPrivateHost(host);
  } catch {
    return false;
  }
}

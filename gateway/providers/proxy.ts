/**
 * The HTTP proxy cloud upstreams are reached through, read from the environment as curl, the vendors'
 * SDKs, Claude Code and Codex read it: HTTPS_PROXY for https, HTTP_PROXY for http, NO_PROXY for
 * hosts reached directly (either case). A provider on this machine or its network is always reached
 * directly: a corporate proxy would refuse it, or see its prompts. An https request goes through a
 * CONNECT tunnel, so the proxy never sees its API key.
 */
import { Agent, EnvHttpProxyAgent, type Dispatcher } from 'undici';
import { isLoopbackHost, isPrivateHost } from './hosts';

export interface ProxySettings {
  httpProxy?: string;
  httpsProxy?: string;
  noProxy?: string;
}

/** The proxy settings the environment gives, undefined when it names no proxy (a value that is not a URL names none). */
export function proxySettings(env: Record<string, string | undefined>): ProxySettings | undefined {
  const read = (name: string) => {
    const value = (env[name] ?? env[name.toLowerCase()])?.trim();
    if (!value || !URL.canParse(value)) return undefined;
    return value;
  };
  const settings = { httpProxy: read('HTTP_PROXY'), httpsProxy: read('HTTPS_PROXY') };
  if (!settings.httpProxy && !settings.httpsProxy) return undefined;
  const noProxy = (env.NO_PROXY ?? env.no_proxy)?.trim();
  return { ...settings, ...(noProxy ? { noProxy } : {}) };
}

/** How a provider at `baseUrl` is reached: through the proxy when one is set and the host is on the internet, else directly. */
export function upstreamDispatcher(baseUrl: string, proxy: ProxySettings | undefined, options: Agent.Options): Dispatcher {
  const host = new URL(baseUrl).hostname.toLowerCase();
  if (!proxy || isLoopbackHost(host) || isPrivateHost(host)) return new Agent(options);
  // Empty, not absent: undici would read this process's environment for what the settings leave out.
  // An http request goes to the proxy in absolute form, as curl sends it (proxies often refuse a
  // tunnel to port 80); an https one always goes through a tunnel.
  return new EnvHttpProxyAgent({ ...options, proxyTunnel: false, httpProxy: proxy.httpProxy ?? '', httpsProxy: proxy.httpsProxy ?? '', noProxy: proxy.noProxy ?? '' });
}

/**
 * The system's proxy (the OS settings, or a PAC file), for a desktop app started from the Dock or
 * the Start menu, which gets no shell environment: what Electron resolves for a cloud API's URL,
 * as the proxy variables the gateway reads. Only when the environment names none of its own.
 */

const VARIABLES = ['HTTPS_PROXY', 'HTTP_PROXY', 'https_proxy', 'http_proxy'];

/** Whether the environment already names a proxy (it wins over the system's). */
export function namesProxy(env: Record<string, string | undefined>): boolean {
  return VARIABLES.some((name) => env[name]?.trim());
}

/**
 * The proxy variables for what Electron's `resolveProxy` answered ("PROXY host:port; DIRECT",
 * "HTTPS host:port", "SOCKS5 host:port", "DIRECT"): its first proxy, undefined for none.
 */
export function proxyVariables(resolved: string): Record<string, string> | undefined {
  for (const entry of resolved.split(';').slice(0, 20)) {
    const [kind, hostPort] = entry.trim().split(/\s+/, 2);
    const scheme = { PROXY: 'http', HTTP: 'http', HTTPS: 'https', SOCKS: 'socks5', SOCKS5: 'socks5' }[kind?.toUpperCase() ?? ''];
    if (!scheme || !hostPort || !URL.canParse(`${scheme}://${hostPort}`)) continue;
    const url = `${scheme}://${hostPort}`;
    return { HTTPS_PROXY: url, HTTP_PROXY: url };
  }
  return undefined;
}

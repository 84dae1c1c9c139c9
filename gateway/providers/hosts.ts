/** Where a host is: this machine, its local network, or the internet (by name or address, never by lookup). */

const LOOPBACK_NAMES = new Set(['localhost', '[::1]', '::1']);

/**
 * This machine: `localhost`, an address in 127.0.0.0/8, ::1 (in brackets as a URL has it, or bare as
 * `--host` takes it). An address whole: `127.example.com` is a name anyone can point anywhere.
 */
export function isLoopbackHost(host: string): boolean {
  return LOOPBACK_NAMES.has(host) || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host);
}

/**
 * A host on this machine's network: a private, shared (Tailscale's 100.64/10) or link-local address,
 * an IPv6 unique-local or link-local one, a name without a dot (`gpu-box`), or a name under a suffix
 * no public site has (`.local`, `.lan`, `.internal`, `.home.arpa`, Tailscale's `.ts.net`).
 */
export function isPrivateHost(host: string): boolean {
  const v4 = /^(\d{1,3})\.(\d{1,3})\.\d{1,3}\.\d{1,3}$/.exec(host);
  if (v4) {
    const [a, b] = [Number(v4[1]), Number(v4[2])];
    return a === 10 || (a === 172 && b >= 16 && b <= 31) || (a === 192 && b === 168) || (a === 169 && b === 254) || (a === 100 && b >= 64 && b <= 127) || a === 0;
  }
  if (host.startsWith('[')) return /^\[(?:f[cd]|fe[89ab])/.test(host);
  return !host.includes('.') || /\.(?:local|lan|home|internal|intranet|localhost|home\.arpa|ts\.net)$/.test(host);
}

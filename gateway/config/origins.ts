/**
 * Which web origins may call the model APIs (`settings.allowedOrigins`). A rule is an origin whose
 * host may be `*` (any: only for app schemes such as `chrome-extension://*`, never for a website) or
 * start with `*.` (any subdomain), and whose port may be `*` (any, or none). Matching parses the
 * origin once and compares its parts: time linear in its length, no pattern engine.
 */

interface Origin {
  scheme: string;
  host: string;
  port: string;
}

interface OriginRule {
  scheme: string;
  /** `*` for any host, `.example.com` for any subdomain of it, else the host itself. */
  host: string;
  /** `*` for any port (or none). */
  port: string;
}

/** Browsers send an origin this long at most (a host name is 253 characters). */
const MAX_ORIGIN = 300;
const ORIGIN = /^([a-z][a-z0-9+.-]{0,30}):\/\/(\[[0-9a-f:.]{2,45}\]|[^:/?#[\]\s]{1,253})(?::(\d{1,5}|\*))?$/;
const WEB = new Set(['http', 'https']);

function parse(origin: string): Origin | undefined {
  if (origin.length > MAX_ORIGIN) return undefined;
  const match = ORIGIN.exec(origin.toLowerCase());
  if (!match) return undefined;
  return { scheme: match[1] as string, host: match[2] as string, port: match[3] ?? '' };
}

/** A rule from its text, or why it is not one. */
export function originRule(text: string): OriginRule | { problem: string } {
  const origin = parse(text);
  if (!origin) return { problem: 'is not an origin: scheme://host or scheme://host:port (no path), with * for any host, subdomain or port' };
  const { scheme, host, port } = origin;
  if (host === '*') {
    if (WEB.has(scheme)) return { problem: 'would let every website use your models: name the site (http://localhost:* for web UIs on this machine)' };
    return { scheme, host, port };
  }
  if (host.startsWith('*.') && !host.slice(2).includes('*')) {
    // `*.com` is every website of a top-level domain.
    if (WEB.has(scheme) && !host.slice(2).includes('.')) return { problem: 'would let every website of a top-level domain use your models: name the site' };
    return { scheme, host: host.slice(1), port };
  }
  if (host.includes('*')) return { problem: 'has * inside a host: it may stand for the whole host or its leading subdomains (*.example.com)' };
  return { scheme, host, port };
}

/** What is wrong with each rule of `settings.allowedOrigins` that is not one, in the config check's terms. */
export function originIssues(rules: readonly string[] | undefined): { path: string; message: string }[] {
  return (rules ?? []).flatMap((text, i) => {
    const rule = originRule(text);
    return 'problem' in rule ? [{ path: `settings.allowedOrigins[${i}]`, message: `${JSON.stringify(text)} ${rule.problem}` }] : [];
  });
}

/** True for an origin one of the rules allows; the rules' texts must have passed `originRule`. */
export function originMatcher(rules: readonly string[]): (origin: string) => boolean {
  const compiled = rules.map(originRule).filter((rule): rule is OriginRule => !('problem' in rule));
  if (compiled.length === 0) return () => false;
  return (text) => {
    const origin = parse(text);
    if (!origin || origin.port === '*') return false;
    return compiled.some(
      (rule) =>
        rule.scheme === origin.scheme &&
        (rule.port === '*' || rule.port === origin.port) &&
        (rule.host === '*' ? true : rule.host.startsWith('.') ? origin.host.endsWith(rule.host) : rule.host === origin.host),
    );
  };
}

/** The matcher for the rules the config has now, compiled again only when they change. */
export function currentOriginMatcher(rules: () => readonly string[] | undefined): (origin: string) => boolean {
  let compiledFrom: readonly string[] | undefined;
  let matches: (origin: string) => boolean = () => false;
  return (origin) => {
    const now = rules();
    if (now !== compiledFrom) {
      compiledFrom = now;
      matches = originMatcher(now ?? []);
    }
    return matches(origin);
  };
}

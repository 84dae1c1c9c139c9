/**
 * Where each tool's own settings file points it now: at this gateway (and which route it asks for),
 * at another address (an earlier port: a gateway started with --port 0 or another SWITCHYARD_PORT,
 * so the tool now fails to connect), or elsewhere altogether; and whether the route it asks for is
 * still one here (a route renamed or deleted since leaves it asking for a name every request of it
 * is refused by). Read, never written; a file that does not parse says nothing.
 */
import { parse } from 'jsonc-parser';
import { parse as parseToml } from 'smol-toml';
import { configFile, readText, type Places } from './connect';
import { PROVIDER_ID, WRITABLE_TOOLS, type ToolId } from './editors';
import type { Config } from '../config/schema';
import { unknownModels } from '../routing/aliases';

export interface Connection {
  tool: ToolId;
  /** `here`: this gateway; `other`: Switchyard's settings with another address; `off`: the tool uses something else; `none`: no settings file. */
  state: 'here' | 'other' | 'off' | 'none';
  /** The address it sends requests to, when it names one. */
  url: string | null;
  /** The model (route) it asks for, when it names one. */
  route: string | null;
  /** It points here and asks for a model that is no route, deployment or alias of the config (renamed or deleted since). */
  unknownRoute: boolean;
}

/** What a tool's model is checked against: the gateway's config, when the caller has it. */
type Served = Pick<Config, 'routes' | 'deployments' | 'aliases'>;

/** What `tool`'s settings file (its text, or undefined when there is none) points it at, against this gateway's root URL (and config). */
export function connectionOf(tool: ToolId, text: string | undefined, gatewayUrl: string, served?: Served): Connection {
  if (text === undefined) return { tool, state: 'none', url: null, route: null, unknownRoute: false };
  const found = pointsAt(tool, text);
  if (!found?.url) return { tool, state: 'off', url: null, route: null, unknownRoute: false };
  const here = sameServer(found.url, gatewayUrl);
  const unknownRoute = here && found.route !== null && served !== undefined && unknownModels(served, [found.route]).length > 0;
  return { tool, state: here ? 'here' : 'other', url: found.url, route: found.route, unknownRoute };
}

const TOOL_NAMES: Record<ToolId, string> = { 'claude-code': 'Claude Code', codex: 'Codex CLI', opencode: 'opencode' };

/** One tool's connection in a line, with the command that points it here when it is not. */
export function pointing(c: Connection): string {
  const fix = `"switchyard connect ${c.tool}"`;
  if (c.unknownRoute) return `${TOOL_NAMES[c.tool]}: this gateway, asking for ${c.route}, which is no route, deployment or alias here (renamed or deleted?), so each of its requests is refused: ${fix} points it at a route (--route NAME for another)`;
  const where = c.state === 'here' ? `this gateway${c.route ? `, asking for ${c.route}` : ''}` : c.state === 'other' ? `${c.url}, not this gateway: ${fix} points it here` : c.state === 'off' ? `something else: ${fix} points it here` : `no settings file yet: ${fix} writes one`;
  return `${TOOL_NAMES[c.tool]}: ${where}`;
}

/** The tools whose settings files point at `url` (a port the gateway could not have: their requests go to whatever holds it). */
export function toolsPointedAt(places: Pick<Places, 'home' | 'env'>, url: string): string[] {
  return toolConnections(places, url).filter((c) => c.state === 'here').map((c) => TOOL_NAMES[c.tool]);
}

/** What to tell whoever just changed the config: each tool pointed at `url` that asks for a model `served` has no more. */
export function lostToolLines(places: Pick<Places, 'home' | 'env'>, url: string, served: Served): string[] {
  return toolConnections(places, url, served).filter((c) => c.unknownRoute).map(pointing);
}

/** Every tool Switchyard can connect, read from its settings file where `places` says it is; `served`: the config its model is checked against. */
export function toolConnections(places: Pick<Places, 'home' | 'env'>, gatewayUrl: string, served?: Served): Connection[] {
  return WRITABLE_TOOLS.map((tool) => {
    let text: string | undefined;
    try {
      text = readText(configFile(tool, places))?.text;
    } catch {
      // Not a file, too big, not UTF-8: it points the tool at nothing here.
      return { tool, state: 'off', url: null, route: null, unknownRoute: false };
    }
    return connectionOf(tool, text, gatewayUrl, served);
  });
}

function pointsAt(tool: ToolId, text: string): { url: string | undefined; route: string | null } | undefined {
  const str = (value: unknown) => (typeof value === 'string' && value !== '' ? value : undefined);
  try {
    if (tool === 'codex') {
      const toml = parseToml(text) as { model_provider?: unknown; model?: unknown; model_providers?: Record<string, { base_url?: unknown }> };
      if (toml.model_provider !== PROVIDER_ID) return undefined;
      return { url: str(toml.model_providers?.[PROVIDER_ID]?.base_url), route: str(toml.model) ?? null };
    }
    const json = parse(text, [], { allowTrailingComma: true }) as { env?: Record<string, unknown>; model?: unknown; provider?: Record<string, { options?: { baseURL?: unknown } }> } | undefined;
    if (tool === 'claude-code') return { url: str(json?.env?.ANTHROPIC_BASE_URL), route: str(json?.env?.ANTHROPIC_MODEL) ?? null };
    const model = str(json?.model);
    if (!model?.startsWith(`${PROVIDER_ID}/`)) return undefined;
    return { url: str(json?.provider?.[PROVIDER_ID]?.options?.baseURL), route: model.slice(PROVIDER_ID.length + 1) };
  } catch {
    return undefined;
  }
}

const LOOPBACK = new Set(['localhost', '127.0.0.1', '[::1]']);

/** The same server: scheme, port and host, any loopback name standing for any other (a tool may say localhost). */
function sameServer(url: string, gatewayUrl: string): boolean {
  let a: URL;
  let b: URL;
  try {
    a = new URL(url);
    b = new URL(gatewayUrl);
  } catch {
    return false;
  }
  const host = (u: URL) => (LOOPBACK.has(u.hostname) ? 'loopback' : u.hostname);
  return a.protocol === b.protocol && a.port === b.port && host(a) === host(b);
}

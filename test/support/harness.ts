/**
 * Starts a real gateway (real Fastify on a loopback port, real SQLite in a temp dir) for a test,
 * with the official clients pointed at it. Every test stops what it started.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import OpenAI from 'openai';
import { Ollama } from 'ollama';
import { createGateway, type Gateway, type GatewayOptions } from '../../gateway/server';

export interface Harness {
  gateway: Gateway;
  url: string;
  baseUrl: string;
  port: number;
  dataDir: string;
  /** The official client as a tool would configure it: base URL with /v1, any key, SDK retries off. */
  openai: OpenAI;
  ollama: Ollama;
  /** Calls the admin API with a logged-in session cookie. */
  admin(path: string, init?: RequestInit): Promise<Response>;
  /** The session cookie header, for tests that build their own requests. */
  cookie: string;
  stop(): Promise<void>;
}

export function tempDir(prefix = 'switchyard-test-'): { path: string; remove(): void } {
  const path = mkdtempSync(join(tmpdir(), prefix));
  return { path, remove: () => rmSync(path, { recursive: true, force: true }) };
}

export async function startGateway(config: unknown, options: Partial<GatewayOptions> = {}): Promise<Harness> {
  // A data dir of its own unless the test brings one (which the test then removes).
  const own = options.dataDir === undefined ? tempDir() : undefined;
  const dataDir = options.dataDir ?? (own as { path: string }).path;
  // And a HOME inside the data dir unless the test names one (gone with it): a connect asked of the
  // admin API (a mutation test's) writes a tool's settings file under HOME, never the real user's.
  const home = options.env?.HOME === undefined ? join(dataDir, 'home') : undefined;
  let gateway: Gateway | undefined;
  let started: Awaited<ReturnType<Gateway['start']>>;
  try {
    gateway = await createGateway({
      dataDir,
      port: 0,
      config,
      discoverOllama: false,
      healthChecks: false,
      timeZone: 'UTC',
      ...options,
      env: { TEST_KEY: 'sk-test-secret-1234', ...(home ? { HOME: home } : {}), ...options.env },
    });
    started = await gateway.start();
  } catch (error) {
    // A test that expects the start to fail leaves no data dir behind.
    await gateway?.stop();
    own?.remove();
    throw error;
  }
  const cookie = `switchyard_session_${started.port}=${gateway.sessions.createSession()}`;
  return {
    cookie,
    admin: (path, init = {}) =>
      fetch(`${started.url}${path}`, {
        ...init,
        headers: { cookie, ...(init.body ? { 'content-type': 'application/json' } : {}), ...(init.headers as Record<string, string> | undefined) },
      }),
    gateway,
    url: started.url,
    baseUrl: started.baseUrl,
    port: started.port,
    dataDir,
    openai: new OpenAI({ baseURL: started.baseUrl, apiKey: 'any-key', maxRetries: 0 }),
    ollama: new Ollama({ host: started.url }),
    async stop() {
      await gateway.stop();
      own?.remove();
    },
  };
}

export interface TwoTierUrls {
  ollama: string;
  openai: string;
  /** Provider timeouts, small in tests that hang an upstream. */
  timeouts?: Record<string, number>;
}

/** The shape of the example: a local Ollama first, a cloud OpenAI-compatible second. */
export function twoTierConfig(urls: TwoTierUrls, routeExtras: Record<string, unknown> = {}) {
  return {
    version: 1,
    providers: [
      { name: 'local', kind: 'ollama', baseUrl: urls.ollama, ...(urls.timeouts ? { timeouts: urls.timeouts } : {}) },
      // On loopback here, but a cloud provider in every test's eyes (its costs, "local only").
      { name: 'cloud', kind: 'openai', baseUrl: `${urls.openai}/v1`, apiKey: 'env:TEST_KEY', local: false, ...(urls.timeouts ? { timeouts: urls.timeouts } : {}) },
    ],
    deployments: [
      { name: 'llama', provider: 'local', model: 'llama3.2:3b', type: 'chat', options: { num_ctx: 8192 }, keepAlive: '30m' },
      { name: 'mini', provider: 'cloud', model: 'gpt-4.1-mini', type: 'chat', pricing: { inputPerMTok: 0.4, outputPerMTok: 1.6 } },
      { name: 'local-embed', provider: 'local', model: 'nomic-embed-text', type: 'embedding' },
      { name: 'cloud-embed', provider: 'cloud', model: 'text-embedding-3-small', type: 'embedding' },
    ],
    routes: [
      { name: 'default', deployments: ['llama', 'mini'], ...routeExtras },
      { name: 'cloud-first', deployments: ['mini', 'llama'], ...routeExtras },
      { name: 'embed', deployments: ['local-embed', 'cloud-embed'] },
    ],
  };
}

/**
 * A key moved in two edits of the whole config: the cloud provider removed (with what runs on it),
 * then put back at `baseUrl`, then back where it was. Each import's status, in that order.
 */
type TwoTierShape = { providers: unknown[]; deployments: { provider: string }[]; routes: { deployments: string[] }[] };
export async function cloudRemovedThenMoved(h: Harness, config: TwoTierShape, baseUrl: string): Promise<number[]> {
  const removed = structuredClone(config);
  removed.providers.splice(1, 1);
  removed.deployments = removed.deployments.filter((d) => d.provider !== 'cloud');
  removed.routes = removed.routes.map((r) => ({ ...r, deployments: r.deployments.filter((d) => d !== 'mini' && d !== 'cloud-embed') }));
  const moved = structuredClone(config);
  (moved.providers[1] as { baseUrl: string }).baseUrl = baseUrl;
  const statuses: number[] = [];
  for (const step of [removed, moved, config]) statuses.push((await h.admin('/admin/api/config/import', { method: 'POST', body: JSON.stringify({ config: step }) })).status);
  return statuses;
}

/** Between tests sharing one gateway: healthy fakes with no recorded requests, the given config, closed breakers. */
export async function resetBetweenTests(h: Harness, fakes: { reset(): Promise<void> }[], config: unknown): Promise<void> {
  await Promise.all(fakes.map((f) => f.reset()));
  const applied = h.gateway.applyConfig(config, 'test');
  if (!applied.ok) throw new Error(`test config is invalid: ${JSON.stringify(applied.errors)}`);
  for (const d of h.gateway.config().deployments) h.gateway.breakers.reset(d.name);
}

/** Stops a test's gateway and its fake upstreams. */
export async function stopAll(h: Harness | undefined, ...fakes: ({ stop(): Promise<void> } | undefined)[]): Promise<void> {
  await h?.stop();
  await Promise.all(fakes.map((f) => f?.stop()));
}

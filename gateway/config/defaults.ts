/**
 * The config a fresh data dir starts with: the local Ollama (its installed models when it answered),
 * OpenAI, Anthropic and Google's Gemini when their keys are in the environment, and a `default`
 * route with local models first.
 */
import { renamesSaid } from './renames';
import { changedSinceFile, FILE_SOURCES, replacedNotice } from './file-owned';
import type { ConfigStore } from '../store/config-store';
import { isLocalDeployment } from '../providers/locality';
import { isLoopbackHost } from '../providers/hosts';
import type { Config, DeploymentConfig } from './schema';
import { validateConfig } from './validate';

const DEFAULT_OLLAMA_URL = 'http://127.0.0.1:11434';
const GEMINI_URL = 'https://generativelanguage.googleapis.com/v1beta/openai';
/** Pulled by many users and small enough for a laptop: a sensible guess when Ollama is not running. */
const FALLBACK_LOCAL_MODEL = 'llama3.2';

export interface DefaultConfigInput {
  env: Record<string, string | undefined>;
  /** The port this gateway is about to listen on: an OPENAI_BASE_URL on it is a tool's setting, not an upstream. */
  ownPort?: number | undefined;
  /** Models installed in the local Ollama, when it could be asked. */
  installedOllamaModels?: readonly string[];
}

const HAIKU_5_5_PRICING = {
  inputPerMTok: 0.1,
  outputPerMTok: 0.5,
  cacheReadPerMTok: 0.01,
  cacheWritePerMTok: 0.125,
  longContext: { aboveTokens: 100_000, inputPerMTok: 0.5, outputPerMTok: 2.5, cacheReadPerMTok: 0.05, cacheWritePerMTok: 0.625 },
};

/** The most a first-start Ollama deployment raises num_ctx to. */
const DEFAULT_MAX_NUM_CTX = 32_768;

export function defaultConfig({ env, installedOllamaModels, ownPort }: DefaultConfigInput): Config {
  const config: Config = {
    version: 1,
    providers: [{ name: 'ollama', kind: 'ollama', baseUrl: ollamaUrlFromEnv(env) }],
    deployments: [],
    routes: [],
  };
  const installed = (installedOllamaModels ?? []).filter((m) => m.length > 0);
  const chatModels = installed.filter((m) => !looksLikeEmbedding(m));
  const embedModels = installed.filter(looksLikeEmbedding);
  const local: DeploymentConfig[] = (chatModels.length > 0 ? chatModels : [FALLBACK_LOCAL_MODEL]).slice(0, 8).map((model) => ({
    name: model,
    provider: 'ollama',
    model,
    type: 'chat',
    pricing: { inputPerMTok: 0, outputPerMTok: 0 },
    // A long prompt gets a bigger num_ctx than Ollama's default rather than being cut; past 32k
    // tokens (the memory a laptop can give it) it goes to the next deployment.
    numCtx: 'auto',
    maxNumCtx: DEFAULT_MAX_NUM_CTX,
  }));
  const localEmbed: DeploymentConfig[] = embedModels.slice(0, 4).map((model) => ({ name: model, provider: 'ollama', model, type: 'embedding', pricing: { inputPerMTok: 0, outputPerMTok: 0 } }));
  config.deployments.push(...local, ...localEmbed);

  const chatRoute = local.map((d) => d.name);
  const embedRoute = localEmbed.map((d) => d.name);
  if (env.OPENAI_API_KEY && !pointsAtGateway(env.OPENAI_BASE_URL || env.OPENAI_API_BASE, ownPort)) {
    config.providers.push({
      name: 'openai',
      kind: 'openai',
      baseUrl: env.OPENAI_BASE_URL || env.OPENAI_API_BASE || 'https://api.openai.com/v1',
      apiKey: 'env:OPENAI_API_KEY',
    });
    config.deployments.push(
      { name: 'gpt-4.1-mini', provider: 'openai', model: 'gpt-4.1-mini', type: 'chat', pricing: { inputPerMTok: 0.4, outputPerMTok: 1.6, cacheReadPerMTok: 0.1 } },
      { name: 'text-embedding-3-small', provider: 'openai', model: 'text-embedding-3-small', type: 'embedding', pricing: { inputPerMTok: 0.02, outputPerMTok: 0 } },
    );
    chatRoute.push('gpt-4.1-mini');
    embedRoute.push('text-embedding-3-small');
  }
  if (env.ANTHROPIC_API_KEY) {
    // Not ANTHROPIC_BASE_URL: that is where Claude Code users point Claude Code, at this gateway.
    config.providers.push({ name: 'anthropic', kind: 'anthropic', baseUrl: 'https://api.anthropic.com', apiKey: 'env:ANTHROPIC_API_KEY' });
    // The current small Claude: Anthropic's prices per million tokens, five times higher for every
    // token of a request whose prompt passes 100,000 (a price table older than the model lacks them).
    config.deployments.push({ name: 'claude-haiku-5-5', provider: 'anthropic', model: 'claude-haiku-5-5', type: 'chat', pricing: HAIKU_5_5_PRICING });
    chatRoute.push('claude-haiku-5-5');
  }
  if (env.GEMINI_API_KEY) {
    // Google's OpenAI compatibility layer; the price table has Gemini's prices by this URL.
    config.providers.push({ name: 'gemini', kind: 'openai', baseUrl: GEMINI_URL, apiKey: 'env:GEMINI_API_KEY' });
    config.deployments.push({ name: 'gemini-3.5-flash', provider: 'gemini', model: 'gemini-3.5-flash', type: 'chat' });
    chatRoute.push('gemini-3.5-flash');
  }
  config.routes.push({ name: 'default', deployments: chatRoute });
  if (embedRoute.length > 0) config.routes.push({ name: 'embed', deployments: embedRoute });
  return config;
}

/**
 * `OLLAMA_HOST` as the Ollama CLI reads it: `host`, `host:port` or a URL; `0.0.0.0` is a bind
 * address, which a client reaches on loopback. (The `ollama` npm client ignores this variable.)
 */
export function ollamaUrlFromEnv(env: Record<string, string | undefined>): string {
  const raw = (env.OLLAMA_HOST ?? '').trim();
  if (!raw) return DEFAULT_OLLAMA_URL;
  try {
    const url = new URL(raw.includes('://') ? raw : `http://${raw}`);
    if (url.hostname === '0.0.0.0' || url.hostname === '[::]') url.hostname = '127.0.0.1';
    // As the Ollama CLI builds its URL: scheme, host, port and path, never a user or password.
    url.username = '';
    url.password = '';
    if (!url.port && !raw.includes('://')) url.port = '11434';
    return url.toString().replace(/\/$/, '');
  } catch {
    return DEFAULT_OLLAMA_URL;
  }
}

/**
 * Whether a URL is this gateway's own (loopback, its port): the quick start exports OPENAI_BASE_URL
 * for tools, and a gateway started from that shell must not take it, or its key, for OpenAI's.
 */
function pointsAtGateway(url: string | undefined, ownPort: number | undefined): boolean {
  if (!url || !ownPort) return false;
  try {
    const parsed = new URL(url);
    const port = Number(parsed.port || (parsed.protocol === 'https:' ? 443 : 80));
    // 0.0.0.0: a tool given the gateway's wildcard listen address reaches it on loopback.
    return port === ownPort && (isLoopbackHost(parsed.hostname) || parsed.hostname === '0.0.0.0');
  } catch {
    return false;
  }
}

function looksLikeEmbedding(model: string): boolean {
  return /embed|bge-|minilm|e5-|gte-/i.test(model);
}

/**
 * The models a local Ollama has installed, asked once at first start (a short wait: it may not be
 * running). Its cloud models (`remote_host`) are not among them: the default route is local first.
 */
export async function installedOllamaModels(host: string): Promise<string[] | undefined> {
  try {
    const response = await fetch(new URL('/api/tags', host), { signal: AbortSignal.timeout(800), redirect: 'error' });
    const list = (await response.json()) as { models?: { name?: unknown; remote_host?: unknown }[] };
    return Array.isArray(list.models) ? list.models.filter((m) => !m?.remote_host).map((m) => String(m.name)).filter((name) => isLocalDeployment({ model: name }, { kind: 'ollama', baseUrl: host })) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The config a gateway starts with, kept as a revision: one given at start (`serve --config`), else
 * the stored one, else a first-start default built from what this machine has (`discover`: ask the
 * local Ollama which models are installed). `notices` says what the operator should know about it:
 * a first-start route that had to guess its local model works only once that model is there.
 */
export async function startingConfig(configs: ConfigStore, given: { config: Config; file: string } | undefined, env: Record<string, string | undefined>, discover: boolean, ownPort?: number): Promise<{ config: Config; notices: string[] }> {
  const stored = configs.current();
  if (given) {
    const replaced = changedSinceFile(configs);
    // Restarting with the same file is no change: history keeps one revision of it, not one per start.
    if (!configs.save(given.config, FILE_SOURCES.start)) return { config: given.config, notices: [] };
    const renamed = renamesSaid(stored, given.config);
    return { config: given.config, notices: [...(replaced ? [replacedNotice(given.file, replaced)] : []), ...(renamed ? [renamed] : [])] };
  }
  if (stored) return { config: stored, notices: refusedInStored(stored) };
  const host = ollamaUrlFromEnv(env);
  const installed = discover ? await installedOllamaModels(host) : undefined;
  const first = defaultConfig({ env, installedOllamaModels: installed, ownPort });
  configs.save(first, 'first start');
  const notices: string[] = [];
  if (env.OPENAI_API_KEY && pointsAtGateway(env.OPENAI_BASE_URL || env.OPENAI_API_BASE, ownPort)) {
    notices.push(`OPENAI_BASE_URL is this gateway's own address (a setting for tools), so no OpenAI provider was added; add one in the dashboard to fall back to OpenAI`);
  }
  const guessed = first.deployments.some((d) => d.name === FALLBACK_LOCAL_MODEL && !installed?.includes(FALLBACK_LOCAL_MODEL));
  if (!discover || !guessed) return { config: first, notices };
  const why = installed === undefined ? `no Ollama answered at ${host}` : `the Ollama at ${host} has no chat model installed`;
  const cloud = first.routes[0]?.deployments.slice(1) ?? [];
  const meanwhile = cloud.length > 0 ? `until then requests go to ${cloud.join(', then ')}` : 'until then requests fail, as no cloud provider is set up (none of OPENAI_API_KEY, ANTHROPIC_API_KEY and GEMINI_API_KEY was set)';
  return {
    config: first,
    notices: [...notices, `${why}, so the default route guesses the model "${FALLBACK_LOCAL_MODEL}": start Ollama and run "ollama pull ${FALLBACK_LOCAL_MODEL}", or change the route in the dashboard; ${meanwhile}`],
  };
}

/**
 * A config an earlier version stored, which this one's validation refuses (an endpoint's address as
 * a base URL), runs as it is; the operator hears what to mend, as no change to it can be saved until then.
 */
function refusedInStored(stored: Config): string[] {
  const checked = validateConfig(stored);
  if (checked.ok) return [];
  const [first, ...more] = checked.errors;
  const rest = more.length > 0 ? `, and ${more.length} more ("switchyard doctor" lists them)` : '';
  return [`the stored config has what this version refuses (${first?.path}: ${first?.message}${rest}): it runs as it is, but no change to it can be saved until that is mended`];
}

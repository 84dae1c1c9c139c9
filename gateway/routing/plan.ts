/**
 * Which deployments a request may try, in order, and why the others are skipped. The model name is
 * resolved (a route, a deployment, or an alias of either), a route's rules may send the request to
 * another route, the route's strategy orders its deployments, and each is checked before any
 * attempt: enabled, local-only, key, time window, model installed, budget, capability, context
 * window. Pure: the same catalog, state, request and instant always give the same plan.
 */
import type { DeploymentConfig, RouteConfig, Strategy } from '../config/schema';
import { isToolOf } from '../config/tool-names';
import { misfiledEmbedding, numCtxWith } from '../models/facts';
import { GatewayError } from '../errors';
import type { Catalog } from './catalog';
import { resolveModel } from './resolve-model';
import { isLocalDeployment, isLocalProvider } from '../providers/locality';
import { sessionKey } from './sessions';
import type { BudgetVerdict, RoutingState } from './state';
import { isPaid, orderByStrategy } from './strategies';
import { describeInstant } from './time-windows';
import type { RequestTraits } from './traits';

export type ModelType = 'chat' | 'embedding';

export interface PlanRequest {
  /** What the client sent as `model`: a route, a deployment, or an alias of one. */
  model: string;
  type: ModelType;
  /** `x-switchyard-prefer`: a deployment of the route to try first. */
  prefer?: string | undefined;
  now: number;
  /** "Local only": deployments on non-local providers are skipped (the desktop app's pause switch). */
  localOnly?: boolean;
  traits?: RequestTraits | undefined;
  /** The name of the request's client key, for rules and budgets. */
  clientKey?: string | undefined;
  /** The tool that sent it, as its headers name it, for rules and budgets. */
  tool?: string | undefined;
  /** The conversation the request belongs to (its client's session id), for routes that keep sessions. */
  session?: string | undefined;
  random?: () => number;
}

export const SKIP_REASONS = [
  'disabled', 'time_window', 'local_only', 'key_missing', 'model_missing', 'auth_failed', 'quota_exhausted',
  'over_budget', 'context_too_small', 'capability_missing', 'circuit_open', 'probe_in_flight', 'cooling', 'busy',
] as const;

export type SkipReason = (typeof SKIP_REASONS)[number];

export interface Skip {
  deployment: string;
  provider: string;
  reason: SkipReason;
  readonly message: string;
  /** When it becomes usable again (epoch ms), if known. */
  until: number | null;
  /** For context_too_small: the deployment's window, and the request's prompt (estimated) and answer limit, in tokens. */
  window?: number | undefined;
  promptTokens?: number | undefined;
  answerTokens?: number | undefined;
}

/** A context_too_small skip's numbers. */
export interface Sizes {
  window: number;
  prompt: number;
  answer: number;
}

/** One deployment in the order considered: skipped (with why), or to be tried. */
export interface Candidate {
  /** As it will be called: a copy with `options.num_ctx` raised when the request needs more. */
  deployment: DeploymentConfig;
  skip?: Skip | undefined;
  /** It reads the input cut to its window (the client lets an Ollama cut it): tried after those that read it whole. */
  cut?: boolean | undefined;
}

export interface Plan {
  route: RouteConfig;
  /** True when the client named a deployment rather than a route. */
  direct: boolean;
  alias?: string | undefined;
  rule?: string | undefined;
  strategy: Strategy;
  candidates: Candidate[];
  budget?: BudgetVerdict | undefined;
  /** The deployment put first because it answered this session last (a route with `stickySessions`). */
  sticky?: string | undefined;
  /** Paid deployments put last: their budget would be spent if the requests in flight cost what they hold. */
  deferred?: string[] | undefined;
  /** Deployments put after the route's others while their model is not in memory (`coldStart: "fallback"`), to be loaded meanwhile. */
  cold?: string[] | undefined;
  /** Deployments that read the input cut to their window, put after those that read it whole. */
  cut?: string[] | undefined;
}

/** Room kept above the estimate when `num_ctx` is raised: estimates run up to ~20% low. */
const RAISE_MARGIN = 1.25;
/** The least room for its answer a request asking for more gets on a deployment that would cut it. */
const MIN_ANSWER_ROOM = 4096;

export function plan(catalog: Catalog, state: RoutingState, request: PlanRequest): Plan {
  const resolved = resolveModel(catalog, request.model, request.type);
  const traits = request.traits;
  let route = resolved.route;
  let rule: string | undefined;
  if (route.rules && traits) {
    const index = route.rules.findIndex((r) => ruleMatches(r.when, traits, request));
    const chosen = index >= 0 ? route.rules[index] : undefined;
    const target = chosen ? catalog.routes.get(chosen.use) : undefined;
    if (chosen && target) {
      rule = `${route.name}.rules[${index}] -> ${chosen.use}`;
      route = target;
    }
  }

  let members = route.deployments.map((name) => catalog.deployments.get(name) as DeploymentConfig);
  for (const deployment of members) {
    const type = deployment.type ?? 'chat';
    if (type !== request.type) {
      // A deployment's type is set, not discovered: an embedding model added as chat (the form's default) is the usual cause.
      const named = deployment.name === request.model ? `"${request.model}"` : `"${request.model}" (its deployment ${deployment.name})`;
      const hint = request.type === 'embedding' ? `: if ${deployment.model} is an embedding model, set the deployment's type to "embedding"` : '';
      throw new GatewayError('wrong_model_type', `${named} serves ${type} requests, not ${request.type}${hint}`, { param: 'model' });
    }
  }
  const strategy = route.strategy ?? 'ordered';
  if (strategy !== 'ordered') {
    members = orderByStrategy(route, { deployments: members, providerOf: (d) => catalog.providers.get(d.provider)?.config, latencyMs: state.latencyMs, random: request.random ?? Math.random });
  }
  // The session's last deployment goes first; an explicit x-switchyard-prefer still wins over it.
  const kept = route.stickySessions && request.session ? state.sessions?.deploymentOf(sessionKey(route, request.session, request.clientKey)) : undefined;
  const sticky = kept ? members.find((d) => d.name === kept) : undefined;
  if (sticky) members = [sticky, ...members.filter((d) => d !== sticky)];
  // A model not in memory would keep the request waiting while it loads: the others go first (a cold
  // one still answers when none of them can; a route of cold ones alone waits). Before the budget's
  // steer, which outranks it.
  const notLoaded = members.filter((d) => d.coldStart === 'fallback' && state.inMemory?.(d) === false);
  const cold = notLoaded.length < members.length ? notLoaded : [];
  if (cold.length > 0) members = [...members.filter((d) => !cold.includes(d)), ...cold];
  const budget = state.budgets({ route: route.name, clientKey: request.clientKey, tool: request.tool });
  // Before a budget is spent, what is in flight only moves paid deployments back: it may steer, not refuse.
  const deferred = budget?.heldPaid.size ? members.filter((d) => spends(budget.heldPaid, d) && isPaid(d, catalog.providers.get(d.provider)?.config)) : [];
  if (deferred.length > 0) members = [...members.filter((d) => !deferred.includes(d)), ...deferred];
  if (request.prefer !== undefined && request.prefer !== '') {
    const preferred = members.find((d) => d.name === request.prefer);
    if (!preferred) {
      throw new GatewayError('invalid_request', `x-switchyard-prefer names "${request.prefer}", which is not a deployment of "${route.name}" (its deployments: ${route.deployments.join(', ')})`, {
        param: 'x-switchyard-prefer',
      });
    }
    members = [preferred, ...members.filter((d) => d !== preferred)];
  }
  if (budget?.refuse) {
    const { name, resetsAt } = budget.refuse;
    throw new GatewayError('budget_exceeded', `The budget "${name}" is spent; it resets at ${describeInstant(resetsAt, catalog.defaultTimeZone, request.now)} (${new Date(resetsAt).toISOString()})`, {
      retryAfterSeconds: Math.max(1, Math.ceil((resetsAt - request.now) / 1000)),
      details: { budget: name, resets_at: new Date(resetsAt).toISOString() },
    });
  }
  let candidates = members.map((deployment) => candidate(catalog, state, deployment, request, budget));
  const cut = traits?.cutToFit ? candidates.filter((c) => c.cut) : [];
  if (cut.length > 0) candidates = [...candidates.filter((c) => !c.cut), ...cut];
  return {
    route, direct: resolved.direct, alias: resolved.alias, rule, strategy, candidates, budget, sticky: sticky?.name,
    ...(deferred.length > 0 ? { deferred: deferred.map((d) => d.name) } : {}),
    ...(cold.length > 0 ? { cold: cold.map((d) => d.name) } : {}),
    ...(cut.length > 0 ? { cut: cut.map((c) => c.deployment.name) } : {}),
  };
}

/** Whether a budget in `providers` (a provider's, or '*' for every one) counts the deployment's spend. */
function spends(providers: ReadonlySet<string>, deployment: DeploymentConfig): boolean {
  return providers.has('*') || providers.has(deployment.provider);
}

function ruleMatches(when: NonNullable<RouteConfig['rules']>[number]['when'], traits: RequestTraits, request: PlanRequest): boolean {
  if (when.hasImages !== undefined && when.hasImages !== traits.images()) return false;
  if (when.hasTools !== undefined && when.hasTools !== traits.tools) return false;
  if (when.thinking !== undefined && when.thinking !== traits.thinking) return false;
  if (when.clientKey !== undefined && when.clientKey !== request.clientKey) return false;
  if (when.tool !== undefined && !isToolOf(request.tool, when.tool)) return false;
  // A body smaller in bytes than the threshold cannot hold that many tokens (but in images): no estimate needed.
  if (when.minPromptTokens !== undefined && ((traits.bodyBytes < when.minPromptTokens && !traits.images()) || traits.promptTokens() < when.minPromptTokens)) return false;
  return true;
}

/** A candidate skipped for `reason`; the closure that words it is made only here, on the rarer path. */
function skip(deployment: DeploymentConfig, reason: SkipReason, describe: () => string, until: number | null = null, sizes?: Sizes): Candidate {
  return { deployment, skip: lazySkip(deployment, reason, until, describe, sizes) };
}

function candidate(catalog: Catalog, state: RoutingState, deployment: DeploymentConfig, request: PlanRequest, budget: BudgetVerdict | undefined): Candidate {
  if (deployment.enabled === false) return skip(deployment, 'disabled', () => `${deployment.name} is disabled`);
  const adapter = catalog.providers.get(deployment.provider);
  const provider = adapter?.config;
  if (request.localOnly && provider && (!isLocalDeployment(deployment, provider) || state.runsRemotely(deployment))) {
    const where = isLocalProvider(provider) ? `runs on Ollama's cloud (${deployment.model})` : 'is a cloud deployment';
    return skip(deployment, 'local_only', () => `${deployment.name} ${where} and routing is set to local only`);
  }
  if (adapter?.unavailableReason) return skip(deployment, 'key_missing', () => `${deployment.name}: provider ${deployment.provider} cannot be used: ${adapter.unavailableReason}`);
  const window = catalog.windowStateOf(deployment, request.now);
  if (!window.usable) {
    const until = window.until;
    return skip(
      deployment,
      'time_window',
      () =>
        until === null
          ? `${deployment.name} is outside its time windows at all times`
          : `${deployment.name} is inside a time window until ${describeInstant(until, catalog.timeZoneOf(deployment), request.now)} (${new Date(until).toISOString()})`,
      until,
    );
  }
  if (state.modelListed(deployment) === false) {
    return skip(deployment, 'model_missing', () => {
      const meant = state.modelMeant?.(deployment);
      return `${deployment.name}: ${deployment.provider} does not have the model "${deployment.model}" (from its latest model list)${meant ? `; it has "${meant}": the one meant?` : ''}`;
    });
  }
  const spent = budget?.spentFor(deployment.provider);
  if (spent && isPaid(deployment, provider)) {
    return skip(deployment, 'over_budget', () => `${deployment.name} costs money and the budget "${spent.name}" is spent until ${describeInstant(spent.resetsAt, catalog.timeZoneOf(deployment), request.now)} (${new Date(spent.resetsAt).toISOString()})`, spent.resetsAt);
  }
  const traits = request.traits;
  if (!traits) return { deployment };
  const facts = state.facts(deployment);
  const capabilities = facts.capabilities;
  if (capabilities) {
    // An embedding model added as chat (the form's default type), as its provider says: it would refuse the chat.
    if (request.type === 'chat' && misfiledEmbedding(deployment.type, capabilities)) {
      return skip(deployment, 'capability_missing', () => `${deployment.name} (${deployment.model}) is an embedding model: it does not chat. Set the deployment's type to "embedding", and name it in embeddings requests`);
    }
    const missing = traits.tools && !capabilities.includes('tools') ? 'tools' : traits.images() && !capabilities.includes('vision') ? 'vision' : undefined;
    if (missing) return skip(deployment, 'capability_missing', () => `${deployment.name} (${deployment.model}) has no ${missing} capability, and the request uses ${missing === 'vision' ? 'images' : 'tools'}`);
  }
  // An Ollama model known not to think, or not to fill in a gap, is told what it does: it answers without thinking, or
  // the gap as a chat (surfaces/ollama/run.ts), where Ollama would refuse ("does not support thinking", "... insert").
  const tellable = provider?.kind === 'ollama' && capabilities !== undefined && !deployment.capabilities;
  const told = tellable && ((traits.thinking && !capabilities.includes('thinking')) || (traits.fillInMiddle && !capabilities.includes('insert'))) ? { ...deployment, capabilities: [...capabilities] } : deployment;
  // A request asking more than the model writes is sent its limit (output-limit.ts), which its
  // server's models list may be alone to say: it goes with the deployment, so the model is not
  // asked for what it refuses.
  const overLimit = facts.maxOutput !== undefined && traits.maxTokens > facts.maxOutput && deployment.maxOutputTokens === undefined;
  const chosen = overLimit ? { ...told, maxOutputTokens: facts.maxOutput } : told;
  // An Ollama client's own num_ctx: the deployment runs the request with the larger of it and its own.
  const asked = provider?.kind === 'ollama' ? traits.numCtx : undefined;
  const limit = asked !== undefined ? numCtxWith(deployment.options?.num_ctx, asked) : traits.longContext && facts.longWindow !== undefined ? facts.longWindow : facts.window;
  // The answer's room is what the model will be asked for: no more than it writes.
  const output = facts.maxOutput === undefined ? traits.maxTokens : Math.min(traits.maxTokens, facts.maxOutput);
  // Ollama reloads a model for a request with another num_ctx than it runs with, and loses its prompt
  // cache: a model running with a raised window keeps it for every request that fits it.
  const kept = facts.raiseTo !== undefined && facts.loaded !== undefined && facts.loaded > (limit ?? 0) && facts.loaded <= facts.raiseTo ? facts.loaded : undefined;
  const withNumCtx = (numCtx: number): Candidate => ({ deployment: { ...chosen, options: { ...deployment.options, num_ctx: numCtx } } });
  if (limit === undefined || (traits.bodyBytes + output <= limit && !traits.images())) return kept ? withNumCtx(kept) : { deployment: chosen };
  // What one call of the model reads: an embeddings batch's inputs are each read alone.
  const read = traits.readTokens?.() ?? traits.promptTokens();
  const needed = read + output;
  // Another server refuses what an Ollama would cut: the surface cuts it to this window (providers/embedding-cut.ts), by its true count.
  const cutHere = traits.cutToFit && provider?.kind !== 'ollama' ? { ...chosen, contextWindow: limit } : undefined;
  if (needed <= limit) return kept ? withNumCtx(kept) : { deployment: cutHere ?? chosen };
  if (facts.raiseTo !== undefined && needed <= facts.raiseTo) {
    const wanted = needed * RAISE_MARGIN;
    // Raised a power of two at a time, so a growing conversation reloads the model a few times, not every turn.
    return withNumCtx(kept !== undefined && wanted <= kept ? kept : Math.min(facts.raiseTo, 2 ** Math.ceil(Math.log2(wanted))));
  }
  const most = facts.raiseTo ?? limit;
  // Ollama ends an answer at the window's end (done_reason "length") where a cloud API refuses the
  // request. A prompt that fits with room for a useful answer goes there, the answer capped at that
  // room: Claude Code asks for 32,000 tokens out, which a local window rarely has beside its prompt.
  if (provider?.kind === 'ollama') {
    const room = most - Math.ceil(read * RAISE_MARGIN);
    if (room >= Math.min(output, MIN_ANSWER_ROOM)) {
      return { deployment: { ...chosen, maxOutputTokens: room, ...(facts.raiseTo === undefined ? {} : { options: { ...deployment.options, num_ctx: facts.raiseTo } }) } };
    }
    // An input the client lets Ollama cut (embed's `truncate`): read as far as the model's window goes, as Ollama would.
    if (traits.cutToFit) return { deployment: withNumCtx(most).deployment, cut: true };
  }
  if (cutHere) return { deployment: cutHere, cut: true };
  return skip(deployment, 'context_too_small', () => `${deployment.name} reads ${most} tokens and the request needs about ${needed}`, null, { window: most, prompt: read, answer: output });
}

/**
 * A skip whose message is written only if someone reads it (an error, the playground, the usage
 * log). A skipped deployment is on the path of every request while it is skipped, and the zoned
 * time in some messages costs more than the rest of the routing decision.
 */
export function lazySkip(deployment: DeploymentConfig, reason: SkipReason, until: number | null, describe: () => string, sizes?: Sizes): Skip {
  let message: string | undefined;
  return {
    deployment: deployment.name,
    provider: deployment.provider,
    reason,
    until,
    ...(sizes === undefined ? {} : { window: sizes.window, promptTokens: sizes.prompt, answerTokens: sizes.answer }),
    get message() {
      return (message ??= describe());
    },
  };
}

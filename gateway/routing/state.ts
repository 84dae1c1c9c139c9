/**
 * What the router reads beyond the config to decide, each kept up to date by its owner: the health
 * monitor's model lists and model facts, live latency, budgets. Every call is a map lookup or a
 * memo read: this is on the path of every request.
 */
import type { DeploymentConfig, ProviderConfig } from '../config/schema';
import type { Capability } from '../models/facts';
import type { SessionMemory } from './sessions';

export interface DeploymentFacts {
  /** The window the deployment's requests get as configured, in tokens (undefined: not known). */
  window: number | undefined;
  /** How far `num_ctx` may be raised for one request (`numCtx: "auto"`), in tokens. */
  raiseTo: number | undefined;
  /** What the model can do (undefined: not known, so nothing is filtered on it). */
  capabilities: readonly Capability[] | undefined;
  /** The most tokens one answer may have (a request asking for more is sent this), if known. */
  maxOutput: number | undefined;
  /** The window a request that opts into a longer one gets (its provider passes the opt-in on), if larger. */
  longWindow?: number | undefined;
  /** The window an Ollama runs the deployment's model with now, when it has it loaded, in tokens. */
  loaded?: number | undefined;
  /** Which version of the model its server has (an Ollama's manifest digest), when it says. */
  version?: string | undefined;
}

/** What the budgets are told of a request before it is routed: its route, client key and tool. */
export interface BudgetedRequest {
  route: string;
  clientKey: string | undefined;
  /** As its headers name it (http/client-tool.ts). */
  tool?: string | undefined;
}

/** The budgets that apply to one request, and what they allow. */
export interface BudgetVerdict {
  /** Budget names that apply, with what remains of each (USD), for the `x-switchyard-budget` header. */
  applied: { name: string; remainingUsd: number }[];
  /** A `refuse` budget is spent: the request is answered 429 until it resets. */
  refuse?: { name: string; resetsAt: number } | undefined;
  /** Paid deployments of these providers (or all, for '*') are skipped: a `skip-paid` budget is spent (the keys spentFor answers for). */
  skipPaid: ReadonlySet<string>;
  /**
   * Paid deployments of these providers (or all, for '*') are tried last: a budget is not spent,
   * but would be if the requests in flight cost what they hold.
   */
  heldPaid: ReadonlySet<string>;
  /** The spent budget that skips a provider's paid deployments (none: they are not skipped), and when they may be used again (every spent budget over them reset). */
  spentFor(provider: string): { name: string; resetsAt: number } | undefined;
  /**
   * Counts an attempt on `deployment` against the budgets it would be charged to while it is in
   * flight (its prompt at the input price; nothing for a free one). Returns the release, or
   * undefined when nothing was held.
   */
  hold?(deployment: DeploymentConfig, provider: ProviderConfig | undefined, promptTokens: () => number): (() => void) | undefined;
}

export interface RoutingState {
  /** False when the provider's latest model list lacks the deployment's model; undefined when there is no fresh list. */
  modelListed(deployment: DeploymentConfig): boolean | undefined;
  /** Where that list lacks it: the listed model it most likely meant (models/listed.ts). */
  modelMeant?(deployment: DeploymentConfig): string | undefined;
  facts(deployment: DeploymentConfig): DeploymentFacts;
  /** An Ollama deployment whose model its Ollama passes to Ollama's cloud (by its model list). */
  runsRemotely(deployment: DeploymentConfig): boolean;
  /** The deployment's median time to an answer over recent live traffic, once it has enough samples. */
  latencyMs(deployment: string): number | undefined;
  budgets(request: BudgetedRequest): BudgetVerdict | undefined;
  /** A deployment as a request was answered on it (its options as sent): what its model runs with now. */
  ran?(deployment: DeploymentConfig): void;
  /** Whether an Ollama has the deployment's model in memory now; undefined when nothing fresh says (or not an Ollama). */
  inMemory?(deployment: DeploymentConfig): boolean | undefined;
  /** Loads the deployment's model in the background, once at a time (a `coldStart: "fallback"` deployment passed over). */
  warm?(deployment: DeploymentConfig): void;
  /** Which deployment answered each session last, for routes that keep their sessions. */
  sessions?: SessionMemory;
}

/** A state that knows nothing: every deployment is listed, windows and latencies unknown, no budgets. */
export const UNKNOWN_STATE: RoutingState = {
  modelListed: () => undefined,
  facts: () => ({ window: undefined, raiseTo: undefined, capabilities: undefined, maxOutput: undefined }),
  runsRemotely: () => false,
  latencyMs: () => undefined,
  budgets: () => undefined,
};

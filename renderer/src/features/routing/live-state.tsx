/** A deployment's state right now, from the health report: what the router would do with it. */
import type { Health } from '../../api/types';
import { Badge, when } from '../../ui/parts';

/** A deployment's health, and whether its provider installs models (an Ollama) or only lists them. */
export type LiveDeployment = Health['deployments'][number] & { installs: boolean };

/** Each deployment's live state by name, from a health report. */
export function liveStates(health: Health | undefined): Map<string, LiveDeployment> {
  const kinds = new Map((health?.providers ?? []).map((p) => [p.name, p.kind]));
  return new Map((health?.deployments ?? []).map((d) => [d.name, { ...d, installs: kinds.get(d.provider) === 'ollama' }]));
}

/**
 * Whether a local Ollama deployment's model is in memory, as a badge says it; undefined where that
 * says nothing (a cloud model, nothing fresh from the Ollama, a model it does not have at all).
 */
export function memoryState(deployment: LiveDeployment | undefined): 'in memory' | 'not loaded' | undefined {
  if (!deployment?.installs || !deployment.local || deployment.loaded === null || deployment.modelAvailable === false) return undefined;
  return deployment.loaded ? 'in memory' : 'not loaded';
}

export function MemoryBadge({ deployment }: { deployment: LiveDeployment | undefined }) {
  const memory = memoryState(deployment);
  return memory ? <Badge tone="info">{memory}</Badge> : null;
}

export function LiveState({ deployment }: { deployment: LiveDeployment | undefined }) {
  if (!deployment) return null;
  const b = deployment.breaker;
  const badges: [string, 'ok' | 'warn' | 'bad' | 'info'][] = [];
  if (!deployment.enabled) badges.push(['disabled', 'warn']);
  else if (deployment.skippedLocalOnly) badges.push(['skipped: local only', 'warn']);
  else if (b.blockedBy) badges.push([`blocked until ${when(b.openUntil)}: ${b.blockedBy === 'auth' ? 'key refused' : b.blockedBy === 'quota' ? 'quota spent' : 'model missing'}`, 'bad']);
  else if (deployment.status === 'open') badges.push([`open until ${when(b.openUntil)} after ${b.consecutiveFailures} failures`, 'bad']);
  // Its cool-down over, an open breaker waits for a request to try it: only a half-open one is being tried.
  else if (deployment.status === 'probing') badges.push([b.state === 'half-open' ? 'being probed' : 'cooled down: its next request tries it', 'warn']);
  else if (deployment.status === 'cooling') badges.push([`rate limited until ${when(b.coolingUntil)}`, 'warn']);
  else if (deployment.inTimeWindow) badges.push([`time window until ${when(deployment.windowChangesAt)}`, 'warn']);
  // An Ollama without the model is skipped; a cloud provider's list is only a hint (a typo, a retired model), so it is still tried.
  else if (deployment.modelAvailable === false) badges.push([`${deployment.installs ? 'model not installed' : `not in ${deployment.provider}'s model list`}${deployment.modelMeant ? ` (meant ${deployment.modelMeant}?)` : ''}`, deployment.installs ? 'bad' : 'warn']);
  // Added as chat (the form's default type) though its provider says it only embeds: chat requests pass it over (routing/plan.ts).
  else if (deployment.misfiled) badges.push(['an embedding model: set its type to embedding', 'bad']);
  // Its provider's last request or probe failed: still tried in its turn (the breaker decides when to stop), but not shown as fine.
  else if (deployment.status === 'down') badges.push([`down: ${deployment.provider} failed last`, 'bad']);
  else badges.push(['usable', 'ok']);
  if (deployment.overBudget) badges.push(['over budget', 'warn']);
  if (deployment.installs && !deployment.local) badges.push(["on Ollama's cloud", 'info']);
  // A model not in memory makes its next request wait for it to load (seconds, or a minute for a large one).
  const memory = memoryState(deployment);
  if (memory) badges.push([memory, 'info']);
  if (deployment.contextWindow) badges.push([`context ${deployment.contextWindow.toLocaleString('en-US')}${deployment.raiseTo ? ` (up to ${deployment.raiseTo.toLocaleString('en-US')})` : ''}`, 'info']);
  if (deployment.maxOutput) badges.push([`answers up to ${deployment.maxOutput.toLocaleString('en-US')}`, 'info']);
  return (
    <span className="row" style={{ gap: 4, display: 'inline-flex' }} data-testid={`state-${deployment.name}`}>
      {badges.map(([text, tone]) => <Badge key={text} tone={tone}>{text}</Badge>)}
    </span>
  );
}

/**
 * Deployments a config change renamed. A deployment that left and one that came in reaching the
 * same model on the same server are one deployment under a new name, whichever way the change was
 * made (the dashboard's rename, an edited file, an import): what is known of it (its breaker, its
 * latency, the sessions it answers) is the server's and model's, and goes on under the new name.
 * Only a pairing that is certain counts: two that left for one model, or two that came, carry nothing.
 */
import type { Config, DeploymentConfig } from '../config/schema';

/** The model and server a deployment's requests go to (not its provider's name: a provider renamed is the same server). */
export function reachOf(deployment: DeploymentConfig, config: Config): string {
  const provider = config.providers.find((p) => p.name === deployment.provider);
  return JSON.stringify([provider?.kind, provider?.baseUrl, deployment.model]);
}

/** Old name to new, for each deployment the change renamed. */
export function renamedDeployments(before: Config, after: Config): ReadonlyMap<string, string> {
  const kept = new Set(after.deployments.map((d) => d.name));
  const existed = new Set(before.deployments.map((d) => d.name));
  const left = byReach(before.deployments.filter((d) => !kept.has(d.name)), before);
  const came = byReach(after.deployments.filter((d) => !existed.has(d.name)), after);
  const renamed = new Map<string, string>();
  for (const [reach, from] of left) {
    const to = came.get(reach);
    if (from.length === 1 && to?.length === 1) renamed.set(from[0] as string, to[0] as string);
  }
  return renamed;
}

/** What a config change did to deployment names: those it renamed (old to new), and those it replaced. */
export function deploymentChanges(before: Config, after: Config): { renamed: ReadonlyMap<string, string>; replaced: string[] } {
  const renamed = renamedDeployments(before, after);
  return { renamed, replaced: replacedDeployments(before, after, renamed) };
}

/**
 * Deployments whose name now stands for another model or server, or for nothing: gone without a
 * rename, or pointed elsewhere. What was known of them under that name was the old target's.
 */
function replacedDeployments(before: Config, after: Config, renamed: ReadonlyMap<string, string>): string[] {
  const now = new Map(after.deployments.map((d) => [d.name, reachOf(d, after)]));
  return before.deployments.filter((d) => !renamed.has(d.name) && now.get(d.name) !== reachOf(d, before)).map((d) => d.name);
}

function byReach(deployments: readonly DeploymentConfig[], config: Config): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const deployment of deployments) {
    const reach = reachOf(deployment, config);
    const names = out.get(reach);
    if (names) names.push(deployment.name);
    else out.set(reach, [deployment.name]);
  }
  return out;
}

/**
 * Sticky sessions: which deployment last answered each session of a route, so that on a route that
 * keeps its sessions (`stickySessions`) the session's next request tries it first. Every route's
 * are noted, so a route switched to keeping them starts from where each session is. A conversation that fell back
 * to the cloud stays there rather than flipping between models turn by turn (and losing its prompt
 * cache each time), and a weighted or lowest-latency route picks once per session, not per request.
 * Kept in memory, bounded: the least recently used session goes first, and one idle past
 * `idleMs` is forgotten. What changed is handed out to be saved (store/sticky-sessions.ts), so a
 * restart keeps each conversation where it was. A route given another order, strategy or weights
 * starts its sessions afresh: the dashboard promises that traffic follows a new order.
 */
import type { RouteConfig } from '../config/schema';

export interface SessionMemory {
  /** The deployment that last answered this session on this route, if it did within the idle time. */
  deploymentOf(key: SessionKey): string | undefined;
  answered(key: SessionKey, deployment: string): void;
  /** Forgets where a session was answered on a route, so its next request there follows the route's order. */
  forget(key: SessionKey): boolean;
  /** What changed since the last call, to be saved: the sessions answered, and the ids of those forgotten. */
  changed(): { kept: KeptSession[]; forgotten: string[] };
  /** A save of `changed()` failed (another program held the lock): each is saved next time, as it is then. */
  unsaved(changes: { kept: readonly KeptSession[]; forgotten: readonly string[] }): void;
  /** Sessions saved before a restart, oldest first (so the newest are kept when there are too many). */
  restore(sessions: Iterable<KeptSession>): void;
  /**
   * Deployments a config change renamed (old name to new; config/renames.ts): the sessions of a
   * route that changed by those names alone go on, as they were, under the new names.
   */
  renamed(deployments: ReadonlyMap<string, string>, before: readonly RouteConfig[], after: readonly RouteConfig[]): void;
}

/** One session as saved: `id` stands for its key (client key, route, session). */
export interface KeptSession {
  id: string;
  deployment: string;
  at: number;
}

export interface SessionKey {
  /** The route's name with its strategy and order. */
  route: string;
  session: string;
  /** Sessions are kept apart per client key: one key's session id never steers another's requests. */
  clientKey: string | undefined;
}

export function sessionKey(route: RouteConfig, session: string, clientKey: string | undefined): SessionKey {
  return { route: routeKey(route, route.deployments), session, clientKey };
}

/** A route's name, strategy and order (a weighted route's weights are its order), as `deployments` name them. */
function routeKey(route: RouteConfig, deployments: readonly string[]): string {
  const weights = route.strategy === 'weighted' ? `\u0000${route.deployments.map((d) => route.weights?.[d] ?? 1).join(',')}` : '';
  return `${route.name}\u0000${route.strategy ?? 'ordered'}\u0000${deployments.join('\u0000')}${weights}`;
}

/** Each route's key before and after a change that renamed some of its deployments and nothing else of it. */
function routeKeysRenamed(deployments: ReadonlyMap<string, string>, before: readonly RouteConfig[], after: readonly RouteConfig[]): Map<string, { from: string; to: string }> {
  const back = new Map([...deployments].map(([from, to]) => [to, from]));
  const was = new Map(before.map((route) => [route.name, route]));
  const out = new Map<string, { from: string; to: string }>();
  for (const route of after) {
    const old = was.get(route.name);
    const from = routeKey(route, route.deployments.map((name) => back.get(name) ?? name));
    const to = routeKey(route, route.deployments);
    if (old && from !== to && routeKey(old, old.deployments) === from) out.set(route.name, { from, to });
  }
  return out;
}

export const SESSION_IDLE_MS = 30 * 60_000;
const MAX_SESSIONS = 10_000;

export function createSessionMemory(now: () => number, idleMs = SESSION_IDLE_MS, max = MAX_SESSIONS): SessionMemory {
  // A Map iterates in insertion order: re-inserting on every use keeps the least recent first.
  const sessions = new Map<string, { deployment: string; at: number }>();
  // Ids only: a session answered twice before a save is saved once, as it is then.
  const changed = new Set<string>();
  const forgotten = new Set<string>();
  const keyOf = (k: SessionKey) => `${k.clientKey ?? ''}\u0000${k.route}\u0000${k.session}`;
  const keep = (id: string, deployment: string, at: number) => {
    sessions.delete(id);
    sessions.set(id, { deployment, at });
    if (sessions.size > max) sessions.delete(sessions.keys().next().value as string);
  };
  return {
    deploymentOf(key) {
      const id = keyOf(key);
      const kept = sessions.get(id);
      if (!kept) return undefined;
      if (now() - kept.at <= idleMs) return kept.deployment;
      sessions.delete(id);
      return undefined;
    },
    answered(key, deployment) {
      const id = keyOf(key);
      keep(id, deployment, now());
      forgotten.delete(id);
      if (changed.size < max) changed.add(id);
    },
    forget(key) {
      const id = keyOf(key);
      if (!sessions.delete(id)) return false;
      changed.delete(id);
      if (forgotten.size < max) forgotten.add(id);
      return true;
    },
    changed() {
      const kept: KeptSession[] = [];
      for (const id of changed) {
        const session = sessions.get(id);
        if (session) kept.push({ id, ...session });
      }
      const out = { kept, forgotten: [...forgotten] };
      changed.clear();
      forgotten.clear();
      return out;
    },
    unsaved(changes) {
      // Not when it changed again since: then that change is what goes.
      for (const { id } of changes.kept) if (!forgotten.has(id) && changed.size < max) changed.add(id);
      for (const id of changes.forgotten) if (!changed.has(id) && forgotten.size < max) forgotten.add(id);
    },
    renamed(deployments, before, after) {
      if (deployments.size === 0) return;
      const routes = routeKeysRenamed(deployments, before, after);
      // Rebuilt in order, so the least recently used still goes first.
      const all = [...sessions];
      sessions.clear();
      for (const [id, kept] of all) {
        // An id is the client key's name (no NUL in it), the route's key, then the session.
        const start = id.indexOf('\u0000') + 1;
        const route = routes.get(id.slice(start, id.indexOf('\u0000', start)));
        const moved = route && id.startsWith(`${route.from}\u0000`, start) ? `${id.slice(0, start)}${route.to}${id.slice(start + route.from.length)}` : id;
        const deployment = deployments.get(kept.deployment) ?? kept.deployment;
        sessions.set(moved, { ...kept, deployment });
        if (moved !== id) {
          changed.delete(id);
          if (forgotten.size < max) forgotten.add(id);
        }
        if ((moved !== id || deployment !== kept.deployment) && changed.size < max) changed.add(moved);
      }
    },
    restore(saved) {
      const since = now() - idleMs;
      for (const { id, deployment, at } of saved) if (at >= since && !sessions.has(id)) keep(id, deployment, at);
    },
  };
}

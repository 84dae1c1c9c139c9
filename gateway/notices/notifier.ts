/**
 * Notices only on changes: a provider went down, traffic is falling back, it recovered (once it
 * stayed up a minute: one that comes and goes is one notice, not two every few seconds), a budget
 * reached 80% or 100% of its limit, the store cannot be written (a full disk) or can again, a model
 * pull the page started ended (a download of gigabytes outlives the window it was started from).
 * Fed the gateway's health snapshots; remembers the last state so nothing repeats (a budget's
 * warnings come again in its next period). The desktop app shows them as notifications, `serve`
 * prints them and posts them to a webhook.
 */
export interface HealthSnapshot {
  /** `stranded`: the routes that have no other provider's deployment to fall back to; `othersFallBack`: some other route of it has one. */
  providers: { name: string; status: string; stranded?: string[]; othersFallBack?: boolean }[];
  /** Requests answered after a failed attempt, since the gateway started. */
  fallbacks: number;
  budgets?: { name: string; fraction: number; limitUsd: number; onExceeded: string; resetsAt: string }[];
  /** What the store fails to write, from /health (null while it works). */
  storeError?: string | null;
  /** Model pulls under way and just ended (the gateway's `pulls.list()`). */
  pulls?: { provider: string; model: string; state: string; error: string | null; startedAt: number; outcome?: string | null }[];
}

export interface Notice {
  title: string;
  body: string;
}

/** A notice as one line: its title, then its body (a chat's message, a line of `serve`'s output). */
export const noticeText = (notice: Notice): string => `${notice.title}. ${notice.body}`;

/** Falling back is said again only after this long without a request that fell back. */
const FALLBACK_QUIET_MS = 10 * 60_000;
/** A provider said to be down is said to have recovered once it has been up this long without a break. */
const RECOVERED_AFTER_MS = 60_000;

export function createNotifier(now: () => number = Date.now) {
  /** Per provider, the status last said (its first, unsaid), and since when it has been up again after a "down". */
  const said = new Map<string, { status: string; upSince?: number }>();
  let lastFallbacks: number | undefined;
  /** When a request last fell back (as far as the snapshots tell). */
  let lastFallbackAt: number | undefined;
  let storeFailing = false;
  /** Per budget, its period's end and the highest threshold announced in it (one entry a budget, however long it runs). */
  const announced = new Map<string, { resetsAt: string; reached: number }>();
  /** Pulls seen under way: their end is announced once (a cancelled one was the user's own doing). */
  const pulling = new Set<string>();
  return (snapshot: HealthSnapshot): Notice[] => {
    const notices: Notice[] = [];
    const listed = new Set<string>();
    for (const pull of snapshot.pulls ?? []) {
      const key = `${pull.provider}\u0000${pull.model}\u0000${pull.startedAt}`;
      listed.add(key);
      if (pull.state === 'pulling') pulling.add(key);
      else if (pulling.delete(key)) {
        if (pull.state === 'done') notices.push(pulled(pull));
        else if (pull.state === 'failed') notices.push({ title: `${pull.provider} did not pull ${pull.model}`, body: pull.error ?? 'The pull failed.' });
      }
    }
    // A pull no longer listed (its end unseen between two reads) is forgotten, not kept for ever.
    for (const key of pulling) if (!listed.has(key)) pulling.delete(key);
    for (const budget of snapshot.budgets ?? []) {
      const reached = budget.fraction >= 1 ? 1 : budget.fraction >= 0.8 ? 0.8 : 0;
      const before = announced.get(budget.name);
      if (reached <= (before?.resetsAt === budget.resetsAt ? before.reached : 0)) continue;
      announced.set(budget.name, { resetsAt: budget.resetsAt, reached });
      const limit = `$${budget.limitUsd.toFixed(2)}`;
      if (reached === 1) {
        notices.push({
          title: `Budget "${budget.name}" is spent`,
          body: budget.onExceeded === 'refuse' ? `It reached ${limit}: its requests are refused until it resets.` : `It reached ${limit}: its requests stay on free and local deployments until it resets.`,
        });
      } else {
        notices.push({ title: `Budget "${budget.name}" is at ${Math.floor(budget.fraction * 100)}%`, body: `Of ${limit} for this period.` });
      }
    }
    for (const provider of snapshot.providers) {
      const { name, status } = provider;
      const before = said.get(name);
      if (!before || (status !== 'up' && status !== 'down')) said.set(name, { status });
      else if (status === 'down') {
        if (before.status !== 'down') notices.push({ title: `${name} is down`, body: downBody(provider) });
        said.set(name, { status });
      } else if (before.status !== 'down') said.set(name, { status });
      else if (now() - (before.upSince ??= now()) >= RECOVERED_AFTER_MS) {
        notices.push({ title: `${name} recovered`, body: 'Traffic returns to it.' });
        said.set(name, { status });
      }
    }
    const failing = Boolean(snapshot.storeError);
    if (failing && !storeFailing) notices.push({ title: 'Switchyard cannot write its data', body: `Requests are still answered: ${snapshot.storeError}` });
    else if (!failing && storeFailing) notices.push({ title: 'Switchyard writes its data again', body: 'Usage, health and cached answers are recorded again.' });
    storeFailing = failing;
    const newFallbacks = lastFallbacks !== undefined && snapshot.fallbacks > lastFallbacks;
    lastFallbacks = snapshot.fallbacks;
    // Requests that fall back now and then (a flaky deployment, a few requests a minute) are one
    // episode, not a notice every few seconds: a chat channel would fill with them.
    if (newFallbacks) {
      const at = now();
      if (lastFallbackAt === undefined || at - lastFallbackAt >= FALLBACK_QUIET_MS) notices.push({ title: 'Switchyard is falling back', body: 'A deployment failed or was unavailable, and the next one answered its requests.' });
      lastFallbackAt = at;
    }
    return notices;
  };
}

/** Where a down provider's requests go: the next deployment of each route, or nowhere, for the routes with no other provider. */
function downBody({ name, stranded = [], othersFallBack = false }: HealthSnapshot['providers'][number]): string {
  if (stranded.length === 0) return 'Requests go to the next deployment of each route.';
  const shown = stranded.length > 3 ? `${stranded.slice(0, 3).join(', ')} and ${stranded.length - 3} more` : stranded.length === 1 ? (stranded[0] as string) : `${stranded.slice(0, -1).join(', ')} and ${stranded.at(-1)}`;
  const one = stranded.length === 1;
  const left = `${one ? 'Route' : 'Routes'} ${shown} ${one ? 'has' : 'have'} no other provider's deployment to fall back to: ${one ? 'its' : 'their'} requests fail until ${name} is back`;
  return othersFallBack ? `${left}; the other routes go to their next deployment.` : `${left}.`;
}

/** A pull that ended well, as its outcome says: a new model, a newer version, or nothing newer. */
function pulled(pull: { provider: string; model: string; outcome?: string | null }): Notice {
  if (pull.outcome === 'updated') return { title: `${pull.model} is updated`, body: `${pull.provider} has its newer version now.` };
  if (pull.outcome === 'up to date') return { title: `${pull.model} is up to date`, body: `${pull.provider}'s registry had nothing newer.` };
  return { title: `${pull.model} is pulled`, body: `${pull.provider} has it: its deployments can answer now.` };
}

/**
 * Desktop notifications only on changes: a provider went down, traffic is falling back, it
 * recovered. Fed the gateway's health snapshots; remembers the last state so nothing repeats.
 */
export interface HealthSnapshot {
  providers: { name: string; status: string }[];
  /** Requests answered after a failed attempt, since the gateway started. */
  fallbacks: number;
}

export interface Notice {
  title: string;
  body: string;
}

export function createNotifier() {
  const last = new Map<string, string>();
  let lastFallbacks: number | undefined;
  let fallingBack = false;
  return (snapshot: HealthSnapshot): Notice[] => {
    const notices: Notice[] = [];
    for (const provider of snapshot.providers) {
      const before = last.get(provider.name);
      last.set(provider.name, provider.status);
      if (before === undefined || before === provider.status) continue;
      if (provider.status === 'down') notices.push({ title: `${provider.name} is down`, body: 'Requests go to the next deployment of each route.' });
      else if (provider.status === 'up' && before === 'down') notices.push({ title: `${provider.name} recovered`, body: 'Traffic returns to it.' });
    }
    const newFallbacks = lastFallbacks !== undefined && snapshot.fallbacks > lastFallbacks;
    lastFallbacks = snapshot.fallbacks;
    if (newFallbacks && !fallingBack) notices.push({ title: 'Switchyard is falling back', body: 'A deployment failed and requests were answered by the next one.' });
    fallingBack = newFallbacks;
    return notices;
  };
}

/**
 * A running gateway's `/health`, asked over HTTP as any monitor asks it: `status` prints it, and
 * `doctor` reads the providers it has keys for. A gateway open to the network gives its providers
 * only to a client key.
 */
import type { HealthReport } from './surfaces/health/schema';

const ASK_MS = 3_000;

export type RunningHealth = Partial<HealthReport> & Pick<HealthReport, 'status' | 'version' | 'uptimeSeconds' | 'store'>;

/** The report, or why there is none (the reason as a sentence's end: "no answer within 3 s"). */
export async function askHealth(url: string, key?: string): Promise<{ report: RunningHealth } | { why: string }> {
  try {
    const res = await fetch(`${url}/health`, { signal: AbortSignal.timeout(ASK_MS), redirect: 'error', ...(key ? { headers: { authorization: `Bearer ${key}` } } : {}) });
    if (!res.ok) throw new Error(`HTTP ${res.status}`);
    return { report: (await res.json()) as RunningHealth };
  } catch (error) {
    return { why: (error as Error).name === 'TimeoutError' ? `no answer within ${ASK_MS / 1000} s` : ((error as Error & { cause?: Error }).cause?.message ?? (error as Error).message) };
  }
}

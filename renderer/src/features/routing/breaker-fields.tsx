/**
 * A circuit breaker's settings, in a route's card (for its deployments that set none) and in a
 * deployment's form (over its route's): how many failures in a row open it, how long it stays open
 * at first and at most (doubled after each failed probe), how long a refused key, a 404 or a spent
 * quota keeps the deployment out, how long a request waits on a probe, and the failure rate that
 * opens it too (its three parts given together, or none). Empty is the default, which each field says.
 */
import type { BreakerConfig } from '../../api/types';
import type { numberReader } from '../../ui/numbers';
import { Field } from '../../ui/parts';

export interface BreakerText {
  failures: string;
  cooldownSeconds: string;
  maxCooldownSeconds: string;
  blockMinutes: string;
  probeSeconds: string;
  ratePercent: string;
  rateMinRequests: string;
  rateWindowSeconds: string;
}

type Shown = Pick<BreakerConfig, 'failures' | 'cooldownMs' | 'maxCooldownMs' | 'blockMs' | 'probeBudgetMs' | 'failureRate'>;

const per = (ms: number | undefined, unit: number) => (ms === undefined ? '' : String(ms / unit));

export function breakerText(breaker: BreakerConfig | undefined): BreakerText {
  return {
    failures: String(breaker?.failures ?? ''),
    cooldownSeconds: per(breaker?.cooldownMs, 1000),
    maxCooldownSeconds: per(breaker?.maxCooldownMs, 1000),
    blockMinutes: per(breaker?.blockMs, 60_000),
    probeSeconds: per(breaker?.probeBudgetMs, 1000),
    ratePercent: breaker?.failureRate ? String(Math.round(breaker.failureRate.threshold * 10_000) / 100) : '',
    rateMinRequests: String(breaker?.failureRate?.minRequests ?? ''),
    rateWindowSeconds: per(breaker?.failureRate?.windowMs, 1000),
  };
}

/** The fields on the form as the config takes them (undefined: the default), each typo named by the path the API's errors use. */
export function readBreaker(text: BreakerText, { read, typos }: Pick<ReturnType<typeof numberReader>, 'read' | 'typos'>): Shown {
  const ms = (path: string, value: string, unit: number) => {
    const n = read(`breaker.${path}`, value);
    return n === undefined ? undefined : Math.round(n * unit);
  };
  const percent = read('breaker.failureRate.threshold', text.ratePercent);
  const rate = { threshold: percent === undefined ? undefined : percent / 100, minRequests: read('breaker.failureRate.minRequests', text.rateMinRequests), windowMs: ms('failureRate.windowMs', text.rateWindowSeconds, 1000) };
  const given = Object.values(rate).filter((v) => v !== undefined).length;
  // The rate is one setting of three parts: a part left out is named rather than a default guessed.
  if (given > 0 && given < 3) for (const [part, value] of Object.entries(rate)) if (value === undefined) typos[`breaker.failureRate.${part}`] = 'give all three parts of the failure rate, or none';
  return {
    failures: read('breaker.failures', text.failures),
    cooldownMs: ms('cooldownMs', text.cooldownSeconds, 1000),
    maxCooldownMs: ms('maxCooldownMs', text.maxCooldownSeconds, 1000),
    blockMs: ms('blockMs', text.blockMinutes, 60_000),
    probeBudgetMs: ms('probeBudgetMs', text.probeSeconds, 1000),
    failureRate: given === 3 ? (rate as NonNullable<BreakerConfig['failureRate']>) : undefined,
  };
}

export function BreakerFields({ owner, text, errors, onChange }: { owner: string; text: BreakerText; errors: Record<string, string | undefined>; onChange: (text: BreakerText) => void }) {
  const field = (key: keyof BreakerText, path: string, label: string, short: string, placeholder: string) => (
    <Field label={label} error={errors[`breaker.${path}`]}>
      <input value={text[key]} placeholder={placeholder} inputMode="decimal" aria-label={`${short} (${owner})`} onChange={(e) => onChange({ ...text, [key]: e.target.value })} />
    </Field>
  );
  return (
    <div className="form-grid">
      {field('failures', 'failures', 'Failures in a row before the breaker opens', 'Breaker failures', '5')}
      {field('cooldownSeconds', 'cooldownMs', 'Open for at first (seconds)', 'Breaker cool-down', '10')}
      {field('maxCooldownSeconds', 'maxCooldownMs', 'Open for at most (seconds, doubling after each failed probe)', 'Breaker longest cool-down', '300')}
      {field('blockMinutes', 'blockMs', 'Kept out after a refused key, a 404 or spent quota (minutes)', 'Breaker block', '30')}
      {field('probeSeconds', 'probeBudgetMs', 'A request waits on a probe at most (seconds)', 'Breaker probe wait', '3')}
      {field('ratePercent', 'failureRate.threshold', 'Also open when this % of requests failed', 'Breaker failure rate', 'off')}
      {field('rateMinRequests', 'failureRate.minRequests', '... of at least this many requests', 'Breaker rate requests', '20')}
      {field('rateWindowSeconds', 'failureRate.windowMs', '... in the last (seconds)', 'Breaker rate window', '60')}
    </div>
  );
}

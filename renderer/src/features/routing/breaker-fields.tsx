/**
 * A circuit breaker's settings, in a route's card (for its deployments that set none) and in a
 * deployment's form (over its route's): how many failures in a row open it, how long it stays open
 * at first and at most (doubled after each failed probe), and how long a refused key, a 404 or a
 * spent quota keeps the deployment out. Empty is the default, which each field says. The failure
 * rate and the probe's wait, set in the config file, are kept as they are.
 */
import type { BreakerConfig } from '../../api/types';
import type { numberReader } from '../../ui/numbers';
import { Field } from '../../ui/parts';

export interface BreakerText {
  failures: string;
  cooldownSeconds: string;
  maxCooldownSeconds: string;
  blockMinutes: string;
}

type Shown = Pick<BreakerConfig, 'failures' | 'cooldownMs' | 'maxCooldownMs' | 'blockMs'>;

const per = (ms: number | undefined, unit: number) => (ms === undefined ? '' : String(ms / unit));

export function breakerText(breaker: BreakerConfig | undefined): BreakerText {
  return {
    failures: String(breaker?.failures ?? ''),
    cooldownSeconds: per(breaker?.cooldownMs, 1000),
    maxCooldownSeconds: per(breaker?.maxCooldownMs, 1000),
    blockMinutes: per(breaker?.blockMs, 60_000),
  };
}

/** The fields on the form as the config takes them (undefined: the default), each typo named by the path the API's errors use. */
export function readBreaker(text: BreakerText, read: ReturnType<typeof numberReader>['read']): Shown {
  const ms = (path: string, value: string, unit: number) => {
    const n = read(`breaker.${path}`, value);
    return n === undefined ? undefined : Math.round(n * unit);
  };
  return {
    failures: read('breaker.failures', text.failures),
    cooldownMs: ms('cooldownMs', text.cooldownSeconds, 1000),
    maxCooldownMs: ms('maxCooldownMs', text.maxCooldownSeconds, 1000),
    blockMs: ms('blockMs', text.blockMinutes, 60_000),
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
    </div>
  );
}

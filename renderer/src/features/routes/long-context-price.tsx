/**
 * A deployment's long-context prices, in its form: what a request costs once its prompt is over a
 * size (Gemini's and Claude's long-context rates), with the cached-input prices optional. The four
 * main parts are given together or not at all; one left out is named, and nothing is sent.
 */
import type { DeploymentConfig } from '../../api/types';
import type { numberReader } from '../../ui/numbers';
import { Field } from '../../ui/parts';

type LongContext = NonNullable<NonNullable<DeploymentConfig['pricing']>['longContext']>;
export type LongContextText = Record<keyof LongContext, string>;

const PARTS: { key: keyof LongContext; label: string; short: string }[] = [
  { key: 'aboveTokens', label: 'Prompts over (tokens)', short: 'Long prompts from' },
  { key: 'inputPerMTok', label: 'Input $ per 1M, then', short: 'Long prompts: $ in' },
  { key: 'outputPerMTok', label: 'Output $ per 1M, then', short: 'Long prompts: $ out' },
  { key: 'cacheReadPerMTok', label: 'Cached input $ per 1M, then (empty: its input $)', short: 'Long prompts: $ cached in' },
  { key: 'cacheWritePerMTok', label: 'Cache write $ per 1M, then (empty: its input $)', short: 'Long prompts: $ cache write' },
];
const REQUIRED: (keyof LongContext)[] = ['aboveTokens', 'inputPerMTok', 'outputPerMTok'];

export function longContextText(long: LongContext | undefined): LongContextText {
  return Object.fromEntries(PARTS.map(({ key }) => [key, String(long?.[key] ?? '')])) as LongContextText;
}

/** The prices as the config takes them (undefined: none), each problem named by the path the API's errors use. */
export function readLongContext(text: LongContextText, { read, typos }: Pick<ReturnType<typeof numberReader>, 'read' | 'typos'>): LongContext | undefined {
  const values = Object.fromEntries(PARTS.map(({ key }) => [key, read(`pricing.longContext.${key}`, text[key])])) as Partial<LongContext>;
  if (Object.values(values).every((v) => v === undefined)) return undefined;
  const missing = REQUIRED.filter((key) => values[key] === undefined);
  for (const key of missing) typos[`pricing.longContext.${key}`] ??= 'give the size and both prices for long prompts, or none';
  return missing.length === 0 ? (values as LongContext) : undefined;
}

export function LongContextPrice({ text, errors, onChange }: { text: LongContextText; errors: Record<string, string | undefined>; onChange: (text: LongContextText) => void }) {
  return (
    <details style={{ marginBottom: 10 }} open={text.aboveTokens !== '' || undefined}>
      <summary>Long-context prices</summary>
      <div className="form-grid">
        {PARTS.map(({ key, label, short }) => (
          <Field key={key} label={label} error={errors[`pricing.longContext.${key}`]}>
            <input value={text[key]} inputMode="decimal" aria-label={short} onChange={(e) => onChange({ ...text, [key]: e.target.value })} />
          </Field>
        ))}
      </div>
    </details>
  );
}

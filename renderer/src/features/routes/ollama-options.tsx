/**
 * An Ollama deployment's model options and thinking, in its form: the `options` every request of it
 * runs with (`num_ctx`, `temperature`, `num_gpu`...; a request's own win), written as the JSON object
 * Ollama takes, and `think` for requests that do not say. The options are kept as typed and read on
 * Save: text that is not one JSON object is named under the field, and nothing is sent.
 */
import type { DeploymentConfig } from '../../api/types';
import { Field } from '../../ui/parts';

type Think = DeploymentConfig['think'];

const THINK: { label: string; value: Think }[] = [
  { label: 'as Ollama decides', value: undefined },
  { label: 'on', value: true },
  { label: 'off', value: false },
  { label: 'low', value: 'low' },
  { label: 'medium', value: 'medium' },
  { label: 'high', value: 'high' },
];

export const optionsText = (options: DeploymentConfig['options']): string => (options === undefined ? '' : JSON.stringify(options));

/** The options as the config takes them (undefined: none), or what is wrong with the text. */
export function readOptions(text: string): { options: DeploymentConfig['options'] } | { problem: string } {
  if (text.trim() === '') return { options: undefined };
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return { problem: `not JSON: ${(error as Error).message}` };
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return { problem: 'must be one JSON object, e.g. {"num_ctx": 16384}' };
  return { options: Object.keys(value).length > 0 ? (value as Record<string, unknown>) : undefined };
}

export function OllamaOptions({ text, think, error, onText, onThink }: { text: string; think: Think; error: string | undefined; onText: (text: string) => void; onThink: (think: Think) => void }) {
  return (
    <div className="form-grid">
      <Field label='Ollama options (JSON, e.g. {"num_ctx": 16384, "temperature": 0.2})' error={error}>
        <input className="mono" value={text} placeholder='{"num_ctx": 16384}' aria-label="Ollama options" onChange={(e) => onText(e.target.value)} />
      </Field>
      <Field label="Ollama: thinking, when a request does not say">
        <select value={THINK.findIndex((t) => t.value === think)} aria-label="Thinking when a request does not say" onChange={(e) => onThink(THINK[Number(e.target.value)]?.value)}>
          {THINK.map((t, i) => <option key={t.label} value={i}>{t.label}</option>)}
        </select>
      </Field>
    </div>
  );
}

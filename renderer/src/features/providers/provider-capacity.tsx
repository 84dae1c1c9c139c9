/**
 * A provider's capacity, in its form: how many requests it serves at once, how many wait for a turn
 * and how long before they spill over to the route's next deployment (the "busy" fallback), how long
 * each part of an answer may take before the next deployment is tried (its timeouts) and how large a
 * whole answer may be, and how often the gateway probes it. Empty is the default, which each field says; numbers are kept as typed and
 * read on Save, a typo named beside its field rather than sent.
 */
import type { ProviderConfig } from '../../api/types';
import { numberReader } from '../../ui/numbers';
import { Field } from '../../ui/parts';

type Capacity = Pick<ProviderConfig, 'maxConcurrent' | 'queue' | 'healthCheck' | 'timeouts' | 'maxResponseBytes'>;
type Timeouts = NonNullable<ProviderConfig['timeouts']>;
export interface CapacityText {
  maxConcurrent: string;
  queueMax: string;
  queueSeconds: string;
  probeSeconds: string;
  connectSeconds: string;
  firstByteSeconds: string;
  idleSeconds: string;
  totalSeconds: string;
  largestMiB: string;
}

const MIB = 1024 * 1024;
const seconds = (ms: number | undefined) => (ms === undefined ? '' : String(ms / 1000));

export function capacityText(provider: Capacity): CapacityText {
  return {
    maxConcurrent: String(provider.maxConcurrent ?? ''),
    queueMax: String(provider.queue?.max ?? ''),
    queueSeconds: seconds(provider.queue?.timeoutMs),
    probeSeconds: seconds(provider.healthCheck?.intervalMs),
    connectSeconds: seconds(provider.timeouts?.connectMs),
    firstByteSeconds: seconds(provider.timeouts?.firstByteMs),
    idleSeconds: seconds(provider.timeouts?.idleMs),
    totalSeconds: seconds(provider.timeouts?.totalMs),
    largestMiB: provider.maxResponseBytes === undefined ? '' : String(provider.maxResponseBytes / MIB),
  };
}

/** The capacity as the config takes it (undefined: the default), and each typo by the path the API's errors name. */
export function readCapacity(text: CapacityText): { values: Capacity; typos: Record<string, string> } {
  const { read, typos } = numberReader();
  const ms = (path: string, value: string) => {
    const s = read(path, value);
    return s === undefined ? undefined : Math.round(s * 1000);
  };
  const maxConcurrent = read('maxConcurrent', text.maxConcurrent);
  const queue = { max: read('queue.max', text.queueMax), timeoutMs: ms('queue.timeoutMs', text.queueSeconds) };
  const intervalMs = ms('healthCheck.intervalMs', text.probeSeconds);
  const largest = read('maxResponseBytes', text.largestMiB);
  const timeouts: Timeouts = {
    connectMs: ms('timeouts.connectMs', text.connectSeconds),
    firstByteMs: ms('timeouts.firstByteMs', text.firstByteSeconds),
    idleMs: ms('timeouts.idleMs', text.idleSeconds),
    totalMs: ms('timeouts.totalMs', text.totalSeconds),
  };
  return {
    values: {
      maxConcurrent,
      queue: queue.max === undefined && queue.timeoutMs === undefined ? undefined : queue,
      healthCheck: intervalMs === undefined ? undefined : { intervalMs },
      timeouts: Object.values(timeouts).every((t) => t === undefined) ? undefined : timeouts,
      maxResponseBytes: largest === undefined ? undefined : Math.round(largest * MIB),
    },
    typos,
  };
}

export function CapacityFields({ kind, text, errors, onChange }: { kind: ProviderConfig['kind']; text: CapacityText; errors: Record<string, string | undefined>; onChange: (text: CapacityText) => void }) {
  const field = (key: keyof CapacityText, path: string, label: string, placeholder: string) => (
    <Field label={label} error={errors[path]}>
      <input value={text[key]} placeholder={placeholder} inputMode="decimal" aria-label={label} onChange={(e) => onChange({ ...text, [key]: e.target.value })} />
    </Field>
  );
  return (
    <details>
      <summary>Capacity, timeouts and probes</summary>
      <p className="muted">Past its requests at once, a request waits for a turn; one that finds the line full, or waits longer than it may, goes to the route&apos;s next deployment.</p>
      <div className="form-grid">
        {field('maxConcurrent', 'maxConcurrent', 'Requests at once', kind === 'ollama' ? "2 (Ollama's default)" : 'no cap')}
        {field('queueMax', 'queue.max', 'Waiting at most', '50')}
        {field('queueSeconds', 'queue.timeoutMs', 'Wait for a turn at most (seconds)', '2')}
        {field('probeSeconds', 'healthCheck.intervalMs', 'Probe every (seconds, 0: never)', '30 local, 300 cloud')}
      </div>
      <p className="muted">Past a timeout the request goes to the route&apos;s next deployment. A local model may be loading before its first token; a cloud reasoning model may think unseen for minutes.</p>
      <div className="form-grid">
        {field('connectSeconds', 'timeouts.connectMs', 'Connect within (seconds)', '3')}
        {field('firstByteSeconds', 'timeouts.firstByteMs', 'First token within (seconds)', '120 local, 60 cloud')}
        {field('idleSeconds', 'timeouts.idleMs', 'Silent mid-answer at most (seconds)', '30 local, 300 cloud')}
        {field('totalSeconds', 'timeouts.totalMs', 'Whole answer within (seconds)', '600')}
        {field('largestMiB', 'maxResponseBytes', 'Largest answer (MiB)', '32')}
      </div>
    </details>
  );
}

/**
 * Phases for a Responses upstream's answer that gives none (Ollama's, vLLM's and LM Studio's
 * Responses APIs; OpenAI's models before GPT-5.3-codex), by the rule a translated answer follows
 * (output.ts `phaseOf`): a message another item follows is commentary, the one that ends a completed
 * Response the final answer. An answer that labels any message of its own keeps its labels.
 *
 * Streamed, a message's `output_item.done` says nothing of what follows it: it is held, with the
 * events after it, until the next item opens or the Response ends, then sent labelled, in order.
 */
import { copyWith } from '../../wire/copy-with';
import { phaseOf } from './output';

type Event = [type: string, data: Record<string, unknown>];
type Item = { type?: unknown; phase?: unknown };

const ENDS = new Set(['response.completed', 'response.incomplete']);
/** Events held after a message at most: past this many, what follows it cannot be waited for, and it goes unlabelled. */
const MAX_HELD = 64;

const labels = (item: Item | undefined): boolean => item?.type === 'message' && item.phase != null;
const labelled = (item: Record<string, unknown>, phase: string | undefined) => (phase ? copyWith(item, { phase }) : item);

/** A whole Response with its messages labelled, where it labels none. */
export function withPhases(response: Record<string, unknown>): Record<string, unknown> {
  const output = response.output as Item[] | undefined;
  if (!Array.isArray(output) || output.some(labels) || !output.some((item) => item?.type === 'message')) return response;
  const completed = response.status === 'completed';
  return { ...response, output: output.map((item, i) => (item?.type === 'message' ? labelled(item as Record<string, unknown>, phaseOf(i < output.length - 1, completed)) : item)) };
}

/** One stream's events as they are to be sent: `events` for each that came, `flush` for what is held when it ends otherwise. */
export function createPhaseStamper() {
  let own = false;
  let held: Event[] = [];
  const release = (phase: string | undefined): Event[] => {
    const [first, ...rest] = held;
    held = [];
    if (!first) return [];
    const [type, data] = first;
    return [[type, { ...data, item: labelled(data.item as Record<string, unknown>, phase) }], ...rest];
  };
  return {
    events(type: string, data: Record<string, unknown>): Event[] {
      const item = data.item as Item | undefined;
      if (!own && labels(item)) own = true;
      if (own) return [...release(undefined), [type, data]];
      if (held.length > 0) {
        if (type === 'response.output_item.added') return [...release(phaseOf(true, false)), [type, data]];
        if (!ENDS.has(type)) {
          if (held.length >= MAX_HELD) return [...release(undefined), [type, data]];
          held.push([type, data]);
          return [];
        }
      }
      const out = held.length > 0 ? release(phaseOf(false, type === 'response.completed')) : [];
      if (type === 'response.output_item.done' && item?.type === 'message') {
        held = [[type, data]];
        return out;
      }
      const response = ENDS.has(type) ? (data.response as Record<string, unknown> | undefined) : undefined;
      return [...out, [type, response ? { ...data, response: withPhases(response) } : data]];
    },
    /** What is held, as it came (a failure ends the stream). */
    flush(): Event[] {
      return release(undefined);
    },
  };
}

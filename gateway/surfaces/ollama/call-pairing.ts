/**
 * Which call each tool result in an Ollama history answers. A result names its call's id (Ollama
 * 0.12.10 on), or only its tool: then it takes the next call of that name not yet answered, in order
 * (a queue per name read by position, each call passed over at most once: one pass in all, however
 * many calls share a name).
 */
import { newToolCallId } from '../../wire/ids';

export function createCallPairing() {
  const byName = new Map<string, { ids: string[]; next: number }>();
  const given = new Set<string>();
  const answered = new Set<string>();
  return {
    /** A call's id: the one the client gave it, unless missing or already taken. */
    call(name: string, id: unknown): string {
      const kept = typeof id === 'string' && id !== '' && !given.has(id) ? id : newToolCallId();
      given.add(kept);
      const queue = byName.get(name);
      if (queue) queue.ids.push(kept);
      else byName.set(name, { ids: [kept], next: 0 });
      return kept;
    },
    /** The id of the call a result answers (made up when none of that name is left). */
    result(name: string | undefined, id: unknown): string {
      if (typeof id === 'string' && given.has(id)) {
        answered.add(id);
        return id;
      }
      const queue = byName.get(name ?? '');
      while (queue && queue.next < queue.ids.length && answered.has(queue.ids[queue.next] as string)) queue.next++;
      return (queue && queue.next < queue.ids.length ? queue.ids[queue.next++] : undefined) ?? `call_${name ?? 'tool'}`;
    },
  };
}

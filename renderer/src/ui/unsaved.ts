/**
 * What the page holds that is nowhere else yet, by what holds it: a form's edits not saved ("deployment
 * llama", "the new route"), a new client key not copied (it is shown only once). It lives only in the
 * page, so whatever would drop it asks first: a link of the dashboard, Back, another form in the same
 * place, and (through the browser's own prompt) a reload or closing the tab.
 */
import { useEffect, useId, useState } from 'react';

/** A holder's id (React's useId) to what it holds and how the question names it; in here only while something is at stake. */
const open = new Map<string, { what: string; phrase: string }>();

/** Counts `what` (a form's edits) as unsaved while `dirty`, until the form is gone. */
export function useUnsaved(what: string, dirty: boolean): void {
  useAtStake(what, `your edits to ${what}`, dirty);
}

/** Counts `phrase` as lost if the page goes, while `atStake`; `what` names its holder for `mayDiscard`. */
export function useAtStake(what: string, phrase: string, atStake: boolean): void {
  const id = useId();
  useEffect(() => {
    if (!atStake) return;
    open.set(id, { what, phrase });
    return () => void open.delete(id);
  }, [id, what, phrase, atStake]);
}

/**
 * For a form without a notion of its own of what changed: `value` (all it holds, as typed) against
 * what it held when drawn or last saved. Returns what to call with the value a save sent, once it is
 * saved; edits typed while the save was on their way stay unsaved.
 */
export function useEdits(what: string, value: unknown): (saved: unknown) => void {
  const now = JSON.stringify(value);
  const [baseline, setBaseline] = useState(now);
  useUnsaved(what, now !== baseline);
  return (saved) => setBaseline(JSON.stringify(saved));
}

/**
 * A list's one open form (a deployment's, a budget's), named by `labelOf`: another opened in its place
 * asks before the open one's unsaved edits go; closing it (Cancel, Save) does not.
 */
export function useOpenForm<T>(labelOf: (item: T) => string): [T | null, (next: T | null) => void] {
  const [item, setItem] = useState<T | null>(null);
  const choose = (next: T | null) => {
    if (item !== null && next !== null && labelOf(item) !== labelOf(next) && !mayDiscard([labelOf(item)])) return;
    setItem(next);
  };
  return [item, choose];
}

/**
 * True when nothing would be lost, or the user chooses to lose it. `only`: just these holders are at
 * stake (one form is replaced by another), not the whole page.
 */
export function mayDiscard(only?: string[]): boolean {
  const lost = [...new Set([...open.values()].filter(({ what }) => only === undefined || only.includes(what)).map(({ phrase }) => phrase))];
  if (lost.length === 0) return true;
  const said = listed(lost);
  return window.confirm(`${said[0]!.toUpperCase()}${said.slice(1)} will be lost. Leave anyway?`);
}

/** The browser's own prompt before a reload or closing the tab (the desktop window asks in a dialog of its own). */
export function guardUnload(): () => void {
  const onUnload = (event: BeforeUnloadEvent) => {
    if (open.size === 0) return;
    event.preventDefault();
    // Older browsers (and Electron's will-prevent-unload) look for returnValue rather than preventDefault.
    event.returnValue = '';
  };
  window.addEventListener('beforeunload', onUnload);
  return () => window.removeEventListener('beforeunload', onUnload);
}

function listed(items: string[]): string {
  return items.length === 1 ? items[0]! : `${items.slice(0, -1).join(', ')} and ${items.at(-1)!}`;
}

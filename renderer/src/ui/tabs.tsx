/**
 * Tabs over one panel, as WAI-ARIA's tabs pattern has them: Tab reaches the chosen tab and then the
 * panel, the arrow keys (and Home, End) choose another tab, and the panel is named by its tab. As a
 * row of buttons, each tab was a stop of its own for Tab and the arrow keys did nothing.
 */
import { useId, useRef, type KeyboardEvent, type ReactNode } from 'react';
import { roved } from './roving';

export function Tabs<T extends string>({ names, chosen, onChoose, label, children }: { names: readonly T[]; chosen: T; onChoose: (name: T) => void; label: string; children: ReactNode }) {
  const id = useId();
  const list = useRef<HTMLDivElement>(null);
  const at = names.indexOf(chosen);
  const onKeyDown = (event: KeyboardEvent) => {
    const index = roved(event, at, list.current?.querySelectorAll<HTMLElement>('[role="tab"]'));
    if (index !== undefined) onChoose(names[index]!);
  };
  return (
    <>
      <div className="tabs" role="tablist" aria-label={label} ref={list} onKeyDown={onKeyDown}>
        {names.map((name, i) => (
          <button key={name} type="button" role="tab" id={`${id}tab${i}`} aria-selected={i === at} aria-controls={`${id}panel`} tabIndex={i === at ? 0 : -1} onClick={() => onChoose(name)}>
            {name}
          </button>
        ))}
      </div>
      <div role="tabpanel" id={`${id}panel`} aria-labelledby={`${id}tab${at}`} tabIndex={0}>
        {children}
      </div>
    </>
  );
}

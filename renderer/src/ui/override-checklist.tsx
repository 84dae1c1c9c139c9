/**
 * A tick that says "say these instead of what is found", and under it the choices it says, in a
 * fixed order (a deployment's capabilities, a provider's APIs, a route's failures that move on).
 * Unticked, the value is unset (found again); the last choice ticked stays ticked where an empty
 * list would say nothing can be done (`allowNone` where an empty list says something).
 */
import type { ReactNode } from 'react';

export function OverrideChecklist<T extends string>({ say, group, labels, value, initial, allowNone = false, onChange }: { say: ReactNode; group: string; labels: Record<T, string>; value: T[] | undefined; initial: () => T[]; allowNone?: boolean; onChange: (value: T[] | undefined) => void }) {
  const all = Object.keys(labels) as T[];
  return (
    <div style={{ marginBottom: 10 }}>
      <label className="row">
        <input type="checkbox" checked={value !== undefined} onChange={(e) => onChange(e.target.checked ? initial() : undefined)} />
        {say}
      </label>
      {value !== undefined ? (
        <div className="row" role="group" aria-label={group} style={{ marginLeft: 28, flexWrap: 'wrap', columnGap: 14 }}>
          {all.map((choice) => (
            <label key={choice} className="row" style={{ gap: 4 }}>
              <input type="checkbox" checked={value.includes(choice)} disabled={!allowNone && value.length === 1 && value.includes(choice)} onChange={(e) => onChange(e.target.checked ? all.filter((x) => x === choice || value.includes(x)) : value.filter((x) => x !== choice))} />
              {labels[choice]}
            </label>
          ))}
        </div>
      ) : null}
    </div>
  );
}

/**
 * Time windows: ranges in HH:MM with days and an action, the zone, a week-at-a-glance grid of when
 * the deployment is usable, and a live line ("blocked now, usable again at 18:00 (in 2 h 13 min)").
 * The grid and the line come from the gateway, which applies exactly the same rules to traffic.
 */
import { useQuery } from '@tanstack/react-query';
import { configQueries } from '../../api/queries/config';
import type { TimeWindow } from '../../api/types';
import { Field } from '../../ui/parts';

const DAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;

export function TimeWindowEditor({
  windows,
  timeZone,
  onChange,
  errors,
}: {
  windows: TimeWindow[];
  timeZone: string;
  onChange: (windows: TimeWindow[], timeZone: string) => void;
  errors: Record<string, string>;
}) {
  const schedule = useQuery(configQueries.schedule(windows, timeZone));
  const update = (index: number, patch: Partial<TimeWindow>) => onChange(windows.map((w, i) => (i === index ? { ...w, ...patch } : w)), timeZone);
  return (
    <fieldset className="card" style={{ padding: 12 }}>
      <legend>Time windows (when this deployment is not used)</legend>
      <Field label="Time zone (IANA, empty for the gateway's)" error={errors.timeZone}>
        <input value={timeZone} placeholder="Europe/Paris" onChange={(e) => onChange(windows, e.target.value)} aria-label="Time zone" />
      </Field>
      {windows.map((window, index) => (
        <div key={index} className="row" style={{ alignItems: 'flex-start' }} data-testid={`window-${index}`}>
          <Field label="From" error={errors[`timeWindows[${index}].start`]}>
            <input value={window.start} size={6} onChange={(e) => update(index, { start: e.target.value })} aria-label={`Window ${index + 1} start`} />
          </Field>
          <Field label="To" error={errors[`timeWindows[${index}].end`]}>
            <input value={window.end} size={6} onChange={(e) => update(index, { end: e.target.value })} aria-label={`Window ${index + 1} end`} />
          </Field>
          <Field label="Days (none: every day)">
            <div className="row">
              {DAYS.map((day) => (
                <label key={day} className="row" style={{ gap: 2 }}>
                  <input
                    type="checkbox"
                    checked={window.days?.includes(day) ?? false}
                    onChange={(e) => {
                      const days = new Set(window.days ?? []);
                      if (e.target.checked) days.add(day);
                      else days.delete(day);
                      const ordered = DAYS.filter((d) => days.has(d));
                      update(index, { days: ordered.length > 0 ? ordered : undefined });
                    }}
                  />
                  {day}
                </label>
              ))}
            </div>
          </Field>
          <Field label="Meaning">
            <select value={window.action ?? 'block'} onChange={(e) => update(index, { action: e.target.value as 'block' | 'allow' })}>
              <option value="block">not used inside</option>
              <option value="allow">used only inside</option>
            </select>
          </Field>
          <button type="button" className="danger" style={{ marginTop: 20 }} onClick={() => onChange(windows.filter((_, i) => i !== index), timeZone)}>
            Remove
          </button>
        </div>
      ))}
      <button type="button" onClick={() => onChange([...windows, { start: '09:00', end: '18:00', days: ['mon', 'tue', 'wed', 'thu', 'fri'] }], timeZone)}>
        Add a window
      </button>
      {schedule.data ? (
        <>
          <p data-testid="schedule-summary" style={{ marginBottom: 0 }}>
            <strong>{schedule.data.summary}</strong> <span className="muted">({schedule.data.timeZone})</span>
          </p>
          <WeekGrid grid={schedule.data.grid} />
        </>
      ) : schedule.isError ? (
        <p className="field-error">Fix the fields above to see the week.</p>
      ) : null}
    </fieldset>
  );
}

function WeekGrid({ grid }: { grid: boolean[][] }) {
  return (
    <div className="week" role="img" aria-label="Week at a glance: green when usable">
      <span />
      {Array.from({ length: 24 }, (_, h) => (
        <span key={h} className="hour">{h % 3 === 0 ? h : ''}</span>
      ))}
      {grid.map((hours, day) => [
        <span key={`d${day}`} className="muted">{DAYS[day]}</span>,
        ...hours.map((usable, hour) => <span key={`${day}-${hour}`} className={`cell ${usable ? 'on' : 'off'}`} title={`${DAYS[day]} ${hour}:00 ${usable ? 'usable' : 'blocked'}`} />),
      ])}
    </div>
  );
}

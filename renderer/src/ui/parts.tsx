/** Small presentational pieces shared by every page. */
import { useEffect, useState, useSyncExternalStore, type KeyboardEvent, type ReactNode } from 'react';
import { ApiError, contactStretch } from '../api/client';

export function Card({ title, actions, children }: { title?: ReactNode; actions?: ReactNode; children: ReactNode }) {
  return (
    <section className="card">
      {(title || actions) && (
        <div className="spread" style={{ marginBottom: 10 }}>
          {title ? <h2 style={{ margin: 0 }}>{title}</h2> : <span />}
          {actions}
        </div>
      )}
      {children}
    </section>
  );
}

export function Stat({ label, value, hint }: { label: string; value: ReactNode; hint?: string }) {
  return (
    <div className="card stat" title={hint}>
      <div className="label">{label}</div>
      <div className="value">{value}</div>
    </div>
  );
}

export function Badge({ tone, children }: { tone?: 'ok' | 'warn' | 'bad' | 'info'; children: ReactNode }) {
  return <span className={`badge ${tone ?? ''}`}>{children}</span>;
}

export function statusTone(status: string): 'ok' | 'warn' | 'bad' | 'info' | undefined {
  if (status === 'up' || status === 'ok' || status === 'closed') return 'ok';
  if (status === 'down' || status === 'open' || status === 'error' || status === 'unavailable') return 'bad';
  if (status === 'blocked' || status === 'cooling' || status === 'probing' || status === 'half-open' || status === 'degraded') return 'warn';
  return undefined;
}

export function Loading({ what }: { what: string }) {
  return <div className="empty" role="status">Loading {what}...</div>;
}

export function Empty({ children }: { children: ReactNode }) {
  return <div className="empty">{children}</div>;
}

/** An error in words. How to sign in again is said once, at the top of the page (features/session), not by every card and form. */
export function errorText(error: unknown): string {
  if (error instanceof ApiError && error.signedOut) return 'Not signed in: sign in again (the note at the top of the page says how), then try again.';
  return error instanceof Error ? error.message : String(error);
}

/**
 * An error to show, or undefined once it is outdated: a form's save refused for want of a session or
 * a gateway says nothing more once the page has them again (its queries load afresh; the form is
 * saved again by its Save). A mutation keeps its error until it runs again, so the note is let go here.
 */
export function useLiveError<E>(error: E): E | undefined {
  useSyncExternalStore(contactStretch.subscribe, contactStretch.current);
  return error instanceof ApiError && error.outdated ? undefined : error;
}

export function ErrorNote({ error: shown }: { error: unknown }) {
  const error = useLiveError(shown);
  if (error == null) return null;
  const unreachable = error instanceof ApiError && error.unreachable;
  return (
    <div className={`notice ${error instanceof ApiError && error.signedOut ? 'warn' : 'bad'}`} role="alert">
      {unreachable ? <strong>Gateway unreachable. </strong> : null}
      {errorText(error)}
    </div>
  );
}

export function Field({ label, error, children }: { label: string; error?: string | undefined; children: ReactNode }) {
  return (
    <label className={`field ${error ? 'invalid' : ''}`}>
      <span>{label}</span>
      {children}
      {error ? <span className="field-error" role="alert">{error}</span> : null}
    </label>
  );
}

/**
 * Several controls under one heading, such as a checkbox per deployment: a label holds one control,
 * and a click on the heading of one that held several ticked the first of them.
 */
export function FieldGroup({ label, error, children }: { label: string; error?: string | undefined; children: ReactNode }) {
  return (
    <fieldset className={`field ${error ? 'invalid' : ''}`}>
      <legend>{label}</legend>
      {children}
      {error ? <span className="field-error" role="alert">{error}</span> : null}
    </fieldset>
  );
}

export function money(value: number): string {
  if (value === 0) return '$0';
  if (value < 0.0001) return '<$0.0001';
  // Grouped as budgets are read: $1,000,000.00, not $1000000.00.
  return value < 0.01 ? `$${value.toFixed(4)}` : `$${value.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;
}

/** A count of tokens grouped as the CLI says it (153,284, not 153284); `-` where none was counted. */
export function tokenCount(n: number | null): string {
  return n === null ? '-' : n.toLocaleString('en-US');
}

/** A size as people read it: 512 B, 2.1 KiB, 1.1 MiB, 3.4 GiB (a cache of one answer was "0.0 of 256 MiB"). */
export function size(bytes: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  // One decimal below ten, none from there (the unit is the precision people read): 9.5 MiB, 256 MiB.
  return `${unit === 0 || value >= 10 ? Math.round(value) : Number(value.toFixed(1))} ${units[unit]}`;
}

/** `1 model`, `3 models`: a count with its noun ("1 models" read as a slip). */
export function counted(n: number, noun: string): string {
  return `${n.toLocaleString('en-US')} ${noun}${n === 1 ? '' : 's'}`;
}

/** A time as people read it, as `switchyard usage tail` says it: 840 ms, 12.4 s, and past a minute 3 min 5 s (a local model's answer takes a minute or two: "84213 ms" is read digit by digit). */
export function duration(ms: number): string {
  if (ms < 1_000) return `${Math.round(ms)} ms`;
  if (ms < 59_950) return `${(ms / 1000).toFixed(1)} s`;
  const seconds = Math.round(ms / 1000);
  return `${Math.floor(seconds / 60)} min ${seconds % 60} s`;
}

export function percent(value: number): string {
  return `${(value * 100).toFixed(value < 0.1 && value > 0 ? 1 : 0)}%`;
}

/** Spend against a limit, as a bar that turns amber at 80% and red at 100%. */
export function Meter({ label, fraction, detail }: { label: string; fraction: number; detail: string }) {
  const tone = fraction >= 1 ? 'bad' : fraction >= 0.8 ? 'warn' : 'ok';
  return (
    <div className="meter" role="meter" aria-label={label} aria-valuemin={0} aria-valuemax={100} aria-valuenow={Math.round(Math.min(fraction, 1) * 100)}>
      <div className="spread"><strong>{label}</strong><span className="muted">{detail}</span></div>
      <div className="meter-track"><div className={`meter-fill ${tone}`} style={{ width: `${Math.min(100, fraction * 100)}%` }} /></div>
    </div>
  );
}

/** A clock time for an ISO instant: today as HH:MM, other days with the date. */
export function when(iso: string | null): string {
  if (!iso) return '';
  const date = new Date(iso);
  const sameDay = date.toDateString() === new Date().toDateString();
  return sameDay ? date.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' }) : date.toLocaleString([], { month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit' });
}

/**
 * A moment in a log: today's as its clock time to the second, another day's with its date before it,
 * on a line of its own where the column is narrow; the whole moment, with the year, as its title.
 */
export function Moment({ at }: { at: number | string }) {
  const date = new Date(at);
  const time = <span className="nowrap">{date.toLocaleTimeString([], { hour: 'numeric', minute: '2-digit', second: '2-digit' })}</span>;
  if (date.toDateString() === new Date().toDateString()) return <span title={date.toLocaleString()}>{time}</span>;
  return <span title={date.toLocaleString()}><span className="nowrap">{date.toLocaleDateString([], { month: 'short', day: 'numeric' })}</span> {time}</span>;
}

/**
 * A table row that opens something, as a button does: clicked, or Enter or Space once it has the
 * focus (Space would otherwise scroll the page).
 */
export function opener(label: string, open: () => void) {
  return {
    className: 'clickable',
    tabIndex: 0,
    'aria-label': label,
    onClick: open,
    onKeyDown: (e: KeyboardEvent) => {
      if (e.key !== 'Enter' && e.key !== ' ') return;
      e.preventDefault();
      open();
    },
  };
}

/** A destructive action: the first click asks, a second one within a few seconds does it. */
export function ConfirmButton({ children, confirm, onConfirm, label }: { children: ReactNode; confirm: string; onConfirm: () => void; label?: string }) {
  const [asking, setAsking] = useState(false);
  useEffect(() => {
    if (!asking) return;
    const timer = setTimeout(() => setAsking(false), 4_000);
    return () => clearTimeout(timer);
  }, [asking]);
  if (!asking) return <button type="button" className="danger" aria-label={label} onClick={() => setAsking(true)}>{children}</button>;
  return (
    <button type="button" className="danger" aria-label={label ? `Confirm: ${label}` : undefined} autoFocus onClick={() => { setAsking(false); onConfirm(); }}>
      {confirm}
    </button>
  );
}

/**
 * A setting name or URL that may wrap where a reader expects it to (after `_`, `.`, `/`, `:`, `=`),
 * never inside a word: `ANTHROPIC_AUTH_TOKEN` breaks into `ANTHROPIC_` `AUTH_` `TOKEN`.
 */
export function Breakable({ text }: { text: string }) {
  const parts = text.split(/(?<=[_./:=-])/);
  return <>{parts.map((part, i) => (i === 0 ? part : [<wbr key={i} />, part]))}</>;
}

/** Text to read or copy whole (a command, a config file, a body): focusable, so a keyboard can scroll a long one. */
export function Snippet({ className, children }: { className?: string; children: ReactNode }) {
  return (
    <pre className={className ? `snippet ${className}` : 'snippet'} tabIndex={0}>
      {children}
    </pre>
  );
}

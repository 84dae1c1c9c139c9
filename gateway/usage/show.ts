/**
 * `switchyard usage show ID`: one request whole, as the Usage page's drawer shows it: its line (as
 * `usage tail` writes it), how it was routed (each deployment considered, why it was skipped or how
 * its attempt ended), and its prompt and answer when the log kept them (`settings.usage.logBodies`).
 * For a server run headless, where the dashboard is a tunnel away. What a client or upstream wrote
 * is made printable, line by line.
 */
import type { Decision } from '../routing/decision';
import { printable } from '../printable';
import type { UsageRow } from '../store/usage-types';
import { tailLine } from './tail';

interface ShownRequest {
  row: UsageRow;
  bodies: { request: string | null; response: string | null } | undefined;
}

export function showJson({ row, bodies }: ShownRequest): string {
  return `${JSON.stringify({ ...row, decision: row.decision ?? null, request: bodies?.request ?? null, answer: bodies?.response ?? null })}\n`;
}

export function showText({ row, bodies }: ShownRequest, now: Date): string {
  const lines = [tailLine(row, now), `id ${row.id}`, ...(row.tool ? [printable(`from ${row.tool}`)] : []), ...(row.session ? [printable(`session ${row.session}`)] : [])];
  lines.push('', ...(row.decision ? routed(row.decision) : ['Not routed: refused before a route was chosen.']));
  if (!bodies) lines.push('', 'Prompt and answer: not kept (they are while settings.usage.logBodies is on).');
  else {
    if (bodies.request !== null) lines.push('', `Request (${bodies.request.length.toLocaleString('en-US')} characters):`, readable(pretty(bodies.request)));
    if (bodies.response !== null) lines.push('', `Answer (${bodies.response.length.toLocaleString('en-US')} characters):`, readable(bodies.response));
  }
  return `${lines.join('\n')}\n`;
}

function routed(decision: Decision): string[] {
  const how = [
    `strategy ${decision.strategy}`,
    ...(decision.direct ? ['a deployment named directly'] : []),
    ...(decision.alias ? [`alias ${decision.alias}`] : []),
    ...(decision.rule ? [`rule ${decision.rule}`] : []),
    ...(decision.sticky ? [`${decision.sticky} first: it answered this session last`] : []),
    ...(decision.cached ? ['answered from the cache'] : []),
  ];
  const width = Math.max(0, ...decision.steps.map((s) => s.deployment.length));
  const steps = decision.steps.map((step) => {
    const detail = [step.reason, step.status, step.ms === undefined ? undefined : `${Math.round(step.ms)} ms`].filter((p) => p !== undefined).join(' ');
    return printable(`  ${step.deployment.padEnd(width)}  ${step.outcome.padEnd(7)}  ${detail}${step.message ? `: ${step.message.slice(0, 300)}` : ''}`).trimEnd();
  });
  return [printable(`Routed by ${decision.route} (${how.join('; ')}):`), ...steps];
}

/** JSON laid out to read; anything else as it is. */
function pretty(text: string): string {
  try {
    return JSON.stringify(JSON.parse(text), null, 2);
  } catch {
    return text;
  }
}

/** Line breaks kept; every other control character, escape sequence or direction override made a space. */
const readable = (text: string) => text.split('\n').map(printable).join('\n');

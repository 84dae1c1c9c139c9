/**
 * `switchyard usage summary`: what the last days cost and saved, per deployment (or route, provider,
 * client key, tool), from the day rollups: a headless gateway's answer to the Usage page, read in the
 * time a few hundred rollup rows take however long the log is.
 */
import { columns, usd } from '../cli-output';
import { printable } from '../printable';
import type { DayZone } from '../store/usage-rollups';
import type { GroupBy, RollupPoint } from '../store/usage-types';

export const SUMMARY_GROUPS = { deployment: 'deployment', route: 'route', provider: 'provider', key: 'clientKey', tool: 'tool' } as const satisfies Record<string, GroupBy>;
export type SummaryGroup = keyof typeof SUMMARY_GROUPS;

export interface SummaryLine {
  /** The deployment (route, provider, key, tool) that answered; null for requests none did. */
  name: string | null;
  requests: number;
  failed: number;
  fellBack: number;
  cached: number;
  inputTokens: number;
  outputTokens: number;
  costUsd: number;
  savedUsd: number;
}

export interface Summary {
  since: number;
  days: number;
  by: SummaryGroup;
  /** The one tool the summary is of, if it is of one. */
  tool?: string;
  lines: SummaryLine[];
  total: SummaryLine;
}

/** The first instant of the day `days - 1` days before `now`'s, in the log's zone: today and the days before it. */
export function summarySince(days: number, now: number, zone: DayZone): number {
  return zone.dayAt(zone.dayAt(now).start - (days - 1) * 86_400_000 + 43_200_000).start;
}

/** The day buckets of each group added up, the busiest first. */
export function summarize(points: readonly RollupPoint[], meta: Omit<Summary, 'lines' | 'total'>): Summary {
  const empty = (name: string | null): SummaryLine => ({ name, requests: 0, failed: 0, fellBack: 0, cached: 0, inputTokens: 0, outputTokens: 0, costUsd: 0, savedUsd: 0 });
  const add = (line: SummaryLine, p: RollupPoint) => {
    line.requests += p.requests;
    line.failed += p.errors;
    line.fellBack += p.fallbacks;
    line.cached += p.cachedRequests;
    line.inputTokens += p.inputTokens;
    line.outputTokens += p.outputTokens;
    line.costUsd += p.cost;
    line.savedUsd += p.saved;
  };
  const groups = new Map<string | null, SummaryLine>();
  const total = empty('total');
  for (const p of points) {
    // The rollups keep "none" as an empty name.
    const name = p.group === '' ? null : p.group;
    let line = groups.get(name);
    if (!line) groups.set(name, (line = empty(name)));
    add(line, p);
    add(total, p);
  }
  const lines = [...groups.values()].sort((a, b) => b.requests - a.requests || Number(a.name === null) - Number(b.name === null) || String(a.name).localeCompare(String(b.name)));
  return { ...meta, lines, total };
}

/** The summary as a table for a terminal: one line per group, then the total. */
export function summaryTable(summary: Summary, zone: string): string {
  // A request no deployment answered was refused or failed, as the Usage page's charts say it.
  const nobody = summary.by === 'deployment' || summary.by === 'provider' ? 'none answered' : summary.by === 'tool' ? 'unnamed' : `no ${summary.by}`;
  const header = [summary.by, 'requests', 'failed', 'fell back', 'cached', 'tokens in', 'tokens out', 'cost', 'saved'];
  const cells = (l: SummaryLine) => [l.name ?? nobody, ...[l.requests, l.failed, l.fellBack, l.cached, l.inputTokens, l.outputTokens].map(count), usd(l.costUsd), usd(l.savedUsd)];
  const from = new Date(summary.since).toLocaleString('sv-SE', { timeZone: zone }).slice(0, 16);
  const title = `Usage${summary.tool ? ` from ${printable(summary.tool)}` : ''} ${summary.days === 1 ? 'today' : `over the last ${summary.days} days`} (since ${from} ${zone}), by ${summary.by}:`;
  if (summary.lines.length === 0) return `${title}\nNo requests.\n`;
  // A request that named a deployment itself has no route, as one refused before routing has none.
  const note = !summary.lines.some((l) => l.name === null) ? '' : summary.by === 'route' ? 'no route: requests that named a deployment itself, and requests refused before routing\n' : summary.by === 'tool' ? 'unnamed: requests whose headers named no tool, and those counted before the rollups kept tools\n' : '';
  return `${title}\n${columns([header, ...summary.lines.map(cells), cells(summary.total)])}\n${note}`;
}

const count = (n: number) => n.toLocaleString('en-US');

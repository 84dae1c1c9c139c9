/**
 * A scrape of `/metrics` read by a parser of Prometheus's text format (parse-prometheus-text-format,
 * ported from the Prometheus Python client's), and held to what the parser lets through (it takes
 * `x{a="b} 1` and `x one`): each line matches the format's grammar
 * (prometheus.io/docs/instrumenting/exposition_formats: names, quoted and escaped label values, a
 * float, `+Inf` or `NaN` for a value), every family is declared once, and no series appears twice. The parser
 * folds a histogram's series into one, losing their labels, so samples are read from a second pass
 * with histograms declared untyped: each `_bucket`, `_sum` and `_count` line then keeps its labels.
 */
import { createRequire } from 'node:module';

interface Family {
  name: string;
  help: string;
  type: 'COUNTER' | 'GAUGE' | 'HISTOGRAM' | 'SUMMARY' | 'UNTYPED';
  metrics: { labels?: Record<string, string>; value?: string }[];
}

const parse = createRequire(import.meta.url)('parse-prometheus-text-format') as (text: string) => Family[];

export interface Scrape {
  /** Each family's type as declared (`COUNTER`, `GAUGE`, `HISTOGRAM`). */
  types: Map<string, string>;
  /** The series of one sample name, such as `x_total` or `x_seconds_bucket`. */
  series(name: string): { labels: Record<string, string>; value: number }[];
  /** The value of the one series of `name` whose labels include `labels`; 0 when there is none. */
  value(name: string, labels?: Record<string, string>): number;
}

const NAME = '[a-zA-Z_:][a-zA-Z0-9_:]*';
const LABEL = '[a-zA-Z_][a-zA-Z0-9_]*="(?:[^"\\\\\\n]|\\\\[\\\\"n])*"';
const VALUE = '(?:[+-]?(?:\\d+\\.?\\d*(?:[eE][+-]?\\d+)?|\\.\\d+(?:[eE][+-]?\\d+)?)|[+-]Inf|NaN)';
const SAMPLE = new RegExp(`^${NAME}(?:\\{(?:${LABEL}(?:,${LABEL})*,?)?\\})? ${VALUE}(?: -?\\d+)?$`);
const HELP = new RegExp(`^# HELP ${NAME} [^\\n]*$`);
const TYPE = new RegExp(`^# TYPE ${NAME} (?:counter|gauge|histogram|summary|untyped)$`);

/**
 * Throws on the first line that is not a sample, HELP or TYPE line of the format (nothing else is
 * written here), and on a series written twice (the parser keeps one of the two without a word).
 */
function checkGrammar(text: string): void {
  if (!text.endsWith('\n')) throw new Error('the text does not end with a line feed');
  const series = new Set<string>();
  for (const line of text.slice(0, -1).split('\n')) {
    if (HELP.test(line) || TYPE.test(line)) continue;
    if (!SAMPLE.test(line)) throw new Error(`not a line of the text format: ${JSON.stringify(line)}`);
    const name = line.slice(0, line.lastIndexOf(' '));
    if (series.has(name)) throw new Error(`${name} appears twice`);
    series.add(name);
  }
}

export function parseMetrics(text: string): Scrape {
  checkGrammar(text);
  const types = new Map<string, string>();
  for (const family of parse(text)) {
    if (types.has(family.name)) throw new Error(`${family.name} is declared twice`);
    types.set(family.name, family.type);
  }
  const samples = new Map<string, { labels: Record<string, string>; value: number }[]>();
  for (const family of parse(text.replace(/^# TYPE (\S+) histogram$/gm, '# TYPE $1 untyped'))) {
    const list = samples.get(family.name) ?? [];
    for (const m of family.metrics) list.push({ labels: m.labels ?? {}, value: Number(m.value) });
    samples.set(family.name, list);
  }
  const series = (name: string) => samples.get(name) ?? [];
  return {
    types,
    series,
    value(name, labels = {}) {
      const matches = series(name).filter((s) => Object.entries(labels).every(([k, v]) => s.labels[k] === v));
      if (matches.length > 1) throw new Error(`${name} ${JSON.stringify(labels)} matches ${matches.length} series`);
      return matches[0]?.value ?? 0;
    },
  };
}

/**
 * The serving process itself, under the names every Prometheus client library gives it
 * (`process_*`, and prom-client's `nodejs_*`), so the dashboards and alerts written for those
 * (CPU, memory, open descriptors, event-loop lag) work on Switchyard unchanged. Read at the scrape:
 * nothing here runs per request.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { monitorEventLoopDelay, type IntervalHistogram } from 'node:perf_hooks';

export interface ProcessFigures {
  cpuUserSeconds: number;
  cpuSystemSeconds: number;
  residentBytes: number;
  heapUsedBytes: number;
  heapTotalBytes: number;
  externalBytes: number;
  /** Linux only (`/proc/self/fd`): undefined elsewhere, and then no series is written. */
  openFds: number | undefined;
  maxFds: number | undefined;
  /** The event loop's delay since the scrape before, in seconds; undefined at the first scrape. */
  eventLoopLag: { p50: number; p90: number; p99: number; max: number } | undefined;
  nodeVersion: string;
}

interface ProcessMeter {
  read(): ProcessFigures;
  close(): void;
}

/**
 * The event-loop monitor starts at the first scrape, not with the process: a gateway nobody scrapes
 * pays nothing for it. Each scrape reads the delays since the one before and starts over, as
 * prom-client does, so a stall shows in the scrape that follows it. (Node's monitor measures from
 * its first tick after a reset: a stall that begins within 10 ms of a scrape is not seen.)
 */
export function createProcessMeter(): ProcessMeter {
  let loop: IntervalHistogram | undefined;
  return {
    read() {
      const cpu = process.cpuUsage();
      const memory = process.memoryUsage();
      const lag = loop && loop.count > 0 ? { p50: loop.percentile(50) / 1e9, p90: loop.percentile(90) / 1e9, p99: loop.percentile(99) / 1e9, max: loop.max / 1e9 } : undefined;
      if (loop) loop.reset();
      else {
        loop = monitorEventLoopDelay({ resolution: 10 });
        loop.enable();
      }
      return {
        cpuUserSeconds: cpu.user / 1e6,
        cpuSystemSeconds: cpu.system / 1e6,
        residentBytes: memory.rss,
        heapUsedBytes: memory.heapUsed,
        heapTotalBytes: memory.heapTotal,
        externalBytes: memory.external,
        ...descriptors(),
        eventLoopLag: lag,
        nodeVersion: process.versions.node,
      };
    },
    close() {
      loop?.disable();
    },
  };
}

/** Open descriptors and their limit, where the system shows them (Linux's /proc). */
function descriptors(): { openFds: number | undefined; maxFds: number | undefined } {
  try {
    // The listing holds the descriptor it was read through: not one of the gateway's.
    const openFds = readdirSync('/proc/self/fd').length - 1;
    const limit = /^Max open files\s+(\d+)/m.exec(readFileSync('/proc/self/limits', 'utf8'));
    return { openFds, maxFds: limit ? Number(limit[1]) : undefined };
  } catch {
    return { openFds: undefined, maxFds: undefined };
  }
}

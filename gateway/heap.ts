/**
 * How far V8's heap may grow in a process that hosts the gateway: its old generation between full
 * collections, and its young generation while the gateway loads and starts.
 *
 * By default V8 lets the old generation grow to about 2.5 times what was live after the last full
 * collection: right for a short job that trades memory for speed. The gateway stays resident beside
 * an editor and a local model, and every request promotes a few hundred bytes to the old generation
 * (whatever is in flight when a scavenge lands), so under load its old generation swung between ~28
 * and ~70 MiB and the process peaked at 1.4-1.75x the bare forwarder's RSS. Capping the growth at
 * 1.5x (side by side, 64 connections): peak 165 MiB against 180-198, for about 2% more CPU per
 * request (medians of five alternating runs: 87.7 against 85.2 us). At 1.3x (the factor V8 uses when
 * it sets out to save memory) the peak fell a little further, to 160, but the more frequent full
 * collections cost ~7% CPU per request.
 */
import { setFlagsFromString } from 'node:v8';

/** Call once, before the gateway starts, in the process that hosts it (the CLI's serve, the desktop main process). */
export function keepHeapCompact(): void {
  setFlagsFromString('--heap-growing-percent=50');
}

/**
 * Call before the gateway's code loads and starts. V8 doubles its young generation (where new
 * objects go) whenever many survive a collection, and loading and starting the gateway (the
 * bundle's sources, the code cache's buffers, migrations, the first health checks) doubled it from
 * 1 to 16 MiB, resident with its garbage (the code cache's 3.5 MiB of buffers among it) until V8's
 * memory reducer, 15 to 25 s into an idle start, shrank it back. Held, the start leaves it at 4 MiB
 * (what the CLI's entry grew it to first), and the idle process is at its smallest within 10 s:
 * side by side, RSS 10 s after start 81 against 98 MiB, ready as fast.
 */
export function holdYoungGeneration(): void {
  setFlagsFromString('--semi-space-growth-factor=1');
}

/**
 * Call once the gateway listens: held under load, the young generation fills and is collected
 * several times as often (a long CLI export took a fifth longer held), so from then on it grows as
 * V8 grows it by default (factor 2).
 */
export function releaseYoungGeneration(): void {
  setFlagsFromString('--semi-space-growth-factor=2');
}

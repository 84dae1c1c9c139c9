/**
 * Reads a callgrind dump (written with `--compress-strings=no --compress-pos=no`) into self cost
 * per part of the process: where its instructions went, by library and by what V8 names its
 * builtins and runtime functions. JIT-compiled JavaScript has no symbols for valgrind; it is one
 * part, named through V8's perf map (`--perf-basic-prof`) when one is given.
 */
import { existsSync, readFileSync } from 'node:fs';

export const PARTS = [
  'JavaScript (JIT-compiled and interpreted)',
  'V8 compiling (warm-up: near nothing once the count settles)',
  'SQLite (better-sqlite3)',
  'JSON (V8 parse and stringify)',
  'garbage collection',
  'V8 builtins (property access, calls, strings, regexps, promises)',
  'HTTP parsing (llhttp)',
  'Node and V8 in C++ (bindings, runtime, streams, sockets)',
  'libc and other libraries (malloc, memcpy)',
] as const;
export type Part = (typeof PARTS)[number];

const COMPILER = /v8::internal::compiler::|maglev::|turboshaft::|v8::internal::(?:Parser|Scanner|PreParser|interpreter::BytecodeGenerator|Compiler::|OptimizingCompileDispatcher)/;
const GC = /Scaveng|MarkCompact|Marking|Sweeper|Evacuat|heap::base::|cppgc|Heap::(?:Collect|Scavenge|Allocate|Iterate|Update|Reclaim)|RecordWrite|GCTracer|LocalHeap|ConcurrentMarking/;

function partOf(object: string, fn: string): Part {
  if (object === '???' || fn.startsWith('JS:') || fn.startsWith('LazyCompile:') || fn.startsWith('Function:') || /Builtins_Interpreter|BytecodeHandler|Builtins_.*Handler$/.test(fn)) return PARTS[0];
  if (COMPILER.test(fn)) return PARTS[1];
  if (object.endsWith('better_sqlite3.node')) return PARTS[2];
  if (/Json/.test(fn)) return PARTS[3];
  if (GC.test(fn)) return PARTS[4];
  if (fn.startsWith('Builtins_')) return PARTS[5];
  if (fn.startsWith('llhttp')) return PARTS[6];
  if (object.endsWith('/node') || object.endsWith('/nodejs')) return PARTS[7];
  return PARTS[8];
}

/** JIT code ranges from V8's perf map (`/tmp/perf-PID.map`: `start size name` in hex), sorted by start. */
function perfMap(file: string | undefined): { starts: number[]; ends: number[]; names: string[] } {
  const map = { starts: [] as number[], ends: [] as number[], names: [] as string[] };
  if (!file || !existsSync(file)) return map;
  const entries = readFileSync(file, 'utf8')
    .split('\n')
    .map((line) => /^([0-9a-f]+) ([0-9a-f]+) (.*)$/.exec(line))
    .filter((m): m is RegExpExecArray => m !== null)
    .map((m) => [Number.parseInt(m[1] as string, 16), Number.parseInt(m[2] as string, 16), m[3] as string] as const)
    .sort((a, b) => a[0] - b[0]);
  for (const [start, size, name] of entries) {
    map.starts.push(start);
    map.ends.push(start + size);
    map.names.push(name);
  }
  return map;
}

function nameAt(map: ReturnType<typeof perfMap>, address: number): string | undefined {
  let lo = 0;
  let hi = map.starts.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if ((map.starts[mid] as number) <= address) lo = mid + 1;
    else hi = mid - 1;
  }
  return hi >= 0 && address < (map.ends[hi] as number) ? map.names[hi] : undefined;
}

export interface Profile {
  /** Instructions in the dump. */
  total: number;
  byPart: Record<Part, number>;
  /** Self cost per function, named through the perf map where V8 wrote one. */
  byFunction: Map<string, number>;
}

/** Self cost by part and by function; a line costing a call (after `calls=`) is the callee's, not counted again. */
export function readDump(file: string, perfMapFile?: string): Profile {
  const map = perfMap(perfMapFile);
  const byPart = Object.fromEntries(PARTS.map((p) => [p, 0])) as Record<Part, number>;
  const byFunction = new Map<string, number>();
  let object = '';
  let fn = '';
  let named = '';
  let part: Part = PARTS[0];
  let callCost = false;
  let total = 0;
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    if (line.startsWith('ob=')) object = line.slice(3);
    else if (line.startsWith('fn=')) {
      fn = line.slice(3);
      const address = /^0x([0-9a-f]+)$/.exec(fn)?.[1];
      named = (address && nameAt(map, Number.parseInt(address, 16))) || fn;
      part = partOf(object, named);
    } else if (line.startsWith('calls=')) callCost = true;
    else if (line.startsWith('summary:')) total = Number(line.slice(8));
    else {
      const cost = /^[+-]?\d+ (\d+)$/.exec(line)?.[1];
      if (cost === undefined) continue;
      if (callCost) {
        callCost = false;
        continue;
      }
      byPart[part] += Number(cost);
      byFunction.set(named, (byFunction.get(named) ?? 0) + Number(cost));
    }
  }
  return { total, byPart, byFunction };
}

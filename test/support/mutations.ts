/**
 * Seeded mutation of well-formed JSON bodies, for the attack runs: a part replaced by a value of
 * another type, removed, wrapped in an array, or given an odd member. Seeded (a linear congruence),
 * so a failing run repeats.
 */
export function draws(seed: number) {
  let state = seed;
  const next = () => (state = (state * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff;
  const pick = <T>(values: readonly T[]): T => values[Math.floor(next() * values.length)] as T;
  return { next, pick };
}
export type Draws = ReturnType<typeof draws>;
/** The attack runs' seed: fixed, so CI repeats itself; SWITCHYARD_TEST_SEED draws another run by hand. */
export const testSeed = (): number => Number(process.env.SWITCHYARD_TEST_SEED ?? 20261202);

const deep = (n: number): unknown => (n === 0 ? 'x' : n % 2 === 0 ? [deep(n - 1)] : { a: deep(n - 1) });
/** Values of every JSON type, edge numbers, long and broken strings, deep nesting. */
export const ODD_VALUES: readonly (() => unknown)[] = [
  () => null, () => true, () => 0, () => -1, () => 1e308, () => 1.5, () => '', () => 'x', () => 'x'.repeat(20_000), () => [], () => ({}), () => [null],
  () => deep(40), () => ['a', 1, null], () => ({ type: 'text', text: 'q' }), () => ({ type: 'weird' }), () => '{"a":', () => '\u0000\ud800',
];

/** Every path into a JSON value, the root's included. */
function paths(value: unknown, at: (string | number)[] = [], out: (string | number)[][] = []): (string | number)[][] {
  out.push(at);
  if (Array.isArray(value)) value.forEach((v, i) => paths(v, [...at, i], out));
  else if (value && typeof value === 'object') for (const [k, v] of Object.entries(value)) paths(v, [...at, k], out);
  return out;
}

export interface MutationOptions {
  /** Values to put in place of a part (ODD_VALUES by default). */
  values?: readonly (() => unknown)[];
  /** Members to add to an object. */
  members?: readonly string[];
  /** Paths to leave alone while others remain (the model, which would make most requests a 404). */
  spare?: (path: (string | number)[]) => boolean;
}

/** The body, changed in place in one or two parts; the root itself may be replaced. */
export function mutated(body: unknown, draw: Draws, options: MutationOptions = {}): unknown {
  const { values = ODD_VALUES, members = ['type', 'role', 'content', 'text', 'id', 'name', 'input', 'arguments'], spare = () => false } = options;
  const holder: Record<string | number, unknown> = { root: body };
  const changes = draw.next() < 0.7 ? 1 : 2;
  for (let i = 0; i < changes; i++) {
    const parts = paths(holder).filter((p) => p.length > 0);
    if (parts.length === 0) break;
    const others = parts.filter((p) => !spare(p.slice(1)));
    const path = draw.pick(others.length > 0 ? others : parts);
    const parent = path.slice(0, -1).reduce<unknown>((node, key) => (node as Record<string | number, unknown>)[key], holder) as Record<string | number, unknown>;
    const key = path[path.length - 1] as string | number;
    const roll = draw.next();
    if (roll < 0.55) parent[key] = draw.pick(values)();
    else if (roll < 0.7) Array.isArray(parent) ? parent.splice(Number(key), 1) : delete parent[key];
    else if (roll < 0.85) parent[key] = [parent[key]];
    else if (parent[key] && typeof parent[key] === 'object' && !Array.isArray(parent[key])) (parent[key] as Record<string, unknown>)[draw.pick(members)] = draw.pick(values)();
  }
  return holder.root;
}

/**
 * A value that fits no branch of a union gets one error from each branch, and the first (all a
 * reader would see) is often from a branch the value was never meant for: `input: []` was told it
 * "must be string" where an array of strings is allowed but must not be empty. This keeps the errors
 * of the branch the value's kind chose, or says every kind the union takes when none did.
 */

/** A schema error as TypeBox (and ajv) reports it. */
export interface SchemaError {
  keyword: string;
  instancePath: string;
  /** Where in the schema it failed: a union's branch errors are told apart by it. */
  schemaPath?: string | undefined;
  params: unknown;
  message?: string | undefined;
}

const BRANCH = '/anyOf/';

/**
 * The errors with each union's branch errors replaced by the chosen branch's (or by one error that
 * lists the kinds allowed). TypeBox reports a union's branch errors just before the union's own
 * `anyOf` error, so each union gathers the run of kept errors right behind it: nested unions are
 * settled first, and each error is moved at most once per union around it.
 */
export function chooseUnionBranches(errors: readonly SchemaError[]): SchemaError[] {
  const kept: SchemaError[] = [];
  const settled = new Set<SchemaError>();
  for (const error of errors) {
    if (error.keyword === 'anyOf' && error.schemaPath !== undefined) settle(kept, error, settled);
    else kept.push(error);
  }
  // TypeBox stops at its eighth error: a union whose own error never came (an array of many bad
  // items fills the list first) is settled on the branch errors that did, which end the list.
  const open = kept.find((error) => !settled.has(error) && error.schemaPath?.includes(BRANCH));
  if (open?.schemaPath) {
    const schemaPath = open.schemaPath.slice(0, open.schemaPath.indexOf(BRANCH));
    const run = kept.slice(kept.indexOf(open)).filter((error) => error.schemaPath?.startsWith(`${schemaPath}${BRANCH}`));
    const instancePath = run.reduce((shortest, error) => (error.instancePath.length < shortest.length ? error.instancePath : shortest), open.instancePath);
    settle(kept, { keyword: 'anyOf', schemaPath, instancePath, params: {} }, settled, false);
  }
  return kept;
}

/** Puts in place of the union's run of branch errors at the end of `kept` what `choose` keeps, or the run and (`own`) the union's error. */
function settle(kept: SchemaError[], union: SchemaError, settled: Set<SchemaError>, own = true): void {
  const prefix = `${union.schemaPath}${BRANCH}`;
  let start = kept.length;
  while (start > 0 && inside(kept[start - 1] as SchemaError, prefix, union.instancePath)) start -= 1;
  const run = kept.slice(start);
  const replacement = choose(groupByBranch(run, prefix), union, own) ?? (own ? [...run, union] : run);
  kept.splice(start, run.length, ...replacement);
  for (const error of replacement) settled.add(error);
}

function inside(error: SchemaError, prefix: string, instancePath: string): boolean {
  return error.schemaPath !== undefined && error.schemaPath.startsWith(prefix) && (error.instancePath === instancePath || error.instancePath.startsWith(`${instancePath}/`));
}

function groupByBranch(errors: SchemaError[], prefix: string): SchemaError[][] {
  const branches = new Map<string, SchemaError[]>();
  for (const error of errors) {
    const index = (error.schemaPath as string).slice(prefix.length).split('/', 1)[0] as string;
    const list = branches.get(index) ?? [];
    list.push(error);
    branches.set(index, list);
  }
  return [...branches.values()];
}

/**
 * The errors to keep in place of a union's, or undefined to leave them as they are. `complete`:
 * every branch reported; a list cut short may lack the very branches a kinds list would name.
 */
function choose(branches: SchemaError[][], union: SchemaError, complete: boolean): SchemaError[] | undefined {
  // A union of constants: its errors list the allowed values, which the messages say as one list.
  if (branches.every(isLiteral)) return undefined;
  const fitting = branches.filter((branch) => !wrongKind(branch, union.instancePath) && !otherVariant(branch, union.instancePath));
  if (fitting.length === 0) return complete && branches.every((branch) => wrongKind(branch, union.instancePath)) ? [kindsAllowed(branches, union.instancePath)] : undefined;
  // The branch that went furthest into the value is the one it was meant for: `[[1.5]]` is an
  // array of token arrays with a bad token, not an array of strings whose first is wrong.
  const deepest = Math.max(...fitting.map(depth));
  const furthest = fitting.filter((branch) => depth(branch) === deepest);
  const at = furthest[0]?.[0]?.instancePath as string;
  return complete && furthest.length > 1 && furthest.every((branch) => wrongKind(branch, at)) ? [kindsAllowed(furthest, at)] : furthest[0];
}

const depth = (branch: SchemaError[]) => Math.max(...branch.map((error) => error.instancePath.split('/').length));

/** One error for branches that each wanted another kind of value at `at`: every kind they take. */
function kindsAllowed(branches: SchemaError[][], at: string): SchemaError {
  const kinds = [...new Set(branches.flatMap(([error]) => {
    const type = (error?.params as { type?: unknown } | undefined)?.type;
    return Array.isArray(type) ? type : [type];
  }))];
  return { keyword: 'type', instancePath: at, params: { type: kinds }, message: `must be ${kinds.length > 1 ? `${kinds.slice(0, -1).join(', ')} or ${kinds.at(-1)}` : String(kinds[0])}` };
}

/** A branch that is one constant: its errors are the value's kind and the constant (or null's kind). */
const isLiteral = (branch: SchemaError[]) =>
  branch.every((error) => error.keyword === 'const' || error.keyword === 'enum' || error.keyword === 'type') &&
  (branch.some((error) => error.keyword === 'const' || error.keyword === 'enum') || (branch.length === 1 && (branch[0]?.params as { type?: unknown } | undefined)?.type === 'null'));

/** The value is not of the kind this branch takes at all (a number where it takes an array). */
const wrongKind = (branch: SchemaError[], at: string) => branch.length === 1 && branch[0]?.keyword === 'type' && branch[0].instancePath === at;

/** The value is an object of another variant: its `type` names a different one. */
const otherVariant = (branch: SchemaError[], at: string) =>
  branch.some((error) => error.instancePath === `${at}/type` && (error.keyword === 'const' || error.keyword === 'enum' || error.keyword === 'pattern' || error.keyword === 'anyOf'));

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
  for (const error of errors) {
    if (error.keyword !== 'anyOf' || error.schemaPath === undefined) {
      kept.push(error);
      continue;
    }
    const prefix = `${error.schemaPath}${BRANCH}`;
    let start = kept.length;
    while (start > 0 && inside(kept[start - 1] as SchemaError, prefix, error.instancePath)) start -= 1;
    const branches = groupByBranch(kept.slice(start), prefix);
    const chosen = choose(branches, error);
    if (chosen) kept.splice(start, kept.length - start, ...chosen);
    else kept.push(error);
  }
  return kept;
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

/** The errors to keep in place of a union's, or undefined to leave them as they are. */
function choose(branches: SchemaError[][], union: SchemaError): SchemaError[] | undefined {
  // A union of constants: its errors list the allowed values, which the messages say as one list.
  if (branches.every((branch) => branch.every(isLiteral))) return undefined;
  const fitting = branches.filter((branch) => !wrongKind(branch, union.instancePath) && !otherVariant(branch, union.instancePath));
  if (fitting.length === 0) return branches.every((branch) => wrongKind(branch, union.instancePath)) ? [kindsAllowed(branches, union.instancePath)] : undefined;
  // The branch that went furthest into the value is the one it was meant for: `[[1.5]]` is an
  // array of token arrays with a bad token, not an array of strings whose first is wrong.
  const deepest = Math.max(...fitting.map(depth));
  const furthest = fitting.filter((branch) => depth(branch) === deepest);
  const at = furthest[0]?.[0]?.instancePath as string;
  return furthest.length > 1 && furthest.every((branch) => wrongKind(branch, at)) ? [kindsAllowed(furthest, at)] : furthest[0];
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

const isLiteral = (error: SchemaError) =>
  error.keyword === 'const' || error.keyword === 'enum' || (error.keyword === 'type' && (error.params as { type?: unknown } | undefined)?.type === 'null');

/** The value is not of the kind this branch takes at all (a number where it takes an array). */
const wrongKind = (branch: SchemaError[], at: string) => branch.length === 1 && branch[0]?.keyword === 'type' && branch[0].instancePath === at;

/** The value is an object of another variant: its `type` names a different one. */
const otherVariant = (branch: SchemaError[], at: string) =>
  branch.some((error) => error.instancePath === `${at}/type` && (error.keyword === 'const' || error.keyword === 'enum' || error.keyword === 'pattern' || error.keyword === 'anyOf'));

/**
 * Numbers typed into a form, as the API takes them: empty is unset, and text that is no number is
 * named for its field rather than sent. JSON writes NaN as null, and a merge patch reads null as
 * "remove": a typo in a settings field once put it back to its default with "Saved" beside it.
 */
export function numberReader() {
  /** Each field's problem, by the path the API's errors name it with (so the form shows both alike). */
  const typos: Record<string, string> = {};
  const read = (path: string, text: string): number | undefined => {
    const trimmed = text.trim();
    if (trimmed === '') return undefined;
    const value = Number(trimmed);
    if (!Number.isFinite(value)) typos[path] = `"${trimmed}" is not a number`;
    return value;
  };
  return { read, typos, ok: () => Object.keys(typos).length === 0 };
}

/**
 * Where a hand-edited JSON file first goes wrong, for the person editing it: the line and column, and
 * in words what is there that JSON does not have (a comma after the last item, a comment, single
 * quotes) or what is missing. V8's own message gives a character offset only.
 */
import { parse, printParseErrorCode, type ParseError } from 'jsonc-parser';

/** By jsonc-parser's names for its codes (a const enum, which this build cannot read). */
const WORDS: Record<string, string> = {
  InvalidCommentToken: 'a comment, which JSON does not have',
  UnexpectedEndOfComment: 'a comment is not closed (its */ is missing)',
  CommaExpected: 'a comma is missing before this',
  ColonExpected: 'a colon (:) is missing after the name before this',
  CloseBraceExpected: 'a } is missing: an object is not closed',
  CloseBracketExpected: 'a ] is missing: a list is not closed',
  UnexpectedEndOfString: 'a string is not closed on its line',
  PropertyNameExpected: 'a name in double quotes was expected',
  ValueExpected: 'a value was expected',
  InvalidSymbol: 'a character JSON does not have here (strings and names take double quotes)',
  EndOfFileExpected: 'more after the end of the JSON value',
};

/**
 * "line 3, column 5: ..." for the first problem in `text`, or undefined when it is valid JSON.
 * `jsonc`: comments and a comma after the last item are allowed (tools' settings files take them).
 */
export function jsonProblem(text: string, jsonc = false): string | undefined {
  const errors: ParseError[] = [];
  parse(text, errors, { allowTrailingComma: jsonc, disallowComments: !jsonc });
  const first = errors[0];
  if (!first) return undefined;
  if (text.trim() === '') return 'the file is empty';
  const before = text.slice(0, first.offset).trimEnd();
  // A comma before } or ] is said where the comma is, not where the parser stopped.
  if ((text[first.offset] === '}' || text[first.offset] === ']') && before.endsWith(',')) return `${where(text, before.length - 1)}: a comma after the last item, which JSON does not allow`;
  const code = printParseErrorCode(first.error);
  return `${where(text, first.offset)}: ${WORDS[code] ?? code}`;
}

function where(text: string, offset: number): string {
  const lineStart = text.lastIndexOf('\n', offset - 1) + 1;
  return `line ${text.slice(0, lineStart).split('\n').length}, column ${offset - lineStart + 1}`;
}

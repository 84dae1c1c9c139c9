/**
 * Which branch of a union a refused value is told about: the one its kind chose, every kind the
 * union takes when none did, the constants of a union of constants, and the branch errors that came
 * when the validator's list ended before the union's own error.
 */
import Type from 'typebox';
import { Compile } from 'typebox/compile';
import { expect, it } from 'vitest';
import { describeSchemaErrors, schemaErrorsOf } from '../../gateway/config/schema-errors';

const Input = Type.Union([Type.String(), Type.Array(Type.String(), { minItems: 1 }), Type.Array(Type.Array(Type.Integer()), { minItems: 1 })]);
const Tool = Type.Union([
  Type.Object({ type: Type.Literal('function'), name: Type.String({ minLength: 1 }) }),
  Type.Object({ type: Type.String({ pattern: '^(?!function$)' }) }),
]);
const Body = Type.Object({
  input: Type.Optional(Input),
  tools: Type.Optional(Type.Array(Tool)),
  role: Type.Optional(Type.Union([Type.Literal('user'), Type.Literal('assistant')])),
  temperature: Type.Optional(Type.Union([Type.Number(), Type.Null()])),
  list: Type.Optional(Type.Union([Type.String(), Type.Array(Type.Object({ type: Type.String() }))])),
});
const check = Compile(Body);
const said = (value: unknown) => describeSchemaErrors(schemaErrorsOf(check, value), value).map((issue) => `${issue.path} ${issue.message}`);

it("tells a value about the branch its kind chose, or every kind when none did", () => {
  expect(said({ input: [] })).toEqual(['input must not have fewer than 1 items (got [])']);
  expect(said({ input: 5 })).toEqual(['input must be string or array (got 5)']);
  expect(said({ input: [5] })).toEqual(['input[0] must be string or array (got 5)']);
  expect(said({ input: [[1.5]] })).toEqual(['input[0][0] must be integer (got 1.5)']);
  expect(said({ temperature: 'hot' })).toEqual(['temperature must be number or null (got "hot")']);
});

it('tells an object about the variant its type names, and a constant about every constant', () => {
  expect(said({ tools: [{ type: 'function' }] })).toEqual(['tools[0].name is required']);
  expect(said({ role: 5 })).toEqual(['role must be "user" or "assistant" (got 5)']);
  expect(said({ role: 'wizard' })).toEqual(['role must be "user" or "assistant" (got "wizard")']);
});

it('settles a union whose own error never came on the branch errors that did, without naming kinds it may lack', () => {
  // 60 bad items fill the list (50 errors) before the union says which branch was meant.
  expect(said({ list: Array.from({ length: 60 }, () => ({ type: 5 })) })[0]).toBe('list[0].type must be string (got 5)');
});

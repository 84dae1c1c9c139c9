/**
 * Response schemas as the serializer compiles them: unions with null and unions of constants are
 * rewritten so fast-json-stringify compiles no validator to choose a branch (which cost ~70 ms on
 * /health's first answer, in the gateway's time to ready), and every value is written as before.
 */
import fastJson from 'fast-json-stringify';
import Type from 'typebox';
import { describe, expect, it } from 'vitest';
import { withoutBranchChoices } from '../../gateway/http/compilers';
import { HealthReportSchema } from '../../gateway/surfaces/health/schema';

const Row = Type.Object({
  name: Type.String(),
  note: Type.Union([Type.String(), Type.Null()]),
  count: Type.Union([Type.Integer(), Type.Null()]),
  mode: Type.Union([Type.Literal('auto'), Type.Literal('off'), Type.Null()]),
  probe: Type.Union([Type.Object({ ok: Type.Boolean(), models: Type.Union([Type.Array(Type.String()), Type.Null()]) }), Type.Null()]),
  either: Type.Union([Type.String(), Type.Number()]),
});
const List = Type.Object({ rows: Type.Array(Row), byName: Type.Record(Type.String(), Row) });

const rows = [
  { name: 'a', note: null, count: null, mode: null, probe: null, either: 'x' },
  { name: 'b', note: 'said', count: 3, mode: 'auto', probe: { ok: true, models: ['m1', 'm2'] }, either: 2 },
  { name: 'c', note: 'with "quotes"', count: 0, mode: 'off', probe: { ok: false, models: null }, either: 'y', extra: 'left out' },
];

describe('response schemas for the serializer', () => {
  it('write every value as the schema as written would', () => {
    const asWritten = fastJson(structuredClone(List) as never);
    const rewritten = fastJson(withoutBranchChoices(structuredClone(List)) as never);
    const value = { rows, byName: Object.fromEntries(rows.map((r) => [r.name, r])) };
    expect(rewritten(value)).toBe(asWritten(value));
    expect(JSON.parse(rewritten(value)).rows[2]).not.toHaveProperty('extra');
  });

  it("leave the health report no union to choose a branch of, and keep real choices (a string or a number)", () => {
    const count = (schema: unknown) => (JSON.stringify(schema).match(/"anyOf"/g) ?? []).length;
    expect(count(HealthReportSchema)).toBeGreaterThan(20);
    expect(count(withoutBranchChoices(HealthReportSchema))).toBe(0);
    expect(count(withoutBranchChoices(Row))).toBe(1);
  });
});

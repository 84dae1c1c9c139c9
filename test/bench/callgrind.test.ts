import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { PARTS, readDump } from '../../bench/callgrind';

const dir = mkdtempSync(join(tmpdir(), 'switchyard-callgrind-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("the instruction count's reading of a callgrind dump", () => {
  it("counts each instruction once, by the function that ran it, in a dump valgrind wrote (a call's line is the callee's, not the caller's)", () => {
    const out = join(dir, 'ls.out');
    const run = spawnSync('valgrind', ['--tool=callgrind', '--compress-strings=no', '--compress-pos=no', '--dump-instr=no', `--callgrind-out-file=${out}`, '/bin/ls', '/'], { encoding: 'utf8', timeout: 60_000 });
    expect(run.status, `valgrind (Debian's package) must be installed: ${run.error?.message ?? run.stderr}`).toBe(0);
    const total = Number(/I\s+refs:\s+([\d,]+)/.exec(run.stderr)?.[1]?.replaceAll(',', ''));

    const profile = readDump(out);
    expect(profile.total).toBe(total);
    const byFunction = [...profile.byFunction.values()].reduce((a, b) => a + b, 0);
    const byPart = Object.values(profile.byPart).reduce((a, b) => a + b, 0);
    expect(byFunction).toBe(total);
    expect(byPart).toBe(total);
    // ls is C: its instructions are in libc, the loader and ls itself (and a few in code valgrind
    // has no object for, which a Node process's JIT code also is), none in V8's or Node's parts.
    for (const part of PARTS.slice(1, -1)) expect(profile.byPart[part], part).toBe(0);
    expect(profile.byPart[PARTS[8]]).toBeGreaterThan(0.99 * total);
    expect(profile.byFunction.get('_int_malloc')).toBeGreaterThan(0);
  });

  it("sorts Node's instructions into parts by library and V8's names, and names JIT code from V8's perf map", () => {
    // What callgrind writes for a Node process (its format with names uncompressed), trimmed to one function of each part.
    const dump = join(dir, 'node.out');
    writeFileSync(
      dump,
      [
        '# callgrind format',
        'version: 1',
        'positions: line',
        'events: Ir',
        'summary: 1100',
        '',
        'ob=???',
        'fl=???',
        'fn=0x0000000000001010',
        '0 200',
        'cob=/usr/bin/node',
        'cfi=???',
        'cfn=Builtins_JsonParse',
        'calls=2 0',
        '0 100',
        'ob=/usr/bin/node',
        'fn=Builtins_JsonParse',
        '0 100',
        'fn=v8::internal::compiler::GraphReducer::ReduceTop()',
        '0 60',
        'fn=heap::base::SlotCallbackResult v8::internal::Scavenger::ScavengeObject()',
        '0 50',
        'fn=Builtins_KeyedLoadIC_Megamorphic',
        '0 70',
        'fn=llhttp__internal_execute',
        '0 30',
        'fn=node::StreamBase::WriteBuffer()',
        '0 250',
        'ob=/work/main/node_modules/better-sqlite3/build/Release/better_sqlite3.node',
        'fn=sqlite3VdbeExec',
        '0 300',
        'ob=/usr/lib/x86_64-linux-gnu/libc.so.6',
        'fn=malloc',
        '0 40',
        '',
        'totals: 1100',
        '',
      ].join('\n'),
    );
    const map = join(dir, 'perf.map');
    writeFileSync(map, '1000 40 JS:*handler /work/main/out/main/chunks/server.cjs:10:3\n2000 10 JS:*other x.js:1:1\n');

    const { byPart, byFunction } = readDump(dump, map);
    expect(byPart).toEqual({
      [PARTS[0]]: 200,
      [PARTS[1]]: 60,
      [PARTS[2]]: 300,
      [PARTS[3]]: 100,
      [PARTS[4]]: 50,
      [PARTS[5]]: 70,
      [PARTS[6]]: 30,
      [PARTS[7]]: 250,
      [PARTS[8]]: 40,
    });
    expect(byFunction.get('JS:*handler /work/main/out/main/chunks/server.cjs:10:3')).toBe(200);
    expect(readDump(dump).byFunction.get('0x0000000000001010')).toBe(200);
  });
});

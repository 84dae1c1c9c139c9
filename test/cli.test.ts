/** The built CLI's commands that end: check, import/export, history, keys, argument errors (usage export: cli-usage-export.test.ts). */
import { spawn, spawnSync } from 'node:child_process';
import { cpSync, existsSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openDatabase } from '../gateway/store/db';
import { baseEnv, config, dir, onCleanup, run, serve, useCliCleanups, writeJson } from './support/cli';

useCliCleanups();

describe('the built CLI', () => {
  it('runs from the bundle alone: no TypeScript sources and no loader at run time', async () => {
    // What an installed app has: bin/, the build in out/, package.json and its dependencies.
    const root = join(import.meta.dirname, '..');
    const install = dir();
    for (const part of ['bin', 'out', 'package.json']) cpSync(join(root, part), join(install, part), { recursive: true });
    symlinkSync(join(root, 'node_modules'), join(install, 'node_modules'));
    const file = writeJson(join(install, 'ok.json'), config);
    const checked = spawnSync(process.execPath, [join(install, 'bin', 'switchyard.js'), 'check', file], { env: baseEnv(), encoding: 'utf8', timeout: 20_000 });
    expect(checked.stderr).toBe('');
    expect(checked.stdout).toContain('is valid');
    const data = dir();
    const child = spawn(process.execPath, [join(install, 'bin', 'switchyard.js'), 'serve', '--port', '0', '--data-dir', data], { env: baseEnv() });
    onCleanup(() => {
      if (child.exitCode === null) child.kill('SIGKILL');
    });
    let output = '';
    const url = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`serve did not start:\n${output}`)), 15_000);
      child.stdout.on('data', (d) => {
        output += d;
        const match = /Health:\s+(\S+)/.exec(output);
        if (match?.[1]) {
          clearTimeout(timer);
          resolve(match[1]);
        }
      });
    });
    expect((await fetch(url)).status).toBe(200);
    // The UI it serves is the build beside it.
    expect(await fetch(url.replace('/health', '/'), { headers: { accept: 'text/html' } }).then((r) => r.text())).toContain('<div id="root">');
  });
});

describe('argument errors', () => {
  it('names an unknown option or a bad port, shows the usage, and exits 2 without a stack trace', () => {
    const unknown = run(['serve', '--bogus', '--data-dir', dir()]);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/^Unknown option --bogus: switchyard serve takes only --host, --port, --data-dir, --config\.\n\nSwitchyard /);
    // One a letter or two off one the command reads is named; with no command, Node's words.
    expect(run(['serve', '--prot', '0', '--data-dir', dir()]).stderr).toMatch(/^Unknown option --prot \(did you mean --port\?\): switchyard serve takes only /);
    expect(run(['usage', 'tail', '--line', '5', '--data-dir', dir()]).stderr).toMatch(/^Unknown option --line \(did you mean --lines\?\): switchyard usage tail takes only --data-dir, --format, --lines, /);
    expect(run(['frobnicate', '--bogus']).stderr).toMatch(/^Unknown option '--bogus'\.\n\nSwitchyard /);
    expect(unknown.stderr).not.toContain('    at ');
    const missing = run(['export', '--data-dir']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/^--data-dir needs a value: --data-dir VALUE\n\nSwitchyard /);
    expect(run(['--data-dir', dir()])).toMatchObject({ code: 2, stderr: expect.stringMatching(/^Name a command before --data-dir\.\n\nSwitchyard /) });
    expect(run(['serv'])).toMatchObject({ code: 2, stderr: expect.stringMatching(/^Unknown command "serv": did you mean "serve"\?\n\nSwitchyard /) });
    expect(run(['frobnicate']).stderr).toMatch(/^Unknown command "frobnicate"\.\n/);
    // Followed by another option, Node calls it "ambiguous" over three lines: it is the same mistake.
    expect(run(['serve', '--port', '--data-dir', dir()]).stderr).toMatch(/^--port needs a value: --port VALUE\n\nSwitchyard /);
    // A negative number after an option reads as an option to Node: the way to write it is said.
    expect(run(['usage', 'tail', '--lines', '-1', '--data-dir', dir()]).stderr).toMatch(/^--lines -1: a value that starts with a dash is written --lines=-1\n\nSwitchyard /);
    expect(run(['usage', 'tail', '--follow=yes', '--data-dir', dir()]).stderr).toMatch(/^--follow takes no value\n\nSwitchyard /);
    const words = run(['keys', 'create', 'my', 'editor', '--data-dir', dir()]);
    expect(words.code).toBe(2);
    expect(words.stderr).toMatch(/^switchyard keys takes at most 2 words after its name, not also "editor" \(a name with a space in it needs quotes\)\.\n\nSwitchyard /);
    expect(run(['serve', 'now', '--data-dir', dir()]).stderr).toMatch(/^switchyard serve takes no words after its name, not also "now"/);
    // An option the command does not read is said, not ignored (a filter that filters nothing).
    const stray = run(['usage', 'export', '--route', 'coder', '--data-dir', dir()]);
    expect(stray.code).toBe(2);
    expect(stray.stderr).toMatch(/^switchyard usage export does not read --route: it takes only --data-dir, --format, --since, --session, --tool\.\n\nSwitchyard /);
    expect(run(['keys', 'list', '--rpm', '5', '--data-dir', dir()]).stderr).toMatch(/^switchyard keys does not read --rpm: it takes only --data-dir\./);
    expect(run(['check', 'x.json', '--data-dir', dir()]).stderr).toMatch(/^switchyard check does not read --data-dir: it takes no options\./);
    // --version alone or anywhere prints the version, and `serve --version` starts no gateway.
    for (const args of [['--version'], ['-v'], ['version'], ['serve', '--version', '--port', '0', '--data-dir', dir()]]) {
      expect(run(args), args.join(' ')).toMatchObject({ code: 0, stdout: `switchyard ${JSON.parse(readFileSync(join(import.meta.dirname, '..', 'package.json'), 'utf8')).version}\n`, stderr: '' });
    }
    // --help anywhere shows how commands are written; `serve --help` starts no gateway.
    const help = run(['serve', '--help', '--port', '0', '--data-dir', dir()]);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/^Switchyard .*\n\nUsage:/);
    const port = run(['login-link', '--port', '99999', '--data-dir', dir()]);
    expect(port.code).toBe(2);
    expect(port.stderr).toBe('Invalid port "99999": give a number from 0 to 65535\n');
  });

  it('writes no URL with a port no tool can call (0, or a SWITCHYARD_PORT that is not a port), and issues no token for it', () => {
    const data = dir();
    openDatabase(data).close();
    expect(run(['login-link', '--data-dir', data]).stdout).toMatch(/^http:\/\/127\.0\.0\.1:7788\/\?token=/);
    const zero = run(['login-link', '--port', '0', '--data-dir', data]);
    expect(zero.code).toBe(2);
    expect(zero.stderr).toBe('--port "0" cannot be in a URL: give the port the gateway listens on, 1 to 65535 ("switchyard serve" prints it)\n');
    const typo = run(['login-link', '--data-dir', data], { SWITCHYARD_PORT: '77 88' });
    expect(typo.code).toBe(2);
    expect(typo.stderr).toMatch(/^SWITCHYARD_PORT "77 88" cannot be in a URL/);
    const home = dir();
    const connect = run(['connect', 'codex', '--data-dir', data], { SWITCHYARD_PORT: 'abc', HOME: home, CODEX_HOME: join(home, '.codex') });
    expect(connect.code).toBe(2);
    expect(connect.stderr).toMatch(/^SWITCHYARD_PORT "abc" cannot be in a URL/);
    expect(existsSync(join(home, '.codex'))).toBe(false);
    expect(run(['login-link', '--data-dir', data], { SWITCHYARD_PORT: '8080' }).stdout).toMatch(/^http:\/\/127\.0\.0\.1:8080\/\?token=/);
    // No gateway serves the data dir: the link is printed, and the note says whose links it takes.
    expect(run(['login-link', '--data-dir', data]).stderr).toBe(`Note: no gateway is serving ${data} now. The link works, within 24 h, for one started on it; a gateway started with another --data-dir takes links issued with its own.\n`);
    // Only the three links printed above were issued.
    const db = openDatabase(data);
    expect(db.prepare('SELECT COUNT(*) AS n FROM admin_tokens').get()).toEqual({ n: 3 });
    db.close();
  });

  it('says why a data dir or an address cannot be used, without a stack trace', () => {
    const file = join(dir(), 'not-a-dir');
    writeFileSync(file, '');
    for (const args of [['serve', '--port', '0'], ['keys', 'create', 'x']]) {
      const refused = run([...args, '--data-dir', file]);
      expect(refused.code).toBe(1);
      expect(refused.stderr).toBe(`Cannot use the data dir ${file}: a part of the path is a file, not a directory (${join(file, 'switchyard.db')}). Choose another with --data-dir or SWITCHYARD_HOME.\n`);
    }
    const damaged = dir();
    writeFileSync(join(damaged, 'switchyard.db'), 'x'.repeat(4096));
    const notADatabase = run(['serve', '--port', '0', '--data-dir', damaged]);
    expect(notADatabase.code).toBe(1);
    expect(notADatabase.stderr).toContain('is not a Switchyard database');
    // An address of no interface of this machine (TEST-NET-1, RFC 5737).
    const elsewhere = run(['serve', '--port', '0', '--host', '192.0.2.1', '--data-dir', dir()]);
    expect(elsewhere.code).toBe(1);
    expect(elsewhere.stderr).toContain("Cannot listen on 192.0.2.1:0: that address is not one of this machine's.");
    expect(elsewhere.stderr).not.toContain('    at ');
  });

  it('creates no data dir for a command that only reads one, and says the dir holds none', () => {
    const missing = join(dir(), 'typo');
    // A login link too: a row in a database no gateway ever served, which the one the user meant refuses.
    for (const args of [['export'], ['history'], ['usage', 'export'], ['keys', 'list'], ['connect'], ['login-link']]) {
      const result = run([...args, '--data-dir', missing]);
      expect(result.code).toBe(1);
      expect(result.stderr).toContain(`There is no Switchyard data in ${missing} (no switchyard.db)`);
    }
    expect(existsSync(missing)).toBe(false);
  });
});

describe('switchyard check', () => {
  it('accepts a valid file', () => {
    const file = writeJson(join(dir(), 'ok.json'), config);
    const result = run(['check', file]);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('is valid: 2 providers, 2 deployments, 1 route\n');
  });

  it('rejects an invalid file, naming each field and value', () => {
    const bad = structuredClone(config);
    bad.deployments[0]!.timeWindows![0]!.start = '25:00';
    bad.routes[0]!.deployments.push('ghost');
    const result = run(['check', writeJson(join(dir(), 'bad.json'), bad)]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('deployments[0].timeWindows[0].start: "25:00" is not a time in HH:MM form');
    expect(result.stderr).toContain('routes[0].deployments[2]: no deployment is named "ghost"');
  });

  it('says plainly when the file is not JSON', () => {
    const file = join(dir(), 'x.json');
    writeFileSync(file, '{ nope');
    const result = run(['check', file]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('is not valid JSON');
    // A file that is not there, or a directory, in words rather than a syscall's.
    const missing = join(dir(), 'none.json');
    expect(run(['check', missing])).toMatchObject({ code: 1, stderr: `There is no file ${missing}\n` });
    const folder = dir();
    expect(run(['import', folder, '--data-dir', dir()])).toMatchObject({ code: 1, stderr: `${folder} is a directory: name the config file in it\n` });
  });
});

describe('switchyard import and export', () => {
  it('round-trips a config exactly, with secrets as env references only', () => {
    const data = dir();
    const file = writeJson(join(data, 'in.json'), config);
    expect(run(['import', file, '--data-dir', data]).code).toBe(0);
    const exported = run(['export', '--data-dir', data], { OPENAI_API_KEY: 'sk-very-secret' });
    expect(exported.code).toBe(0);
    expect(JSON.parse(exported.stdout)).toEqual(config);
    expect(exported.stdout).not.toContain('sk-very-secret');

    // Export then import gives the same gateway.
    const again = writeJson(join(data, 'again.json'), JSON.parse(exported.stdout));
    expect(run(['import', again, '--data-dir', data]).code).toBe(0);
    expect(JSON.parse(run(['export', '--data-dir', data]).stdout)).toEqual(config);
  });

  it('leaves the stored config untouched when an import is invalid', () => {
    const data = dir();
    run(['import', writeJson(join(data, 'in.json'), config), '--data-dir', data]);
    const bad = { ...config, routes: [{ name: 'default', deployments: [] }] };
    const result = run(['import', writeJson(join(data, 'bad.json'), bad), '--data-dir', data]);
    expect(result.code).toBe(1);
    expect(JSON.parse(run(['export', '--data-dir', data]).stdout)).toEqual(config);
  });

  it('lists every applied config and restores an earlier one as a new revision', () => {
    const data = dir();
    run(['import', writeJson(join(data, 'a.json'), config), '--data-dir', data]);
    const smaller = { ...config, routes: [{ name: 'only-mini', deployments: ['mini'] }] };
    run(['import', writeJson(join(data, 'b.json'), smaller), '--data-dir', data]);
    const listed = run(['history', '--data-dir', data]).stdout.trim().split('\n');
    expect(listed).toHaveLength(2);
    expect(listed[0]).toMatch(/^\*\s+2  \d{4}-\d\d-\d\d \d\d:\d\d:\d\d  import .*b\.json$/);
    expect(listed[1]).toMatch(/^\s+1  \d{4}-\d\d-\d\d \d\d:\d\d:\d\d  import .*a\.json$/);
    expect(run(['restore', '1', '--data-dir', data])).toMatchObject({ code: 0, stdout: expect.not.stringContaining('Renamed') });
    expect(JSON.parse(run(['export', '--data-dir', data]).stdout)).toEqual(config);
    expect(run(['history', '--data-dir', data]).stdout).toMatch(/^\*\s+3  \d{4}-\d\d-\d\d \d\d:\d\d:\d\d  restore 1$/m);
    const missing = run(['restore', '99', '--data-dir', data]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('There is no config revision 99');
  });

  it('says whether local only is on and switches it, as a revision a running gateway applies', async () => {
    const data = dir();
    run(['import', writeJson(join(data, 'a.json'), config), '--data-dir', data]);
    expect(run(['local-only', '--data-dir', data]).stdout).toBe('Local only is off\n');
    const { baseUrl } = await serve(['--port', '0', '--data-dir', data]);
    const refusal = () =>
      fetch(`${baseUrl}/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ model: 'mini', messages: [{ role: 'user', content: 'hi' }] }) })
        .then((r) => r.json())
        .then((b: { error: { message: string } }) => b.error.message);
    expect(run(['local-only', 'on', '--data-dir', data]).code).toBe(0);
    expect(JSON.parse(run(['export', '--data-dir', data]).stdout).settings).toEqual({ localOnly: true });
    expect(run(['history', '--data-dir', data]).stdout).toMatch(/^\*\s+\d+  \d{4}-\d\d-\d\d \d\d:\d\d:\d\d  local only on$/m);
    await expect.poll(refusal, { timeout: 6000, interval: 250 }).toContain('local only');
    expect(run(['local-only', '--data-dir', data]).stdout).toBe('Local only is on: no request goes to a cloud provider\n');
    const wrong = run(['local-only', 'maybe', '--data-dir', data]);
    expect(wrong.code).toBe(2);
    expect(wrong.stderr).toContain('say "on" or "off"');
  });

  it('honours SWITCHYARD_HOME as the data dir', () => {
    const data = dir();
    run(['import', writeJson(join(data, 'in.json'), config)], { SWITCHYARD_HOME: data });
    expect(JSON.parse(run(['export'], { SWITCHYARD_HOME: data }).stdout)).toEqual(config);
  });
});


describe('client keys against a running gateway', () => {
  it('refuses a key limited to a route that does not exist (says so when none can be checked yet), and names a route an import dropped', () => {
    // Before any config is stored the names cannot be checked: the key is made, and that is said.
    const fresh = dir();
    const early = run(['keys', 'create', 'early', '--routes', 'defualt', '--data-dir', fresh]);
    expect(early.code).toBe(0);
    expect(early.stderr).toContain(`No config is stored in ${fresh} yet, so --routes defualt was not checked`);
    const home = dir();
    const connect = run(['connect', 'codex', '--route', 'defualt', '--dry-run', '--data-dir', fresh], { HOME: home, CODEX_HOME: join(home, '.codex') });
    expect(connect.code).toBe(0);
    expect(connect.stderr).toBe(`No config is stored in ${fresh} yet, so --route defualt was not checked against its routes.\n`);
    const data = dir();
    run(['import', writeJson(join(data, 'c.json'), config), '--data-dir', data]);
    const typo = run(['keys', 'create', 'ci', '--routes', 'default,defualt', '--data-dir', data]);
    expect(typo.code).toBe(1);
    expect(typo.stderr).toBe('--routes: no route, deployment or alias is named "defualt" (did you mean "default"?)\n');
    const none = run(['keys', 'list', '--data-dir', data]);
    expect(none.stdout).toBe('');
    expect(none.stderr).toBe('No client keys yet: make one with "switchyard keys create NAME".\n');

    // A route the next import renames, nothing else of it changed, takes the key along, and the import says so.
    expect(run(['keys', 'create', 'ci', '--routes', 'default', '--data-dir', data]).code).toBe(0);
    const renamed = run(['import', writeJson(join(data, 'renamed.json'), { ...config, routes: [{ ...config.routes[0], name: 'main' }] }), '--data-dir', data]);
    expect(renamed.stdout).toContain('\nRenamed route default to main: client keys limited to it, its budgets and its probe history go on under the new name\n');
    expect(run(['keys', 'list', '--data-dir', data])).toMatchObject({ stdout: expect.stringMatching(/^ci\tsy-\S+\.\.\.\tactive\tno limit\tmain\n$/), stderr: '' });
    // One the next import drops (another route in its place) is named when the keys are listed (the key fails closed for it).
    const other = run(['import', writeJson(join(data, 'other.json'), { ...config, routes: [{ name: 'remote', deployments: ['mini'] }] }), '--data-dir', data]);
    expect(other.stdout).not.toContain('Renamed');
    const listed = run(['keys', 'list', '--data-dir', data]);
    expect(listed.stdout).toMatch(/^ci\tsy-\S+\.\.\.\tactive\tno limit\tmain\n$/);
    expect(listed.stderr).toBe('Key "ci" names "main", which the config no longer has: requests for it with this key are refused.\n');
  });

  it('honours keys created and revoked by the CLI while it runs', async () => {
    const data = dir();
    const required = { ...config, settings: { clientKeys: { required: true } } };
    const { baseUrl } = await serve(['--port', '0', '--data-dir', data, '--config', writeJson(join(data, 'c.json'), required)]);
    const status = (token: string) =>
      fetch(`${baseUrl}/chat/completions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: JSON.stringify({ model: 'default', messages: [{ role: 'user', content: 'hi' }] }),
      }).then((r) => r.status);
    const created = run(['keys', 'create', 'tool', '--data-dir', data]);
    expect(created.code).toBe(0);
    const key = /sy-[A-Za-z0-9_-]+/.exec(created.stdout)?.[0] as string;
    expect(key).toBeDefined();
    // Admitted: whatever the upstreams do next, it is not a 401.
    await expect.poll(() => status(key), { timeout: 6000, interval: 250 }).not.toBe(401);
    expect(run(['keys', 'revoke', 'tool', '--data-dir', data]).code).toBe(0);
    await expect.poll(() => status(key), { timeout: 6000, interval: 250 }).toBe(401);
  });
});

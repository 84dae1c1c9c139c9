// Loads the built gateway (out/main: CommonJS entries and the chunks they share) with V8's code
// cache, which Node 20 offers only through vm.Script (Node 22's module.enableCompileCache is the
// same idea built in). Compiling the bundle's 3.6 MB was a fifth of `serve`'s start; a chunk's
// cache, written the first time it loads, lets later starts skip most of it (about 130 ms of 590
// here, side by side). V8 refuses a cache made for another V8 or other flags, and the chunk then
// compiles as usual and its cache is written again; but it takes one made for other source of the
// same length, and runs the old code: a cache is named for its source's CRC-32, as Node's own
// compile cache is, and carries its own, as a cache cut short or damaged on disk would otherwise
// reach V8 (which checks neither in a release build). The caches live beside the code
// they are for, so whoever could change them could change the code itself; where that folder is not
// writable (a shared install), nothing is cached and nothing fails.
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { basename, dirname, join, resolve } from 'node:path';
import vm from 'node:vm';
import { crc32 } from 'node:zlib';

/** Runs `entry` (a built CommonJS file) and returns its exports; SWITCHYARD_CODE_CACHE=off compiles everything afresh. */
export function requireBuilt(entry) {
  const cache = process.env.SWITCHYARD_CODE_CACHE !== 'off';
  // Inside the build's own folder, which the next build empties.
  const cacheDir = join(dirname(entry), '.code-cache');
  const loaded = new Map();
  const load = (file) => {
    const known = loaded.get(file);
    if (known) return known.exports;
    const bytes = readFileSync(file);
    const source = bytes.toString('utf8');
    const cacheFile = join(cacheDir, `${basename(file)}.${crc32(bytes).toString(16)}.v8`);
    const cachedData = cache ? readCache(cacheFile) : undefined;
    const script = new vm.Script(`(function (exports, require, module, __filename, __dirname) {${source}\n})`, {
      filename: file,
      cachedData,
      importModuleDynamically: vm.constants.USE_MAIN_CONTEXT_DEFAULT_LOADER,
    });
    const module = { exports: {} };
    loaded.set(file, module);
    const nodeRequire = createRequire(file);
    // The bundle's own files come through here too (a chunk may need its entry, `../cli.cjs`: as
    // Node loads it, that entry and what it needs would run a second time, as other modules);
    // packages and Node's modules as Node loads them.
    const require = (id) => (/^\.\.?\//.test(id) && id.endsWith('.cjs') ? load(resolve(dirname(file), id)) : nodeRequire(id));
    require.resolve = nodeRequire.resolve;
    script.runInThisContext().call(module.exports, module.exports, require, module, file, dirname(file));
    // Made once the chunk has run: its cache then holds what its loading compiled, not only its top level.
    if (cache && (!cachedData || script.cachedDataRejected)) writeCache(cacheFile, script.createCachedData());
    return module.exports;
  };
  return load(resolve(entry));
}

/** The cache, if the file holds one whole: its CRC-32, then its bytes. */
function readCache(file) {
  let bytes;
  try {
    bytes = readFileSync(file);
  } catch {
    return undefined;
  }
  const data = bytes.subarray(4);
  return bytes.length > 4 && bytes.readUInt32BE(0) === crc32(data) ? data : undefined;
}

/** Written aside, then renamed: a process starting meanwhile reads a whole cache or none. */
function writeCache(file, data) {
  const aside = `${file}.${process.pid}`;
  const sum = Buffer.alloc(4);
  sum.writeUInt32BE(crc32(data));
  try {
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(aside, Buffer.concat([sum, data]));
    renameSync(aside, file);
  } catch {
    // A folder this user cannot write: the next start compiles as this one did.
  }
}

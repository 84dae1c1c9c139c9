// Loads the built gateway (out/main: CommonJS entries and the chunks they share) with V8's code
// cache, which Node 20 offers only through vm.Script (Node 22's module.enableCompileCache is the
// same idea built in). Compiling the bundle's 3.6 MB was a fifth of `serve`'s start; a chunk's
// cache, written the first time it loads, lets later starts skip most of it (about 100 ms of 500
// here, side by side). V8 refuses a cache made for other source, another V8 or other flags, and
// the chunk then compiles as usual and its cache is written again. The caches live beside the code
// they are for, so whoever could change them could change the code itself; where that folder is not
// writable (a shared install), nothing is cached and nothing fails.
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { basename, dirname, join, resolve } from 'node:path';
import vm from 'node:vm';

/** Runs `entry` (a built CommonJS file) and returns its exports; SWITCHYARD_CODE_CACHE=off compiles everything afresh. */
export function requireBuilt(entry) {
  const cache = process.env.SWITCHYARD_CODE_CACHE !== 'off';
  // Inside the build's own folder, which the next build empties.
  const cacheDir = join(dirname(entry), '.code-cache');
  const loaded = new Map();
  const load = (file) => {
    const known = loaded.get(file);
    if (known) return known.exports;
    const cacheFile = join(cacheDir, `${basename(file)}.v8`);
    const cachedData = cache ? readCache(cacheFile) : undefined;
    const script = new vm.Script(`(function (exports, require, module, __filename, __dirname) {${readFileSync(file, 'utf8')}\n})`, {
      filename: file,
      cachedData,
      importModuleDynamically: vm.constants.USE_MAIN_CONTEXT_DEFAULT_LOADER,
    });
    const module = { exports: {} };
    loaded.set(file, module);
    const nodeRequire = createRequire(file);
    // The bundle's own chunks come through here too; packages and Node's modules as Node loads them.
    const require = (id) => (id.startsWith('./') && id.endsWith('.cjs') ? load(resolve(dirname(file), id)) : nodeRequire(id));
    require.resolve = nodeRequire.resolve;
    script.runInThisContext().call(module.exports, module.exports, require, module, file, dirname(file));
    // Made once the chunk has run: its cache then holds what its loading compiled, not only its top level.
    if (cache && (!cachedData || script.cachedDataRejected)) writeCache(cacheFile, script.createCachedData());
    return module.exports;
  };
  return load(resolve(entry));
}

function readCache(file) {
  try {
    return readFileSync(file);
  } catch {
    return undefined;
  }
}

/** Written aside, then renamed: a process starting meanwhile reads a whole cache or none. */
function writeCache(file, data) {
  const aside = `${file}.${process.pid}`;
  try {
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(aside, data);
    renameSync(aside, file);
  } catch {
    // A folder this user cannot write: the next start compiles as this one did.
  }
}

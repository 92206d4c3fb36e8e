#!/usr/bin/env node
// Checks every publishable package the way a consumer's tools will see it. Needs a build first.
// - publint (package.json, exports, files) and @arethetypeswrong/cli (types resolve under node16 ESM and bundlers);
// - the tarball itself (the file list `npm pack` would publish), see scripts/tarball-check.mjs:
//   a LICENSE with the one Apache-2.0 text; no file that nothing reaches from the `exports`/`bin`/`main`/`types`
//   entry points (walking imports, .d.ts references and source maps); every source map's `sources` inside the
//   installed package and present in the tarball (or embedded in `sourcesContent`).
import { execFileSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { checkTarball, listTarball } from './tarball-check.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const bin = (name) => `${root}node_modules/.bin/${name}`;

/**
 * Problems known today whose fix lies outside this script's owner (each names the fix). They are printed, not
 * failed on; `CHECK_PACKAGES_STRICT=1` fails on them too. A known problem that no longer occurs is reported so
 * that its entry can be deleted.
 */
/** Problems known and accepted for now, each with its fix; none today. Shape: { package, match, fix }. */
const KNOWN = [];
const strict = process.env['CHECK_PACKAGES_STRICT'] === '1';

let failed = false;
const seenKnown = new Set();
for (const name of readdirSync(`${root}packages`)) {
  const dir = `${root}packages/${name}`;
  for (const [tool, args] of [
    ['publint', ['--strict']],
    // CommonJS consumers cannot require an ESM-only package on Node 20; ESM and bundlers are what we support.
    ['attw', ['--pack', '.', '--profile', 'esm-only', '--format', 'table-flipped']],
  ]) {
    try {
      execFileSync(bin(tool), args, { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'], encoding: 'utf8' });
      console.log(`ok   ${tool} ${name}`);
    } catch (error) {
      failed = true;
      console.error(`FAIL ${tool} ${name}\n${error.stdout ?? ''}${error.stderr ?? ''}`);
    }
  }

  const tarball = listTarball(dir);
  const { problems, summary } = checkTarball(dir, tarball.files);
  const unexpected = [];
  let knownHere = 0;
  for (const problem of problems) {
    const known = KNOWN.find((entry) => entry.package === tarball.name && entry.match.test(problem));
    if (known && !strict) {
      if (!seenKnown.has(known)) console.warn(`known ${tarball.name}: ${problem} (and others like it)\n      fix: ${known.fix}`);
      seenKnown.add(known);
      knownHere += 1;
    } else unexpected.push(problem);
  }
  if (unexpected.length > 0) {
    failed = true;
    console.error(`FAIL tarball ${name} (${tarball.name}):\n${unexpected.map((problem) => `  - ${problem}`).join('\n')}`);
  } else console.log(`ok   tarball ${name}: ${knownHere > 0 ? `${knownHere} known problem(s) above, otherwise ` : ''}${summary}`);
}
for (const entry of KNOWN) {
  if (!seenKnown.has(entry) && !strict) console.log(`note: the known problem of ${entry.package} is gone; delete its entry in scripts/check-packages.mjs: ${entry.match}`);
}
process.exit(failed ? 1 : 0);

// A Vitest reporter (after the others in vitest.config.ts and the package scripts): when tests were skipped for
// a missing external tool (tools.ts), ends the run with one line naming the tools and the install command:
//   skipped 23 tests: missing skopeo, podman (install: sudo apt-get install -y skopeo podman)
// Nothing when no test was skipped for a tool.
import type { Reporter, TestModule, Vitest } from 'vitest/node';
import { EXTERNAL_TOOLS, MISSING_MARKER, REQUIRE_TOOLS_VARIABLE, installCommand } from './tools.ts';

/**
 * The closing line for the tests skipped for missing tools.
 *
 * @param titles - the full titles of the skipped tests (with their describes').
 * @returns the line, or `undefined` when none was skipped for a missing tool.
 */
export function missingToolsLine(titles: Iterable<string>): string | undefined {
  let count = 0;
  const missing = new Set<string>();
  for (const title of titles) {
    const markers = [...title.matchAll(new RegExp(MISSING_MARKER, 'g'))];
    if (markers.length === 0) continue;
    count += 1;
    for (const [, names = ''] of markers) for (const name of names.split(', ')) missing.add(name);
  }
  if (count === 0) return undefined;
  const ordered = EXTERNAL_TOOLS.map((tool) => tool.name).filter((name) => missing.has(name));
  return `skipped ${count} test${count === 1 ? '' : 's'}: missing ${ordered.join(', ')} (install: ${installCommand(ordered)}; ${REQUIRE_TOOLS_VARIABLE}=1 makes this a failure)`;
}

/**
 * Prints {@link missingToolsLine} at the end of the run. Vitest calls the reporters' `onTestRunEnd` together, and
 * the JSON reporter logs after writing its file; so `vitest run` prints the line as the process exits (a
 * synchronous write on Linux), to be the last line. Watch mode prints it after each run.
 */
export default class MissingToolsReporter implements Reporter {
  #watch = false;

  onInit(vitest: Vitest): void {
    this.#watch = vitest.config.watch;
  }

  onTestRunEnd(testModules: readonly TestModule[]): void {
    const skipped = testModules.flatMap((module) => [...module.children.allTests('skipped')].map((test) => test.fullName));
    const line = missingToolsLine(skipped);
    if (line === undefined) return;
    if (this.#watch) console.log(line);
    else process.once('exit', () => console.log(line));
  }
}

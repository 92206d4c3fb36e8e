// The programs outside Node and npm that some tests run (skopeo, podman, the AWS CLI...; the list and their
// Debian packages are in external-tools.json). A test that needs some declares it at its describe (or it):
//
//   const tools = needTools('skopeo', 'docker-registry');
//   describe.skipIf(tools.skip)(tools.title('what it proves'), () => { ... });
//
// A missing tool skips the tests, with the tool in their title; missing-tools-reporter.ts ends the run with one
// line naming every missing tool and the command that installs them. With ECR_AUTH_REQUIRE_TOOLS=1 (.ci/run
// sets it) a missing tool fails the test file instead, naming the tool and its package.
import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';
import list from './external-tools.json' with { type: 'json' };

/** One external program (an entry of external-tools.json). */
export interface ExternalTool {
  /** The command name. */
  name: string;
  /** The exact file the tests run; else the first `name` on PATH. */
  path?: string;
  /** The Debian package that installs it. */
  apt?: string;
  /** How to get it where no Debian package has it. */
  install?: string;
  /** What it is, when the name does not say. */
  about?: string;
}

/** Every external program the tests may run. */
export const EXTERNAL_TOOLS: readonly ExternalTool[] = list.tools;

/** The names of {@link EXTERNAL_TOOLS}, in its order (scripts/external-tools.test.ts checks they agree). */
export const TOOL_NAMES = ['skopeo', 'podman', 'buildah', 'docker', 'docker-registry', 'htpasswd', 'openssl', 'aws', 'newuidmap', 'kubectl'] as const;

/** The name of one of {@link EXTERNAL_TOOLS}. */
export type ToolName = (typeof TOOL_NAMES)[number];

/** The variable that turns a skip for a missing tool into a failure (set by `.ci/run`). */
export const REQUIRE_TOOLS_VARIABLE = 'ECR_AUTH_REQUIRE_TOOLS';

/** The marker a skipped test's title carries: `[skipped: missing skopeo, podman]` (read by the reporter). */
export const MISSING_MARKER = /\[skipped: missing ([^\]]+)\]/;

function tool(name: string): ExternalTool {
  const found = EXTERNAL_TOOLS.find((entry) => entry.name === name);
  if (!found) throw new Error(`test-support/tools.ts: ${name} is not in external-tools.json`);
  return found;
}

function executable(file: string): boolean {
  try {
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/**
 * Where a tool is: its fixed path when it has one, else the first match on PATH.
 *
 * @param name - the tool.
 * @returns the executable's path, or `undefined` when it is not installed.
 */
export function toolPath(name: ToolName): string | undefined {
  const entry = tool(name);
  const candidates = entry.path ? [entry.path] : (process.env['PATH'] ?? '').split(delimiter).filter(Boolean).map((dir) => join(dir, name));
  return candidates.find(executable);
}

/**
 * The command that installs these tools: one `apt-get install` for those with a Debian package, then the
 * others' own instructions.
 *
 * @param names - the tools.
 * @returns e.g. `sudo apt-get install -y skopeo awscli`.
 */
export function installCommand(names: readonly string[]): string {
  const entries = names.map(tool);
  const packages = [...new Set(entries.flatMap((entry) => (entry.apt ? [entry.apt] : [])))];
  const sudo = process.getuid?.() === 0 ? '' : 'sudo ';
  const parts = packages.length > 0 ? [`${sudo}apt-get install -y ${packages.join(' ')}`] : [];
  for (const entry of entries) if (!entry.apt && entry.install) parts.push(entry.install);
  return parts.join('; ');
}

/** What {@link needTools} found. */
export interface ToolsCheck {
  /** The tools that are not installed. */
  missing: readonly ToolName[];
  /** Whether to skip (some tool is missing, and ECR_AUTH_REQUIRE_TOOLS is not set). */
  skip: boolean;
  /**
   * The describe's or test's title: as given, or with `[skipped: missing X, Y]` appended when skipping.
   *
   * @param title - the title.
   * @returns the title to use.
   */
  title(title: string): string;
}

/**
 * Declares that a describe (or test) runs these tools. Use its result with `describe.skipIf(check.skip)(
 * check.title('...'), ...)`. With ECR_AUTH_REQUIRE_TOOLS=1 a missing tool throws here, failing the test file
 * with the tool's name and package.
 *
 * @param names - the tools the tests run.
 * @returns whether to skip, and the title to use.
 */
export function needTools(...names: ToolName[]): ToolsCheck {
  const missing = names.filter((name) => toolPath(name) === undefined);
  if (missing.length > 0 && process.env[REQUIRE_TOOLS_VARIABLE] === '1') {
    const where = missing.map((name) => `${name} (${tool(name).path ?? 'on PATH'})`).join(', ');
    throw new Error(`${REQUIRE_TOOLS_VARIABLE}=1, and these tests need tools that are not installed: ${where}; install: ${installCommand(missing)}`);
  }
  const skip = missing.length > 0;
  return { missing, skip, title: (title) => (skip ? `${title} [skipped: missing ${missing.join(', ')}]` : title) };
}

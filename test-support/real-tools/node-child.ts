import { nodeExecutableFor, runProcess } from '../process.ts';
import { fileURLToPath } from 'node:url';

/** The `node` arguments that let a child process import this repository's TypeScript sources by package name. */
export const TS_NODE_ARGS: readonly string[] = [
  '--conditions=ecr-auth-source',
  '--import',
  fileURLToPath(new URL('./ts-loader-register.mjs', import.meta.url)),
];

/**
 * Where children cache transpiled sources (keyed by path and content, so never stale): under the root
 * `node_modules/.cache`, like other tools' caches.
 */
export const TS_CACHE_DIR = fileURLToPath(new URL('../../node_modules/.cache/ecr-auth-ts-loader', import.meta.url));

/** What a child process did. */
export interface ChildOutcome {
  /** Exit code (`null` when killed by a signal). */
  code: number | null;
  /** The signal that killed it, if any. */
  signal: NodeJS.Signals | null;
  /** Its stdout. */
  stdout: string;
  /** Its stderr. */
  stderr: string;
}

/** Options of {@link runNodeScript}. */
export interface NodeScriptOptions {
  /** The child's environment. Default `process.env`. */
  env?: NodeJS.ProcessEnv;
  /** Run as this user id (needs root). */
  uid?: number;
  /** Run as this group id (needs root). */
  gid?: number;
  /** Kill the child after this many milliseconds. Default 30 000. */
  timeoutMs?: number;
  /** Text written to stdin. */
  stdin?: string;
}

/**
 * Runs a TypeScript (or JavaScript) file in a fresh `node` process that can import the workspace packages from
 * their sources (the `ecr-auth-source` condition). Resolves when it exits; never rejects on a non-zero exit.
 *
 * @param script - absolute path of the script.
 * @param args - its arguments.
 * @param options - see {@link NodeScriptOptions}.
 * @returns its exit status and output.
 */
export async function runNodeScript(script: string, args: readonly string[] = [], options: NodeScriptOptions = {}): Promise<ChildOutcome> {
  const { status, signal, stdout, stderr } = await runProcess(nodeExecutableFor(options.uid), [...TS_NODE_ARGS, script, ...args], {
    env: { ECR_AUTH_TS_CACHE: TS_CACHE_DIR, ...(options.env ?? process.env) },
    uid: options.uid,
    gid: options.gid,
    timeoutMs: options.timeoutMs ?? 30_000,
    input: options.stdin,
  });
  return { code: status, signal, stdout, stderr };
}

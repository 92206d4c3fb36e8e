import { join } from 'node:path';
import { type ToolRun, runTool } from './run-tool.js';

/** One test's sandbox for the containers tools: environment and private storage. */
export interface ToolSandbox {
  /** The isolated environment (see `isolatedEnv`). */
  env: NodeJS.ProcessEnv;
  /** A folder for podman/buildah storage (`--root`, `--runroot`); short: podman refuses a runroot over 50 characters. */
  storage: string;
}

/** The containers tools that share containers-auth.json. */
export type ContainersTool = 'skopeo' | 'podman' | 'buildah';

/** Global flags that keep podman/buildah storage inside the sandbox, without a daemon or root storage. */
function storageFlags(sandbox: ToolSandbox): string[] {
  return ['--root', join(sandbox.storage, 'root'), '--runroot', join(sandbox.storage, 'run'), '--storage-driver', 'vfs'];
}

/**
 * `<tool> login --get-login --authfile F HOST`: prints the user the tool would send (`AWS`), exit 0; exit 1
 * when the file has no usable entry. Reads the file only; contacts no registry.
 *
 * @param tool - skopeo, podman or buildah.
 * @param authFile - the auth file.
 * @param host - the registry host.
 * @param sandbox - the test's sandbox.
 * @returns the run.
 */
export function getLogin(tool: ContainersTool, authFile: string, host: string, sandbox: ToolSandbox): Promise<ToolRun> {
  const globals = tool === 'skopeo' ? [] : storageFlags(sandbox);
  return runTool(tool, [...globals, 'login', '--get-login', '--authfile', authFile, host], { env: sandbox.env });
}

/**
 * `skopeo copy oci:DIR:latest docker://REF --authfile F --dest-tls-verify=false`: pushes a layout.
 *
 * @param layoutDir - the OCI layout folder.
 * @param reference - `host/ns/app:tag`.
 * @param authFile - the auth file.
 * @param sandbox - the test's sandbox.
 * @returns the run.
 */
export function skopeoPush(layoutDir: string, reference: string, authFile: string, sandbox: ToolSandbox): Promise<ToolRun> {
  return runTool('skopeo', ['copy', '--retry-times', '0', '--authfile', authFile, '--dest-tls-verify=false', `oci:${layoutDir}:latest`, `docker://${reference}`], { env: sandbox.env });
}

/**
 * `skopeo inspect --raw --authfile F docker://REF --tls-verify=false`: reads the manifest.
 *
 * @param reference - `host/ns/app:tag`.
 * @param authFile - the auth file.
 * @param sandbox - the test's sandbox.
 * @returns the run.
 */
export function skopeoInspect(reference: string, authFile: string, sandbox: ToolSandbox): Promise<ToolRun> {
  return runTool('skopeo', ['inspect', '--raw', '--retry-times', '0', '--authfile', authFile, '--tls-verify=false', `docker://${reference}`], { env: sandbox.env });
}

/**
 * `podman|buildah --root R --runroot R2 --storage-driver vfs pull --tls-verify=false --authfile F REF`.
 *
 * @param tool - podman or buildah.
 * @param reference - `host/ns/app:tag`.
 * @param authFile - the auth file.
 * @param sandbox - the test's sandbox.
 * @returns the run.
 */
export function pull(tool: 'podman' | 'buildah', reference: string, authFile: string, sandbox: ToolSandbox): Promise<ToolRun> {
  return runTool(tool, [...storageFlags(sandbox), 'pull', '--quiet', '--tls-verify=false', '--authfile', authFile, reference], { env: sandbox.env, timeoutMs: 120_000 });
}

/**
 * `DOCKER_CONFIG=D docker manifest inspect --insecure REF`: reads the manifest with the Docker CLI alone (no
 * engine needed), authenticating from `D/config.json`.
 *
 * @param reference - `host/ns/app:tag`.
 * @param configDir - the Docker config folder.
 * @param sandbox - the test's sandbox.
 * @returns the run.
 */
export function dockerManifestInspect(reference: string, configDir: string, sandbox: ToolSandbox): Promise<ToolRun> {
  return runTool('docker', ['manifest', 'inspect', '--insecure', reference], { env: { ...sandbox.env, DOCKER_CONFIG: configDir } });
}

/**
 * The version line of each tool, for reports.
 *
 * @param env - the environment.
 * @returns tool → first line of its `--version`.
 */
export async function toolVersions(env: NodeJS.ProcessEnv): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const tool of ['skopeo', 'podman', 'buildah', 'docker', '/usr/bin/docker-registry']) {
    const run = await runTool(tool, ['--version'], { env }).catch(() => undefined);
    out[tool] = run?.stdout.split('\n')[0]?.trim() ?? 'missing';
  }
  return out;
}

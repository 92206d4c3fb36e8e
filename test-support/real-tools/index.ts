// The real-tools test harness: a real registry, a hand-made OCI image, isolated environments and wrappers for
// skopeo, podman, buildah and docker. See README.md.
export { startRegistry } from './registry.js';
export type { TestRegistry, RegistryOptions } from './registry.js';
export { writeOciLayout, tarFiles } from './oci-layout.js';
export type { OciLayout } from './oci-layout.js';
export { runTool, isolatedEnv } from './run-tool.js';
export type { ToolRun, RunToolOptions } from './run-tool.js';
export { getLogin, skopeoPush, skopeoInspect, pull, dockerManifestInspect, toolVersions } from './tools.js';
export type { ToolSandbox, ContainersTool } from './tools.js';
export { runNodeScript, TS_NODE_ARGS, TS_CACHE_DIR } from './node-child.js';
export type { ChildOutcome, NodeScriptOptions } from './node-child.js';
export { testToken, makeTempDir, tempDirs, ECR_HOST } from './fixtures.js';
export { startRealToolsWorld } from './world.js';
export type { RealToolsWorld } from './world.js';
export { startEcrRegistryWorld } from './ecr-world.js';
export type { EcrRegistryWorld } from './ecr-world.js';

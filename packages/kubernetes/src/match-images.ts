/**
 * The kubelet's rule for `matchImages` globs and `auth` keys (its `URLsMatch`), so that the sample
 * configuration can be tested against the hosts the provider serves. Pure; no I/O.
 *
 * - The host is split at dots; glob and image must have the same number of labels, and each `*` (or `?`)
 *   stands within one label: `*.io` does not match `k8s.gcr.io`.
 * - Ports must be equal (no port matches only no port).
 * - The glob's path, if any, must be a prefix of the image's path.
 *
 * @module
 */

interface UrlParts {
  labels: string[];
  port: string;
  path: string;
}

function partsOf(value: string): UrlParts | undefined {
  const bare = value.replace(/^[a-z][a-z0-9+.-]*:\/\//i, '');
  const slash = bare.indexOf('/');
  const hostPort = slash === -1 ? bare : bare.slice(0, slash);
  const path = slash === -1 ? '' : bare.slice(slash);
  const colon = hostPort.lastIndexOf(':');
  const host = colon === -1 ? hostPort : hostPort.slice(0, colon);
  // Stryker disable next-line StringLiteral: glob and image both take the same no-port value, and a real port is digits: no comparison changes
  const port = colon === -1 ? '' : hostPort.slice(colon + 1);
  if (host === '' || (colon !== -1 && !/^\d+$/.test(port))) return undefined;
  return { labels: host.split('.'), port, path };
}

/** One label against one glob label: `*` is any run of characters, `?` any one, the rest literal. */
function labelMatches(glob: string, label: string): boolean {
  const pattern = glob.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '[^./]*').replace(/\?/g, '[^./]');
  return new RegExp(`^${pattern}$`).test(label);
}

/**
 * Whether a `matchImages` glob (or a response's `auth` key) matches an image, by the kubelet's rule.
 *
 * @example
 * ```ts
 * matchesImage('*.dkr.ecr.*.amazonaws.com', '123456789012.dkr.ecr.eu-west-1.amazonaws.com/app:v1'); // true
 * matchesImage('*.dkr.ecr.*.amazonaws.com', '123456789012.dkr.ecr.eu-west-1.amazonaws.com.evil.test/app'); // false
 * matchesImage('*.io', 'k8s.gcr.io/pause'); // false: one label per *
 * ```
 *
 * @param glob - the glob (a host with `*`, optionally a port and a path).
 * @param image - the image reference (or a registry host).
 * @returns `true` when the kubelet would send this image to the provider (or use this key for it).
 */
export function matchesImage(glob: string, image: string): boolean {
  const g = partsOf(glob);
  const i = partsOf(image);
  if (!g || !i || g.labels.length !== i.labels.length || g.port !== i.port) return false;
  // Stryker disable next-line StringLiteral: the label counts are equal (checked above), so the ?? fallback is never taken
  if (!g.labels.every((label, n) => labelMatches(label, i.labels[n] ?? ''))) return false;
  return i.path.startsWith(g.path);
}

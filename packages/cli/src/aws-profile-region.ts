/**
 * Reads a profile's `region` from the shared AWS config file without loading the SDK, so that the cache
 * scope of "my own registry" is known before any SDK code runs.
 *
 * @module
 */
import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import type { Env } from './token-cache.js';

/**
 * The region of a profile in `$AWS_CONFIG_FILE` (default `~/.aws/config`).
 *
 * @param profile - the profile name; default `AWS_PROFILE`, then `default`.
 * @param env - the environment; default `process.env`.
 * @returns the region, or `undefined` when the file or the setting is missing.
 */
export function profileRegion(profile: string | undefined, env: Env = process.env): string | undefined {
  const name = profile ?? (env['AWS_PROFILE'] || 'default');
  const file = env['AWS_CONFIG_FILE'] || join(env['HOME'] || homedir(), '.aws', 'config');
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
  let inSection = false;
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.replace(/[#;].*$/, '').trim();
    const section = /^\[\s*(.+?)\s*\]$/.exec(line);
    if (section) {
      const title = section[1] ?? '';
      inSection = name === 'default' ? title === 'default' || title === 'profile default' : title === `profile ${name}`;
      continue;
    }
    if (!inSection) continue;
    const setting = /^region\s*=\s*(\S+)$/.exec(line);
    if (setting) return setting[1];
  }
  return undefined;
}

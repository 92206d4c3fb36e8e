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
 * The settings of a profile in `$AWS_CONFIG_FILE` (default `~/.aws/config`), as plain strings.
 *
 * @param profile - the profile name; default `AWS_PROFILE`, then `default`.
 * @param env - the environment; default `process.env`.
 * @returns the profile's `key = value` settings (empty when the file or the profile is missing).
 */
export function profileSettings(profile: string | undefined, env: Env = process.env): Record<string, string> {
  const name = profile ?? (env['AWS_PROFILE'] || 'default');
  const file = env['AWS_CONFIG_FILE'] || join(env['HOME'] || homedir(), '.aws', 'config');
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return {};
  }
  const settings: Record<string, string> = {};
  let inSection = false;
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.replace(/[#;].*$/, '').trim();
    const section = /^\[\s*(.+?)\s*\]$/.exec(line);
    if (section) {
      const title = section[1] ?? '';
      inSection = name === 'default' ? title === 'default' || title === 'profile default' : title === `profile ${name}`;
      continue;
    }
    const setting = inSection ? /^([\w.-]+)\s*=\s*(\S*)$/.exec(line) : null;
    if (setting?.[1] && !(setting[1] in settings)) settings[setting[1]] = setting[2] ?? '';
  }
  return settings;
}

/**
 * The region of a profile in `$AWS_CONFIG_FILE` (default `~/.aws/config`).
 *
 * @param profile - the profile name; default `AWS_PROFILE`, then `default`.
 * @param env - the environment; default `process.env`.
 * @returns the region, or `undefined` when the file or the setting is missing.
 */
export function profileRegion(profile: string | undefined, env: Env = process.env): string | undefined {
  return profileSettings(profile, env)['region'] || undefined;
}

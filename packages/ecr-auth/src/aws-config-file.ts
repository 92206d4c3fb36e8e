/**
 * The settings of a profile in the shared AWS config file (`AWS_CONFIG_FILE`, default `~/.aws/config`), for the
 * few the SDK does not apply by itself (`ca_bundle`), and for those that keep a fetch on the SDK's path
 * (direct-route.ts). Sections are `[default]` (or `[profile default]`) and `[profile NAME]`; `#` and `;` start
 * a comment at the start of a line or after a space.
 *
 * @module
 */
import { homedir } from 'node:os';
import { join } from 'node:path';
import { readText } from './read-text.js';

/** Where a setting was found. */
export interface ProfileSetting {
  readonly value: string;
  /** The profile it belongs to. */
  readonly profile: string;
}

/** A profile's top-level settings (nested ones, such as an `s3 =` block's lines, are left out). */
export interface ProfileSettings {
  /** The profile read. */
  readonly profile: string;
  /** Its settings, by name. */
  readonly settings: ReadonlyMap<string, string>;
}

/**
 * Reads the settings of the profile in use.
 *
 * @param profile - the profile; default `AWS_PROFILE`, then `default`.
 * @param env - the environment (default `process.env`).
 * @returns the profile's non-empty settings (none when the file or the profile is missing).
 */
export async function readProfile(profile: string | undefined, env: NodeJS.ProcessEnv = process.env): Promise<ProfileSettings> {
  const name = profile || env['AWS_PROFILE'] || 'default';
  const file = env['AWS_CONFIG_FILE'] || join(env['HOME'] || homedir(), '.aws', 'config');
  const settings = new Map<string, string>();
  let text: string;
  try {
    text = await readText(file);
  } catch {
    return { profile: name, settings };
  }
  let inProfile = false;
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.replace(/(^|\s)[#;].*$/, '').trim();
    const section = /^\[\s*(.+?)\s*\]$/.exec(line);
    if (section) {
      const title = (section[1] ?? '').replace(/\s+/g, ' ');
      inProfile = title === `profile ${name}` || (name === 'default' && title === 'default');
      continue;
    }
    if (!inProfile || /^\s/.test(raw)) continue;
    const setting = /^([^=]+?)\s*=\s*(.*)$/.exec(line);
    // The first non-empty value of a key counts, as before; an empty one is no setting.
    if (setting?.[1] !== undefined && setting[2] && !settings.has(setting[1])) settings.set(setting[1], setting[2]);
  }
  return { profile: name, settings };
}

/**
 * Reads `key` of the profile in use.
 *
 * @param key - the setting, e.g. `ca_bundle`.
 * @param profile - the profile; default `AWS_PROFILE`, then `default`.
 * @param env - the environment (default `process.env`).
 * @returns the value, or `undefined` when the file, the profile or the setting is missing (or empty).
 */
export async function readProfileSetting(key: string, profile: string | undefined, env: NodeJS.ProcessEnv = process.env): Promise<ProfileSetting | undefined> {
  const read = await readProfile(profile, env);
  const value = read.settings.get(key);
  return value ? { value, profile: read.profile } : undefined;
}

/**
 * One setting of a profile in the shared AWS config file (`AWS_CONFIG_FILE`, default `~/.aws/config`), for the
 * few settings the SDK does not apply by itself (`ca_bundle`). Sections are `[default]` (or `[profile default]`)
 * and `[profile NAME]`; `#` and `;` start a comment at the start of a line or after a space.
 *
 * @module
 */
import { readFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';

/** Where a setting was found. */
export interface ProfileSetting {
  readonly value: string;
  /** The profile it belongs to. */
  readonly profile: string;
}

/**
 * Reads `key` of the profile in use.
 *
 * @param key - the setting, e.g. `ca_bundle`.
 * @param profile - the profile; default `AWS_PROFILE`, then `default`.
 * @param env - the environment (default `process.env`).
 * @returns the value, or `undefined` when the file, the profile or the setting is missing.
 */
export async function readProfileSetting(key: string, profile: string | undefined, env: NodeJS.ProcessEnv = process.env): Promise<ProfileSetting | undefined> {
  const name = profile || env['AWS_PROFILE'] || 'default';
  const file = env['AWS_CONFIG_FILE'] || join(env['HOME'] || homedir(), '.aws', 'config');
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch {
    return undefined;
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
    if (setting?.[1] === key && setting[2]) return { value: setting[2], profile: name };
  }
  return undefined;
}

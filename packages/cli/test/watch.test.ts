// `ecr-auth login --watch`: renews every file before each expiry, rides out faults, stops on SIGTERM.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Emulator } from '@ecr-auth/emulator';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startTestEmulator } from '../../../test-support/emulator.ts';
import { recordOutput } from '../../../test-support/leaks.ts';
import { ECR_AUTH_BIN, ECR_HOST, cleanupHomes, isolatedEnv, killAll, makeHome, run, start, waitFor } from './support.ts';

const TTL_SECONDS = 20;

async function passwordIn(file: string, key: string): Promise<string | undefined> {
  try {
    const auth = (JSON.parse(await readFile(file, 'utf8')) as { auths?: Record<string, { auth?: string }> }).auths?.[key]?.auth;
    return auth === undefined ? undefined : Buffer.from(auth, 'base64').toString('utf8').replace(/^AWS:/, '');
  } catch {
    return undefined;
  }
}

describe('ecr-auth login --watch', () => {
  let emulator: Emulator;
  beforeAll(async () => {
    emulator = await startTestEmulator({ tokenTtlSeconds: TTL_SECONDS });
  });
  afterAll(async () => {
    await emulator.stop();
  });
  afterEach(async () => {
    await killAll();
    await cleanupHomes();
  });

  it('rewrites Docker and Podman files before each expiry, keeps them valid across faults, stops on SIGTERM', async () => {
    const home = await makeHome();
    const dockerFile = join(home, 'docker', 'config.json');
    const podmanFile = join(home, 'podman-auth.json');
    const env = isolatedEnv(home, emulator, { ECR_AUTH_TIMEOUT_MS: '1500' });
    // Negative control: a one-shot login (no --watch) of another file; nothing renews it.
    const oneShotFile = join(home, 'one-shot.json');
    const oneShot = await run(process.execPath, [ECR_AUTH_BIN, 'login', ECR_HOST, `--podman=${oneShotFile}`, '--no-cache'], { env });
    expect(oneShot.code, oneShot.stderr).toBe(0);
    const child = start(process.execPath, [ECR_AUTH_BIN, 'login', ECR_HOST, `--docker=${dockerFile}`, `--podman=${podmanFile}`, '--watch', '--json'], env);
    let stdout = '';
    let stderr = '';
    child.stdout?.setEncoding('utf8').on('data', (c: string) => (stdout += c));
    child.stderr?.setEncoding('utf8').on('data', (c: string) => (stderr += c));
    const events = () => stdout.split('\n').filter(Boolean).map((line) => JSON.parse(line) as { event: string });
    const count = (name: string) => events().filter((e) => e.event === name).length;

    // When each password was first seen among those the emulator issued (its token expires TTL later).
    const issuedAt = new Map<string, number>();
    const violations: string[] = [];
    const controlViolations: string[] = [];
    const seen = new Set<string>();
    let polling = true;
    const poller = (async () => {
      while (polling) {
        const now = Date.now();
        for (const p of emulator.issuedPasswords()) if (!issuedAt.has(p)) issuedAt.set(p, now);
        for (const file of [dockerFile, podmanFile]) {
          const password = await passwordIn(file, ECR_HOST);
          if (password === undefined) continue;
          seen.add(password);
          const issued = issuedAt.get(password);
          if (issued === undefined) violations.push(`${file}: a password the emulator never issued`);
          else if (Date.now() >= issued + TTL_SECONDS * 1000) violations.push(`${file}: an expired token at +${Date.now() - issued} ms`);
        }
        const control = await passwordIn(oneShotFile, ECR_HOST);
        const controlIssued = control === undefined ? undefined : issuedAt.get(control);
        if (controlIssued !== undefined && Date.now() >= controlIssued + TTL_SECONDS * 1000) controlViolations.push('one-shot file expired');
        await new Promise((r) => setTimeout(r, 100));
      }
    })();

    try {
      await waitFor(() => (count('login') === 1 ? true : undefined), 10_000, 'the first login');
      await waitFor(() => (count('renewed') >= 1 ? true : undefined), TTL_SECONDS * 1000, 'the first renewal');
      // Every renewal attempt now fails (connection resets) until the faults are cleared.
      emulator.injectFault({ kind: 'reset', count: 1_000 });
      await waitFor(() => ((stderr.match(/renewal failed/g) ?? []).length >= 2 ? true : undefined), TTL_SECONDS * 1000, 'two failed renewals');
      emulator.clearFaults();
      await waitFor(() => (count('renewed') >= 2 ? true : undefined), TTL_SECONDS * 1000, 'a renewal after the faults');
      await waitFor(() => (count('renewed') >= 3 ? true : undefined), TTL_SECONDS * 1000, 'a third renewal');
    } finally {
      polling = false;
      await poller;
    }
    expect(violations).toEqual([]);
    // The same check does catch an expired file: the one-shot login's token ran out meanwhile.
    expect(controlViolations.length).toBeGreaterThan(0);
    expect(seen.size).toBeGreaterThanOrEqual(3);
    expect(stderr).toMatch(/renewal failed \(attempt 1\).*files keep the current token, retrying in/);
    // One line per event, and no password anywhere in the output.
    for (const password of emulator.issuedPasswords()) expect(stdout + stderr).not.toContain(password);
    const exit = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    const stopAt = Date.now();
    child.kill('SIGTERM');
    expect(await exit).toBe(0);
    expect(Date.now() - stopAt).toBeLessThan(3_000);
    expect(events().at(-1)?.event).toBe('stopped');
    recordOutput(stdout + stderr);
  }, 120_000);
});

describe('ecr-auth login --watch on a skewed clock and through outages', () => {
  afterEach(async () => {
    await killAll();
    await cleanupHomes();
  });

  /** Starts a watch and collects its events and stderr. */
  function startWatch(args: string[], env: NodeJS.ProcessEnv) {
    const child = start(process.execPath, [ECR_AUTH_BIN, 'login', ...args, '--watch', '--json'], env);
    const out = { stdout: '', stderr: '' };
    child.stdout?.setEncoding('utf8').on('data', (c: string) => (out.stdout += c));
    child.stderr?.setEncoding('utf8').on('data', (c: string) => (out.stderr += c));
    const events = () => out.stdout.split('\n').filter(Boolean).map((line) => JSON.parse(line) as { event: string });
    const count = (name: string) => events().filter((e) => e.event === name).length;
    const stop = async () => {
      const exit = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
      child.kill('SIGTERM');
      return exit;
    };
    return { out, events, count, stop };
  }

  it('schedules renewals on the server\'s clock: with the server an hour ahead, an 8 s token is renewed within seconds', async () => {
    const ahead = await startTestEmulator({ tokenTtlSeconds: 8, clockOffsetSeconds: 3_600 });
    try {
      const home = await makeHome();
      const file = join(home, 'config.json');
      const w = startWatch([ECR_HOST, `--docker=${file}`], isolatedEnv(home, ahead, { ECR_AUTH_TIMEOUT_MS: '3000' }));
      const scheduled = await waitFor(() => w.events().find((e) => e.event === 'scheduled') as { nextRenewal?: string } | undefined, 15_000, 'the first login');
      // On the local clock the token would look valid for an hour and eight seconds.
      expect(Date.parse(scheduled?.nextRenewal ?? '') - Date.now()).toBeLessThan(10_000);
      await waitFor(() => (w.count('renewed') >= 1 ? true : undefined), 20_000, 'a renewal');
      expect(await w.stop()).toBe(0);
    } finally {
      await ahead.stop();
    }
  }, 60_000);

  it('starts during an outage and keeps trying; an outage that outlasts the token removes its entries and says so', async () => {
    const flaky = await startTestEmulator({ tokenTtlSeconds: 6 });
    try {
      const home = await makeHome();
      const file = join(home, 'config.json');
      flaky.injectFault({ kind: 'reset', count: 1_000_000 });
      const w = startWatch([ECR_HOST, `--docker=${file}`], isolatedEnv(home, flaky, { ECR_AUTH_TIMEOUT_MS: '800' }));
      await waitFor(() => (/--watch keeps trying/.test(w.out.stderr) ? true : undefined), 15_000, 'the failed first login');
      await waitFor(() => ((w.out.stderr.match(/renewal failed/g) ?? []).length >= 1 ? true : undefined), 15_000, 'a retry');
      expect(await passwordIn(file, ECR_HOST)).toBeUndefined();
      flaky.clearFaults();
      await waitFor(() => (w.count('login') === 1 ? true : undefined), 15_000, 'the login after the outage');
      expect(await passwordIn(file, ECR_HOST)).toBeDefined();
      flaky.injectFault({ kind: 'reset', count: 1_000_000 });
      await waitFor(() => (w.count('expired') === 1 ? true : undefined), 20_000, 'the expiry during the outage');
      expect(w.out.stderr).toMatch(/the token expired at .* its entries were removed, retrying/);
      expect(await passwordIn(file, ECR_HOST)).toBeUndefined();
      // Negative control: the file is still there, with the entry gone (not deleted wholesale).
      expect(JSON.parse(await readFile(file, 'utf8'))).toMatchObject({ auths: {} });
      flaky.clearFaults();
      await waitFor(() => (w.count('login') === 2 ? true : undefined), 70_000, 'a login after the second outage');
      expect(await passwordIn(file, ECR_HOST)).toBeDefined();
      expect(await w.stop()).toBe(0);
      for (const password of flaky.issuedPasswords()) expect(w.out.stdout + w.out.stderr).not.toContain(password);
    } finally {
      await flaky.stop();
    }
  }, 120_000);
});

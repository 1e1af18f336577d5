import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

/**
 * The editor toolchain's set-up (scripts/code-server.mjs) must work however it is started:
 * from inside `npm test`/`npm start` (whose npm_* variables name the outer Node 20), twice
 * at once, and after an install that was killed half-way. The full cold install is proven
 * by CI on every run (.ci/run points ONCHAIN_SQL_CACHE at an empty folder); these are the
 * pieces that decide it, checked quickly.
 */
const script = path.resolve(__dirname, '..', '..', 'scripts', 'code-server.mjs');
/** What these tests use of scripts/code-server.mjs (plain JavaScript, so typed here). */
interface CodeServerScript {
  installEnv: (env: Record<string, string>) => Record<string, string | undefined>;
  readMarker: (dir: string) => unknown;
}
const load = () => import(script) as Promise<CodeServerScript>;

function tmp(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'ocs-setup-'));
}

describe('code-server set-up', () => {
  it('gives the inner npm install none of the outer npm\'s variables', async () => {
    const { installEnv } = await load();
    const env = installEnv({
      PATH: '/bin', HOME: '/h', npm_config_user_agent: 'npm/11 node/v20.20.2 linux x64',
      npm_execpath: '/x/npm-cli.js', npm_node_execpath: '/usr/bin/node', npm_lifecycle_event: 'test', NPM_CONFIG_CACHE: '/c',
    });
    assert.deepEqual(env, { PATH: '/bin', HOME: '/h' });
  });

  it('serialises two processes on one lock and recovers a lock whose holder was killed', { timeout: 60_000 }, async () => {
    const cache = tmp();
    try {
      // A lock left by a killed process: its pid no longer runs.
      const dead = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
      fs.mkdirSync(path.join(cache, 'x.lock'));
      fs.writeFileSync(path.join(cache, 'x.lock', 'pid'), dead.stdout);

      const log = path.join(cache, 'log');
      const holder = (name: string) => `import('${script}').then(m => m.withLock('x', async () => {
        require('fs').appendFileSync(${JSON.stringify(log)}, '${name}+');
        await new Promise(r => setTimeout(r, 400));
        require('fs').appendFileSync(${JSON.stringify(log)}, '${name}-');
      }, { pollMs: 50 }))`;
      const run = (name: string) => new Promise<number>((resolve) => {
        const c = spawn(process.execPath, ['-e', holder(name)], { env: { ...process.env, ONCHAIN_SQL_CACHE: cache }, stdio: 'inherit' });
        c.on('exit', (code) => resolve(code ?? 1));
      });
      const codes = await Promise.all([run('a'), run('b')]);
      assert.deepEqual(codes, [0, 0]);
      const seq = fs.readFileSync(log, 'utf8');
      assert.match(seq, /^(a\+a-b\+b-|b\+b-a\+a-)$/, `critical sections overlapped: ${seq}`);
      assert.equal(fs.existsSync(path.join(cache, 'x.lock')), false, 'the lock is released');
    } finally {
      fs.rmSync(cache, { recursive: true, force: true });
    }
  });

  it('does not trust a folder whose install never wrote its marker (a killed install)', async () => {
    const { readMarker } = await load();
    const dir = tmp();
    try {
      fs.mkdirSync(path.join(dir, 'node_modules', 'code-server'), { recursive: true });
      assert.equal(readMarker(dir), undefined);
      fs.writeFileSync(path.join(dir, '.onchain-sql-installed.json'), '{"version":');
      assert.equal(readMarker(dir), undefined, 'a marker cut short is no marker');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

// Dev harness for the webview front ends, outside VS Code: builds the panel,
// chat and renderer bundles with the same esbuild settings as esbuild.mjs into
// a temp folder and serves them behind the webviews' strict CSP, with a fake
// host (fake-host.js). Used by test/ui/panel-harness.test.ts; run it by hand with
//   node --import tsx test/ui/harness/server.ts   (prints the URLs)
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as os from 'node:os';
import * as path from 'node:path';
import type { AddressInfo } from 'node:net';
import * as esbuild from 'esbuild';

const HERE = __dirname;
const ROOT = path.resolve(HERE, '..', '..', '..');

export type Entry = 'panel' | 'chat' | 'renderer';
export type Theme = 'dark' | 'light' | 'hc';

export interface Harness {
  url(entry: Entry, theme: Theme): string;
  close(): Promise<void>;
  dir: string;
}

/** Builds the three front ends (unminified, like a dev build) into a temp folder. */
async function build(out: string): Promise<void> {
  const browser = { bundle: true, platform: 'browser', target: 'es2022', sourcemap: false, minify: false, logLevel: 'error' } as const;
  await Promise.all([
    esbuild.build({ ...browser, format: 'iife', entryPoints: [path.join(ROOT, 'media/panel/main.ts')], outfile: path.join(out, 'panel.js') }),
    esbuild.build({ ...browser, format: 'iife', entryPoints: [path.join(ROOT, 'media/chat/main.ts')], outfile: path.join(out, 'chat.js') }),
    esbuild.build({ ...browser, format: 'esm', entryPoints: [path.join(ROOT, 'media/renderer/main.ts')], outfile: path.join(out, 'renderer.js'), loader: { '.css': 'text' } }),
  ]);
}

const TYPES: Record<string, string> = { '.js': 'text/javascript', '.css': 'text/css', '.html': 'text/html' };

export async function startHarness(): Promise<Harness> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'onchain-webview-harness-'));
  await build(dir);
  const template = fs.readFileSync(path.join(HERE, 'page.html'), 'utf8');
  const server = http.createServer((req, res) => {
    const u = new URL(req.url ?? '/', 'http://x');
    const send = (status: number, type: string, body: string | Buffer) => {
      res.writeHead(status, { 'content-type': type, 'cache-control': 'no-store' });
      res.end(body);
    };
    if (u.pathname === '/favicon.ico') return send(204, 'image/x-icon', '');
    if (u.pathname === '/') {
      const entry = (u.searchParams.get('entry') ?? 'panel') as Entry;
      const theme = (u.searchParams.get('theme') ?? 'dark') as Theme;
      const nonce = crypto.randomBytes(16).toString('base64');
      const origin = `http://${req.headers.host}`;
      const script = entry === 'renderer'
        // The renderer is an ES module whose activate() VS Code calls; the harness does the same.
        ? `<script type="module" nonce="${nonce}" src="/harness/renderer-boot.js"></script>`
        : `<script nonce="${nonce}" src="/media/${entry}.js"></script>`;
      const stylesheet = entry === 'renderer' ? '' : `<link rel="stylesheet" href="/media/${entry}.css" nonce="${nonce}">`;
      const html = template
        .replaceAll('{{NONCE}}', nonce).replaceAll('{{CSP_SOURCE}}', origin).replaceAll('{{ENTRY}}', entry)
        .replace('{{THEME_CLASS}}', theme === 'hc' ? 'vscode-high-contrast' : `vscode-${theme}`)
        .replace('{{SCRIPT}}', script).replace('{{STYLESHEET}}', stylesheet);
      return send(200, 'text/html', html);
    }
    const file = u.pathname.startsWith('/media/') ? path.join(dir, path.basename(u.pathname))
      : u.pathname.startsWith('/harness/') ? path.join(HERE, path.basename(u.pathname)) : '';
    if (!file || !fs.existsSync(file)) return send(404, 'text/plain', 'not found');
    send(200, TYPES[path.extname(file)] ?? 'application/octet-stream', fs.readFileSync(file));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const port = (server.address() as AddressInfo).port;
  return {
    dir,
    url: (entry, theme) => `http://127.0.0.1:${port}/?entry=${entry}&theme=${theme}`,
    close: () => new Promise<void>((r) => {
      server.close(() => r());
      server.closeAllConnections();
      fs.rmSync(dir, { recursive: true, force: true });
    }),
  };
}

if (require.main === module) {
  void startHarness().then((h) => { for (const e of ['panel', 'chat', 'renderer'] as const) console.log(h.url(e, 'dark')); });
}

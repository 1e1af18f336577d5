// A real VS Code (code-server) with the extension under development, driven by
// Playwright in headless Debian Chromium. One editor per test file: start it in
// `before`, close it in `after`.
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { BrowserContext, Frame, Page } from 'playwright-core';
import {
  REPO_ROOT, ensureCodeServer, killServersOnSignals, launchBrowser, makeTempDir, removeDir, startCodeServer, type RunningServer,
} from '../../../scripts/code-server.mjs';

export const SCREENSHOTS = path.join(REPO_ROOT, 'test-results', 'screenshots');

export interface Editor {
  page: Page;
  context: BrowserContext;
  server: RunningServer;
  workspace: string;
  /** Messages of every JavaScript dialog (alert/confirm/prompt) any frame opened: must stay empty. */
  dialogs: string[];
  shot(name: string): Promise<string>;
  /** Runs `body`; on failure saves `<name>-failure.png` first (what the editor showed), then rethrows. */
  step<T>(name: string, body: () => Promise<T>): Promise<T>;
  /** Runs a palette command by its full title ("Onchain SQL: Ask a Question"), retrying while the extension host starts. */
  runCommand(title: string, timeoutMs?: number): Promise<void>;
  /** Answers an input box (showInputBox / quick pick filter) with text + Enter. */
  answerInput(text: string): Promise<void>;
  /** Runs `command` from the palette and answers its input box with `text`; an input that cannot be typed into is retried from a fresh palette. */
  commandWithInput(command: string, text: string, timeoutMs?: number): Promise<void>;
  /** Opens a workspace file through Quick Open. */
  openFile(relPath: string): Promise<void>;
  /** The first webview content frame (any panel, view or notebook output) that has `selector`. */
  frameWith(selector: string, timeoutMs?: number): Promise<Frame>;
  close(): Promise<void>;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Workspace = the integration fixture + examples/ (the example notebook) + extra files. */
function makeWorkspace(dir: string, files: Record<string, string>): void {
  fs.cpSync(path.join(REPO_ROOT, 'test', 'integration', 'workspace'), dir, { recursive: true });
  const examples = path.join(REPO_ROOT, 'examples');
  if (fs.existsSync(examples)) fs.cpSync(examples, dir, { recursive: true });
  for (const [rel, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    fs.writeFileSync(path.join(dir, rel), text);
  }
}

let signalsHooked = false;

export async function openEditor(opts: { files?: Record<string, string>; settings?: Record<string, unknown> } = {}): Promise<Editor> {
  if (!signalsHooked) { killServersOnSignals(); signalsHooked = true; }
  const cs = await ensureCodeServer();
  const state = makeTempDir('ocs-ui');
  const workspace = path.join(state, 'workspace');
  makeWorkspace(workspace, opts.files ?? {});
  // User settings: no welcome page, no trust prompt, no telemetry banners in screenshots.
  const userDir = path.join(state, 'user-data', 'User');
  fs.mkdirSync(userDir, { recursive: true });
  fs.writeFileSync(path.join(userDir, 'settings.json'), JSON.stringify({
    'workbench.startupEditor': 'none', 'security.workspace.trust.enabled': false, 'telemetry.telemetryLevel': 'off',
    'workbench.tips.enabled': false, 'extensions.ignoreRecommendations': true, 'chat.commandCenter.enabled': false,
    'workbench.secondarySideBar.defaultVisibility': 'hidden',
    ...opts.settings,
  }, null, 2));
  let server: RunningServer | undefined;
  let context: BrowserContext | undefined;
  try {
    // The smoke-test driver makes the web workbench honour `payload` (extensionDevelopmentPath).
    server = await startCodeServer(cs, { folder: workspace, stateDir: state, smokeTestDriver: true });
    context = await launchBrowser(path.join(state, 'chromium'));
    const page = context.pages()[0] ?? await context.newPage();
    page.setDefaultTimeout(60_000); // the machine is shared: generous waits, the tests still fail on absence
    const dialogs: string[] = [];
    page.on('dialog', (d) => { dialogs.push(d.message()); void d.dismiss().catch(() => {}); });
    const extensionDir = process.env.ONCHAIN_SQL_EXTENSION_DIR || REPO_ROOT; // override: try another build of the extension
    const payload = [['extensionDevelopmentPath', `vscode-remote://${server.authority}${extensionDir}`]];
    await page.goto(`${server.url}?folder=${encodeURIComponent(workspace)}&payload=${encodeURIComponent(JSON.stringify(payload))}`, { waitUntil: 'domcontentloaded', timeout: 120_000 });
    await page.locator('.monaco-workbench').waitFor({ timeout: 180_000 });
    await page.locator('.statusbar').waitFor({ timeout: 180_000 });
    fs.mkdirSync(SCREENSHOTS, { recursive: true });
    const srv = server;
    const ctx = context;
    const editor: Editor = {
      page, context: ctx, server: srv, workspace, dialogs,
      async shot(name) {
        const file = path.join(SCREENSHOTS, `${name}.png`);
        await page.screenshot({ path: file });
        return file;
      },
      async step(name, body) {
        try {
          return await body();
        } catch (e) {
          await page.screenshot({ path: path.join(SCREENSHOTS, `${name}-failure.png`) }).catch(() => {});
          throw e;
        }
      },
      async runCommand(title, timeoutMs = 90_000) {
        const deadline = Date.now() + timeoutMs;
        for (;;) {
          await page.keyboard.press('Escape');
          await page.keyboard.press('F1');
          const input = page.locator('.quick-input-widget .quick-input-box input');
          const row = page.locator('.quick-input-list .monaco-list-row', { hasText: title }).first();
          try {
            // A palette that closed or went inert under a notification or dialog: retried below, not waited on.
            await input.waitFor({ timeout: 10_000 });
            await input.fill(`>${title}`, { timeout: 5_000 });
            await row.waitFor({ timeout: 3_000 });
            await input.press('Enter');
            return;
          } catch {
            if (Date.now() > deadline) throw new Error(`command "${title}" could not be run from the palette`);
            await page.keyboard.press('Escape');
            await sleep(2_000); // the extension host may still be starting
          }
        }
      },
      async answerInput(text) {
        const input = page.locator('.quick-input-widget .quick-input-box input');
        await input.waitFor({ state: 'visible', timeout: 20_000 });
        await input.fill(text);
        await input.press('Enter');
      },
      async commandWithInput(command, text, timeoutMs = 180_000) {
        const deadline = Date.now() + timeoutMs;
        for (;;) {
          await editor.runCommand(command);
          const input = page.locator('.quick-input-widget .quick-input-box input');
          try {
            // Seen on loaded machines: the palette's input stays on screen but takes no text; start again.
            await input.waitFor({ state: 'visible', timeout: 20_000 });
            await input.fill(text, { timeout: 15_000 });
            await input.press('Enter');
            return;
          } catch (e) {
            if (Date.now() > deadline) throw e;
            console.warn(`!!! the input of "${command}" took no text; running the command again`);
            await page.keyboard.press('Escape');
            await sleep(2_000);
          }
        }
      },
      async openFile(relPath) {
        const name = path.basename(relPath);
        const tab = page.locator(`.tabs-container .tab[data-resource-name="${name}"]`).first();
        // Top-level files: a click in the Explorer (always indexed); else Quick Open, retried while search warms up.
        const row = page.locator('.explorer-folders-view .monaco-list-row', { hasText: name }).first();
        if (!relPath.includes('/') && await row.isVisible().catch(() => false)) {
          await row.click();
          if (await tab.waitFor({ timeout: 30_000 }).then(() => true, () => false)) return;
        }
        const deadline = Date.now() + 90_000;
        for (;;) {
          await page.keyboard.press('Escape');
          await page.keyboard.press('Control+P');
          const input = page.locator('.quick-input-widget .quick-input-box input');
          await input.waitFor({ timeout: 10_000 });
          await input.fill(relPath);
          const hit = page.locator('.quick-input-list .monaco-list-row', { hasText: name }).first();
          if (await hit.waitFor({ timeout: 5_000 }).then(() => true, () => false)) {
            await input.press('Enter');
            await tab.waitFor({ timeout: 30_000 });
            return;
          }
          if (Date.now() > deadline) throw new Error(`Quick Open never found ${relPath}`);
          await sleep(2_000);
        }
      },
      async frameWith(selector, timeoutMs = 60_000) {
        const deadline = Date.now() + timeoutMs;
        for (;;) {
          for (const frame of page.frames()) {
            if (frame === page.mainFrame()) continue;
            if (await frame.locator(selector).count().catch(() => 0)) return frame;
          }
          if (Date.now() > deadline) throw new Error(`no webview frame with ${selector} within ${timeoutMs} ms`);
          await sleep(500);
        }
      },
      async close() {
        await ctx.close().catch(() => {});
        await srv.stop();
        removeDir(state);
      },
    };
    return editor;
  } catch (e) {
    await context?.close().catch(() => {});
    await server?.stop();
    removeDir(state);
    throw e;
  }
}

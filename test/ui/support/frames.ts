// Grid scroll frame times, measured with requestAnimationFrame inside the page
// or webview frame that holds the results grid (used by the harness test and
// by the real-VS-Code panel test).
import type { Frame, Page } from 'playwright-core';

export interface FrameTimes { p50: number; p95: number; max: number; frames: number }

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

/** Moves the grid's scrollTop once per animation frame and records the frame-to-frame times. */
export async function scrollFrames(page: Page | Frame, mode: 'sweep' | 'wheel' | 'idle', frames: number): Promise<FrameTimes> {
  const deltas = await page.evaluate(async ({ mode, frames }) => {
    const el = document.querySelector('.grid-scroll') as HTMLElement;
    const total = el.scrollHeight - el.clientHeight;
    const out: number[] = [];
    await new Promise((r) => requestAnimationFrame(r));
    let last = performance.now();
    for (let f = 1; f <= frames; f++) {
      // sweep: the whole 100k rows top to bottom in `frames` frames (~170 rows per frame);
      // wheel: 120 px per frame, like a fast mouse wheel.
      // idle: no scrolling at all, the machine's own frame-time baseline.
      if (mode !== 'idle') el.scrollTop = mode === 'sweep' ? Math.round((total * f) / frames) : el.scrollTop + 120;
      await new Promise((r) => requestAnimationFrame(r));
      const now = performance.now();
      out.push(now - last);
      last = now;
    }
    return out;
  }, { mode, frames });
  const sorted = [...deltas].sort((a, b) => a - b);
  const r = (x: number) => Math.round(x * 10) / 10;
  return { p50: r(percentile(sorted, 50)), p95: r(percentile(sorted, 95)), max: r(sorted[sorted.length - 1]), frames: deltas.length };
}

/**
 * Rows passed over at full speed may show placeholders; where a sweep stops
 * (the last of `rowCount` rows in view), the data must fill in.
 */
export async function lastRowsFilled(page: Page | Frame, rowCount: number): Promise<void> {
  await page.waitForFunction((last) => {
    const rows = [...document.querySelectorAll('.grid-body [role="row"]:not([hidden])')];
    return rows.length > 10 && rows.every((r) => !r.hasAttribute('aria-busy')) && rows.some((r) => r.getAttribute('aria-rowindex') === String(last));
  }, rowCount + 1, { timeout: 30_000 });
}

// Chart colours that stay visible on the editor's background: each theme colour
// is darkened or lightened until it reaches the WCAG 2.1 non-text contrast of
// 3:1 (SC 1.4.11) against the background. DOM-free, so it is unit-tested.

export type Rgb = [number, number, number];

/** #rgb, #rrggbb, #rrggbbaa (alpha ignored), rgb()/rgba(); undefined for anything else. */
export function parseColor(color: string): Rgb | undefined {
  const c = color.trim().toLowerCase();
  let m = /^#([0-9a-f]{3})$/.exec(c);
  if (m) return [0, 1, 2].map((i) => parseInt(m![1][i] + m![1][i], 16)) as Rgb;
  m = /^#([0-9a-f]{6})([0-9a-f]{2})?$/.exec(c);
  if (m) return [0, 2, 4].map((i) => parseInt(m![1].slice(i, i + 2), 16)) as Rgb;
  m = /^rgba?\(\s*(\d+)[\s,]+(\d+)[\s,]+(\d+)/.exec(c);
  if (m) return [Number(m[1]), Number(m[2]), Number(m[3])].map((v) => Math.min(255, v)) as Rgb;
  return undefined;
}

export function toHex([r, g, b]: Rgb): string {
  return '#' + [r, g, b].map((v) => Math.round(v).toString(16).padStart(2, '0')).join('');
}

function channel(v: number): number {
  const s = v / 255;
  return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
}

export function luminance([r, g, b]: Rgb): number {
  return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b);
}

export function contrastRatio(a: Rgb, b: Rgb): number {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return (hi + 0.05) / (lo + 0.05);
}

/** Graphical objects (lines, bars) need 3:1 against their background. */
export const MIN_GRAPHIC_CONTRAST = 3;

/**
 * `color` moved toward black (on a light background) or white (on a dark one)
 * in small steps until it meets `min` against `background`; unparsable colours
 * are returned unchanged.
 */
export function withContrast(color: string, background: string, min = MIN_GRAPHIC_CONTRAST): string {
  const fg = parseColor(color);
  const bg = parseColor(background);
  if (!fg || !bg) return color;
  if (contrastRatio(fg, bg) >= min) return color;
  const target: Rgb = luminance(bg) > 0.18 ? [0, 0, 0] : [255, 255, 255];
  for (let t = 0.05; t <= 1.0001; t += 0.05) {
    const mixed = fg.map((v, i) => v + (target[i] - v) * t) as Rgb;
    if (contrastRatio(mixed, bg) >= min) return toHex(mixed);
  }
  return toHex(target);
}

/** The series colours, each readable on `background`, duplicates after adjustment dropped. */
export function readablePalette(colors: string[], background: string): string[] {
  const out: string[] = [];
  for (const c of colors) {
    const adjusted = withContrast(c, background);
    if (!out.includes(adjusted)) out.push(adjusted);
  }
  return out;
}

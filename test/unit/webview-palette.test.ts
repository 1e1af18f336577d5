import { test } from 'node:test';
import assert from 'node:assert/strict';
import { contrastRatio, parseColor, readablePalette, withContrast, MIN_GRAPHIC_CONTRAST } from '../../src/webview/palette.js';

// VS Code's own chart colours in Light+ / Dark Modern and their editor backgrounds.
const LIGHT = { bg: '#ffffff', colors: ['#1a85ff', '#d18616', '#388a34', '#652d90', '#e51400', '#bf8803'] };
const DARK = { bg: '#1f1f1f', colors: ['#3794ff', '#d18616', '#89d185', '#b180d7', '#f14c4c', '#cca700'] };
const HC_LIGHT = { bg: '#ffffff', colors: ['#0f4a85', '#b5200d', '#007100', '#264f78'] };

test('every series colour meets 3:1 against the background in light, dark and high-contrast themes', () => {
  for (const theme of [LIGHT, DARK, HC_LIGHT]) {
    const palette = readablePalette(theme.colors, theme.bg);
    assert.ok(palette.length >= Math.min(4, theme.colors.length));
    for (const c of palette) assert.ok(contrastRatio(parseColor(c)!, parseColor(theme.bg)!) >= MIN_GRAPHIC_CONTRAST, `${c} on ${theme.bg}`);
  }
  // orange and yellow on white are too faint as they come (2.9:1, 2.3:1) and get darkened; a colour that already passes is kept
  for (const faint of ['#d18616', '#cca700']) {
    assert.ok(contrastRatio(parseColor(faint)!, parseColor('#ffffff')!) < 3);
    assert.notEqual(withContrast(faint, '#ffffff'), faint);
  }
  assert.equal(withContrast('#1a85ff', '#1f1f1f'), '#1a85ff');
});

test('colour parsing: hex, short hex, rgb(); anything else is left as it is', () => {
  assert.deepEqual(parseColor('#fff'), [255, 255, 255]);
  assert.deepEqual(parseColor('#0080ffcc'), [0, 128, 255]);
  assert.deepEqual(parseColor('rgb(1, 2, 3)'), [1, 2, 3]);
  assert.equal(parseColor('var(--x)'), undefined);
  assert.equal(withContrast('color-mix(in srgb, red, blue)', '#fff'), 'color-mix(in srgb, red, blue)');
  assert.ok(Math.abs(contrastRatio([0, 0, 0], [255, 255, 255]) - 21) < 1e-9);
});

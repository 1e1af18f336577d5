// Plays VS Code for the notebook renderer: activate() it and render one output item.
import { activate } from '/media/renderer.js';

const renderer = activate({});
const payload = window.__rendererPayload();
const item = {
  id: 'cell-1-output-1',
  mime: 'application/vnd.onchain-sql.result+json',
  metadata: {},
  json: () => payload,
  text: () => JSON.stringify(payload),
  data: () => new TextEncoder().encode(JSON.stringify(payload)),
  blob: () => new Blob([JSON.stringify(payload)]),
};
const el = document.createElement('div');
el.id = 'output';
document.getElementById('root').append(el);
renderer.renderOutputItem(item, el, new AbortController().signal);

import { OfflineProvider } from '../src/core/nl2sql/offline/index.js';
const p = new OfflineProvider({ labels: [{ name: 'Binance 14', category: 'cex' }, { name: 'Coinbase 3', category: 'cex' }, { name: 'Arbitrum: Bridge', category: 'bridge' }] });
const cases: Array<[string[], string]> = JSON.parse(require('node:fs').readFileSync(0, 'utf8'));
for (const [h, q] of cases) {
  try { console.log('OK  ', q, '=>', p.translate(q, h.map((question) => ({ question }))).sql.slice(0, 260)); } catch (e) { console.log('FAIL', q, '=>', (e as Error).message.slice(0, 120)); }
}

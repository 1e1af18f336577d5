import { mergeFrames } from '../src/core/nl2sql/offline/index.js';
import { lexQuestion } from '../src/core/nl2sql/offline/frame.js';
import { buildLexicon } from '../src/core/nl2sql/offline/lexicon.js';
const lex = buildLexicon([], [{ name: 'Binance 14', category: 'cex' }, { name: 'Arbitrum: Delayed Inbox', category: 'bridge' }]);
const qs: string[] = JSON.parse(process.argv[2]);
const show = (f: object) => JSON.stringify(Object.fromEntries(Object.entries(f).filter(([, v]) => v !== undefined && v !== false && !(Array.isArray(v) && !v.length))));
let f = lexQuestion(qs[0], lex); console.log('  first', show(f));
for (const x of qs.slice(1)) { const c = lexQuestion(x, lex); console.log('  cur', x, show(c)); f = mergeFrames(f, c); console.log('  merged', show(f)); }

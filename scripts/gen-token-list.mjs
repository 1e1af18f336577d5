// Regenerates schemas/tokens.json, the bundled real mainnet token list, from
// @metamask/contract-metadata (ISC). Committed output: nothing is fetched at run time.
import * as fs from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const map = require('@metamask/contract-metadata/contract-map.json');
const tokens = Object.entries(map)
  .filter(([, v]) => v.erc20 && v.symbol && Number.isInteger(v.decimals))
  .map(([address, v]) => ({ address: address.toLowerCase(), symbol: v.symbol, name: v.name, decimals: v.decimals }))
  .sort((a, b) => a.address.localeCompare(b.address));
fs.writeFileSync(new URL('../schemas/tokens.json', import.meta.url), JSON.stringify({ source: '@metamask/contract-metadata', license: 'ISC', tokens }, null, 0).replace(/\},\{/g, '},\n{') + '\n');
console.log(`wrote ${tokens.length} tokens`);

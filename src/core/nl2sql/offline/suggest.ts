import type { Frame } from './frame.js';

/**
 * Questions the translator can answer, nearest to what it recognised. Each is
 * a template over the recognised token/project/category; a unit test checks
 * that every suggestion it can produce actually translates.
 */
export function suggestionsFor(f: Frame | undefined): string[] {
  const out: string[] = [];
  const add = (...qs: string[]) => { for (const q of qs) if (!out.includes(q)) out.push(q); };
  const token = f?.tokens[0];
  if (token && token !== 'ETH') {
    if (f?.fields.includes('price')) add(`What is the latest ${token} price?`, `What was the lowest ${token} price in the last 7 days?`, `Daily average ${token} price`);
    add(
      `How much ${token} was transferred in the last 24 hours?`,
      `Daily ${token} transfer volume`,
      `Top 10 ${token} senders over the last week`,
      `How many ${token} transfers happened today?`,
      `Hourly ${token} price over the last 24 hours`,
    );
  } else if (token === 'ETH') {
    add('Hourly ETH price over the last 24 hours', 'How much ETH was transferred yesterday?', 'Show the 5 largest ETH transfers in the last 24 hours', 'Top 10 addresses by ETH received yesterday');
  }
  const project = f?.projects[0];
  if (project) {
    add(`How many trades were made on ${cap(project)} in the last 24 hours?`, `Daily ${cap(project)} volume`, `Top 10 token pairs on ${cap(project)} by volume`, `Which ${cap(project)} pool had the highest volume yesterday?`);
  }
  if (f?.dex || f?.nouns.some((n) => n === 'trade' || n === 'pool' || n === 'pair' || n === 'trader')) {
    add('DEX volume in USD yesterday', 'Daily DEX volume by project', 'Top 10 token pairs by trade count in the last 7 days', 'Which pool had the highest volume yesterday?');
  }
  const category = f?.categories[0];
  if (category) {
    const names: Record<string, string> = { cex: 'centralized exchanges', bridge: 'bridges', dex: 'DEX contracts', lending: 'lending protocols', mev: 'MEV bots', nft: 'NFT marketplaces', stablecoin: 'stablecoin contracts', fund: 'funds' };
    const n = names[category] ?? category;
    add(`How much ETH did ${n} receive in the last 24 hours?`, `USDC volume withdrawn from ${n} per day`, `How much USDT was sent to ${n} yesterday?`);
  }
  if (f?.nouns.includes('block') || f?.fields.includes('base_fee')) {
    add('Which block had the highest base fee?', 'How many blocks were produced in the last 24 hours?', 'Average base fee per hour over the last day');
  }
  if (f?.fields.some((x) => x === 'fee' || x === 'gas_price' || x === 'gas_used')) {
    add('Daily average gas price in gwei', 'Total transaction fees in ETH per day', 'Maximum gas used by a single transaction in the last 7 days');
  }
  if (f?.fields.includes('volume') && !token && !f.dex) add('DEX volume in USD yesterday', 'Daily WETH transfer volume', 'How much ETH was transferred yesterday?');
  if (f?.fields.includes('price') && !token) add('Hourly ETH price over the last 24 hours', 'What was the lowest LINK price in the last 7 days?', 'What is the latest WBTC price?');
  add(
    'How many transactions happened today?',
    'Transactions per hour over the last 24 hours',
    'What fraction of transactions failed in the last 7 days?',
    'Daily DEX volume by project',
    'Top 5 tokens by number of transfers in the last 7 days',
  );
  return out.slice(0, 5);
}

function cap(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

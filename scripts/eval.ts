// Execution-accuracy evaluation of a question set.
// Usage: npm run eval -- --set FILE.jsonl [--provider offline|claude] [--snapshot DIR]
//        [--report FILE] [--min-accuracy 0.9] [--direct] [--quiet]
// Each line: {"id", "question", "sql"} or {"id", "question", "expect": "cannot_answer"};
// optional "family" and "history" (earlier questions of the conversation, oldest first).
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Engine } from '../src/core/engine/engine.js';
import { defaultSnapshotDir } from '../src/core/snapshot/paths.js';
import { runEval, formatSummary, type EvalCase } from '../src/core/eval/run.js';
import type { Provider } from '../src/core/nl2sql/provider.js';
import { OfflineProvider } from '../src/core/nl2sql/offline/index.js';

interface Args {
  set: string;
  provider: 'offline' | 'claude';
  snapshot: string;
  report?: string;
  minAccuracy?: number;
  direct: boolean;
  quiet: boolean;
}

function parseArgs(argv: string[]): Args {
  const get = (name: string) => {
    const i = argv.indexOf(`--${name}`);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  const set = get('set');
  if (!set) {
    console.error('usage: npm run eval -- --set FILE.jsonl [--provider offline|claude] [--snapshot DIR] [--report FILE] [--min-accuracy X] [--direct]');
    process.exit(2);
  }
  const provider = get('provider') ?? 'offline';
  if (provider !== 'offline' && provider !== 'claude') {
    console.error(`unknown provider "${provider}" (offline or claude)`);
    process.exit(2);
  }
  const min = get('min-accuracy');
  return {
    set, provider, snapshot: get('snapshot') ?? defaultSnapshotDir(), report: get('report'),
    minAccuracy: min !== undefined ? Number(min) : undefined, direct: argv.includes('--direct'), quiet: argv.includes('--quiet'),
  };
}

async function makeProvider(kind: Args['provider'], engine: Engine): Promise<Provider> {
  if (kind === 'offline') return OfflineProvider.forEngine(engine);
  const { createProvider } = await import('../src/core/nl2sql/providers.js');
  return createProvider({ kind: 'claude' });
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const cases: EvalCase[] = fs.readFileSync(args.set, 'utf8').split('\n').filter((l) => l.trim()).map((l) => JSON.parse(l) as EvalCase);
  const engine = await Engine.open(args.snapshot);
  try {
    const provider = await makeProvider(args.provider, engine);
    const report = await runEval(engine, provider, cases, {
      via: args.direct ? 'direct' : 'ask',
      onCase: (r) => {
        if (!r.pass) {
          console.log(`MISS ${r.id}: ${r.question}`);
          console.log(`     ${r.reason}`);
          if (r.predictedSql) console.log(`     predicted: ${r.predictedSql}`);
          if (r.error) console.log(`     error: ${r.error}`);
          if (r.referenceSql) console.log(`     reference: ${r.referenceSql}`);
        } else if (!args.quiet) console.log(`ok   ${r.id}: ${r.question}`);
      },
    });
    report.set = path.basename(args.set);
    report.snapshot = args.snapshot;
    console.log(formatSummary(report));
    const reportFile = args.report ?? path.join('eval', 'reports', `${path.basename(args.set).replace(/\.jsonl$/, '')}-${args.provider}.json`);
    fs.mkdirSync(path.dirname(reportFile), { recursive: true });
    fs.writeFileSync(reportFile, JSON.stringify(report, null, 2));
    console.log(`report: ${reportFile}`);
    if (args.minAccuracy !== undefined && report.accuracy < args.minAccuracy) {
      console.error(`accuracy ${report.accuracy.toFixed(3)} is below --min-accuracy ${args.minAccuracy}`);
      process.exitCode = 1;
    }
  } finally {
    engine.close();
  }
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? e.message : String(e));
  process.exit(1);
});

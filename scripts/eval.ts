// Execution-accuracy evaluation of question sets.
// Usage: npm run eval -- --set FILE.jsonl | --all  [--provider offline|claude|claude-local] [--snapshot DIR]
//        [--report FILE] [--min-accuracy 0.9] [--direct] [--quiet]
// Each line: {"id", "question", "sql"} or {"id", "question", "expect": "cannot_answer"};
// optional "family" (reported per class, with the ids missed) and "history" (earlier questions, oldest first).
// claude needs ANTHROPIC_API_KEY (or ANTHROPIC_BASE_URL); claude-local runs Claude's real client against the
// local Messages API test server replaying each case's reference SQL: a check of the pipeline, not of a model.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Engine } from '../src/core/engine/engine.js';
import { defaultSnapshotDir } from '../src/core/snapshot/paths.js';
import { runEval, formatSummary, type EvalCase, type EvalReport } from '../src/core/eval/run.js';
import type { Provider } from '../src/core/nl2sql/provider.js';
import { OfflineProvider } from '../src/core/nl2sql/offline/index.js';

const ALL_SETS = ['eval/dev-questions.jsonl', 'eval/paraphrases.jsonl', 'eval/unseen.jsonl', 'eval/unseen2.jsonl', 'eval/followups.jsonl', 'eval/unseen3.jsonl', 'eval/followups2.jsonl', 'eval/unseen4.jsonl', 'eval/followups3.jsonl', 'eval/followups4.jsonl', 'eval/followups5.jsonl', 'eval/followups6.jsonl', 'eval/followups7.jsonl', 'eval/followups8.jsonl', 'eval/followups9.jsonl', 'eval/followups10.jsonl', 'eval/followups11.jsonl', 'eval/followups12.jsonl', 'eval/followups13.jsonl', 'eval/followups14.jsonl', 'eval/followups15.jsonl', 'eval/followups16.jsonl', 'eval/followups17.jsonl', 'eval/followups18.jsonl', 'eval/followups19.jsonl', 'eval/followups20.jsonl', 'eval/followups21.jsonl', 'eval/followups22.jsonl'];
type ProviderArg = 'offline' | 'claude' | 'claude-local';

interface Args {
  sets: string[];
  provider: ProviderArg;
  snapshot: string;
  report?: string;
  minAccuracy?: number;
  direct: boolean;
  quiet: boolean;
}

function usage(message: string): never {
  console.error(`${message}\nusage: npm run eval -- --set FILE.jsonl | --all [--provider offline|claude|claude-local] [--snapshot DIR] [--report FILE] [--min-accuracy X] [--direct] [--quiet]`);
  process.exit(2);
}

function parseArgs(argv: string[]): Args {
  const get = (name: string) => {
    const i = argv.indexOf(`--${name}`);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  const set = get('set');
  const sets = argv.includes('--all') ? ALL_SETS.filter((s) => fs.existsSync(s)) : set ? [set] : usage('name a set (--set FILE.jsonl) or --all');
  const provider = (get('provider') ?? 'offline') as ProviderArg;
  if (!['offline', 'claude', 'claude-local'].includes(provider)) usage(`unknown provider "${provider}" (offline, claude or claude-local)`);
  const min = get('min-accuracy');
  if (min !== undefined && !(Number(min) >= 0 && Number(min) <= 1)) usage(`--min-accuracy needs a number from 0 to 1, got "${min}"`);
  if (get('report') && sets.length > 1) usage('--report names one file: use it with --set');
  return {
    sets, provider, snapshot: get('snapshot') ?? defaultSnapshotDir(), report: get('report'),
    minAccuracy: min !== undefined ? Number(min) : undefined, direct: argv.includes('--direct'), quiet: argv.includes('--quiet'),
  };
}

interface Runner {
  provider: Provider;
  beforeCase?: (c: EvalCase) => void;
  close(): Promise<void>;
}

async function makeRunner(kind: ProviderArg, engine: Engine): Promise<Runner> {
  if (kind === 'offline') return { provider: await OfflineProvider.forEngine(engine), close: async () => {} };
  const { ClaudeProvider } = await import('../src/core/nl2sql/claude.js');
  if (kind === 'claude') {
    const { createProvider } = await import('../src/core/nl2sql/providers.js');
    return { provider: createProvider({ kind: 'claude', apiKey: process.env.ANTHROPIC_API_KEY, baseURL: process.env.ANTHROPIC_BASE_URL, model: process.env.ONCHAIN_SQL_MODEL }), close: async () => {} };
  }
  const { startAnthropicServer, sqlReply, toolReply } = await import('../test/support/anthropic-server.js');
  const server = await startAnthropicServer();
  return {
    provider: new ClaudeProvider({ apiKey: 'sk-ant-local-eval-server', baseURL: server.baseURL, maxRetries: 0, timeoutMs: 10_000 }),
    beforeCase: (c) => server.script(c.sql ? sqlReply(c.sql) : toolReply({ reason: 'reference says cannot answer' }, { name: 'cannot_answer' })),
    close: () => server.close(),
  };
}

async function runSet(args: Args, engine: Engine, runner: Runner, set: string): Promise<EvalReport> {
  const cases: EvalCase[] = fs.readFileSync(set, 'utf8').split('\n').filter((l) => l.trim()).map((l) => JSON.parse(l) as EvalCase);
  const report = await runEval(engine, runner.provider, cases, {
    via: args.direct ? 'direct' : 'ask',
    beforeCase: runner.beforeCase,
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
  report.set = path.basename(set);
  report.snapshot = args.snapshot;
  report.provider = args.provider;
  console.log(formatSummary(report));
  const reportFile = args.report ?? path.join('eval', 'reports', `${path.basename(set).replace(/\.jsonl$/, '')}-${args.provider}.json`);
  fs.mkdirSync(path.dirname(reportFile), { recursive: true });
  fs.writeFileSync(reportFile, JSON.stringify(report, null, 2));
  console.log(`report: ${reportFile}`);
  return report;
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const engine = await Engine.open(args.snapshot);
  const runner = await makeRunner(args.provider, engine);
  try {
    const reports: EvalReport[] = [];
    for (const set of args.sets) reports.push(await runSet(args, engine, runner, set));
    if (reports.length > 1) {
      console.log(`\nall sets · provider ${args.provider}:`);
      for (const r of reports) console.log(`  ${(r.set ?? '').padEnd(24)} ${r.passed}/${r.total} = ${(100 * r.accuracy).toFixed(1)}%`);
    }
    const low = reports.filter((r) => args.minAccuracy !== undefined && r.accuracy < args.minAccuracy);
    for (const r of low) console.error(`${r.set}: accuracy ${r.accuracy.toFixed(3)} is below --min-accuracy ${args.minAccuracy}`);
    if (low.length) process.exitCode = 1;
  } finally {
    await runner.close();
    engine.close();
  }
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? e.message : String(e));
  process.exit(1);
});

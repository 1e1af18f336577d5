import * as path from 'node:path';
import { readManifest } from '../../core/snapshot/manifest.js';
import type { Manifest } from '../../core/snapshot/layout.js';
import { buildSnapshot } from '../../core/snapshot/build.js';
import { importSnapshot } from '../../core/snapshot/import.js';
import { SAMPLE_SCALE, SAMPLE_SEED } from '../../core/snapshot/paths.js';
import { choiceOption, expectPositionals, numberOption, usageError } from '../args.js';
import { defineCommand, type CliCommand } from '../command.js';
import { formatTable } from '../format.js';
import { snapshotDir } from '../open-snapshot.js';
import { progressLog, writeOut } from '../output.js';

/** `onchain-sql snapshot build|import|info`: makes, imports and describes snapshots. */
const buildImportInfo = defineCommand({
  scale: { type: 'string' },
  seed: { type: 'string' },
  out: { type: 'string' },
  from: { type: 'string' },
}, async (values, positionals) => {
  const [sub, ...rest] = positionals;
  const progress = progressLog(values.json);
  let manifest: Manifest;
  if (sub === 'build') {
    const outDir = snapshotDir(values.out);
    const t0 = performance.now();
    manifest = await buildSnapshot({ outDir, scale: numberOption(values.scale, 'scale', SAMPLE_SCALE), seed: numberOption(values.seed, 'seed', SAMPLE_SEED), onProgress: progress });
    progress(`Built ${outDir} in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  } else if (sub === 'import') {
    if (values.from === undefined) throw usageError('snapshot import needs --from cryo or --from ethereum-etl');
    const from = choiceOption(values.from, 'from', ['cryo', 'ethereum-etl'] as const, 'cryo');
    const [inDir] = expectPositionals(rest, 1, 'snapshot import needs the export folder: snapshot import --from FORMAT DIR --out DIR');
    if (!values.out) throw usageError('snapshot import needs --out DIR');
    manifest = await importSnapshot({ from, inDir: path.resolve(inDir), outDir: path.resolve(values.out), onProgress: progress });
  } else if (sub === 'info') {
    manifest = readManifest(snapshotDir(values.snapshot));
  } else {
    throw usageError(`unknown snapshot command "${sub ?? ''}": use build, import or info`);
  }
  writeOut(values.json ? JSON.stringify(manifest) : describeManifest(manifest));
  return 0;
});

function describeManifest(m: Manifest): string {
  return [
    `chain        ${m.chain}${m.synthetic ? ' (synthetic sample)' : ''}`,
    `source       ${m.source}${m.seed !== undefined ? `, seed ${m.seed}, scale ${m.scale}` : ''}`,
    `blocks       ${m.blockRange.first} – ${m.blockRange.last}`,
    `time         ${m.timeRange.first} – ${m.timeRange.last} UTC`,
    `schema       v${m.schemaVersion}`,
    'rows:',
    formatTable([{ name: 'table', type: 'VARCHAR' }, { name: 'rows', type: 'BIGINT' }], Object.entries(m.rowCounts)),
  ].join('\n');
}

/** `snapshot sync` has its own options and usage (snapshot-sync.ts); the others share these. */
export const command: CliCommand = {
  run: async (args) => args[0] === 'sync'
    ? (await import('../snapshot-sync.js')).snapshotSyncCommand(args.slice(1))
    : buildImportInfo.run(args),
};

// `npm run bench [-- NAME ...]`: runs every bench/*.bench.ts (or the named ones) in turn,
// prints each report and writes bench/RESULTS.md and bench/results.json with the machine noted.
import { readdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import path from 'node:path';
import { machine, type Bench, type BenchReport } from './harness';

const dir = path.dirname(fileURLToPath(import.meta.url));
const wanted = process.argv.slice(2).filter((a) => !a.startsWith('-'));
const files = readdirSync(dir)
  .filter((f) => f.endsWith('.bench.ts'))
  .filter((f) => wanted.length === 0 || wanted.includes(f.replace(/\.bench\.ts$/, '')))
  .sort();
if (files.length === 0) {
  console.error(`bench: no bench named ${wanted.join(', ')} in ${dir}`);
  process.exit(2);
}

const reports: Array<BenchReport & { file: string }> = [];
const host = machine();
console.log(`machine: ${host}\n`);
for (const file of files) {
  const mod = (await import(pathToFileURL(path.join(dir, file)).href)) as { default: Bench };
  const report = await mod.default();
  reports.push({ ...report, file });
  console.log(`## ${report.title}\n\n${report.lines.join('\n')}\n`);
}

// A partial run (named benches) prints only, so RESULTS.md always holds one whole run.
if (wanted.length === 0) {
  const stamp = new Date().toISOString();
  const md = [
    '# Benchmark results',
    '',
    `Written by \`npm run bench\` on ${stamp}.`,
    `Machine: ${host}.`,
    'Figures are medians of repeated runs; compare the ratios, which hold across these shared, noisy machines better than absolute rates.',
    '',
    ...reports.flatMap((r) => [`## ${r.title}`, '', `(\`bench/${r.file}\`)`, '', ...r.lines, '']),
  ].join('\n');
  writeFileSync(path.join(dir, 'RESULTS.md'), md);
  writeFileSync(
    path.join(dir, 'results.json'),
    JSON.stringify(
      { machine: host, at: stamp, benches: Object.fromEntries(reports.map((r) => [r.file, r.data])) },
      null,
      2,
    ) + '\n',
  );
  console.log('written: bench/RESULTS.md, bench/results.json');
}
// Benches that opened Redis connections or servers close them; exit anyway so a stray handle cannot hang the run.
process.exit(0);

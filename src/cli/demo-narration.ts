// What `newswatch demo` tells a person on a terminal: the articles published, what was read
// from them, what was expected, what fulfilled it and why, which alerts reached whom, and a
// one-line verdict. Pure (the delivered alerts in, lines out), so the wording is unit-tested
// without running the pipeline; `--json` keeps the raw alert lines for scripts.
import type { AlertData, SourcePayload } from '../domain/alert-payload';
import { formatTime, horizonWords, onDate, windowWords } from '../domain/wording';

export interface DemoDelivery {
  alert: AlertData;
  /** the receiver checked the Standard Webhooks signature */
  verified: boolean;
}

export interface DemoRun {
  /** feed id → the name feeds.yml gives it */
  feeds: Record<string, string>;
  /** the demo's one subscriber and where its alerts go */
  subscriber: { name: string; webhookUrl: string; email?: string | undefined };
  /** what the webhook receiver got, in arrival order */
  deliveries: DemoDelivery[];
  /** entity id → human name (analyzer.nameOf) */
  nameOf: (id: string) => string;
  /** set when the run gave up before the pipeline finished */
  timedOutAfterSeconds?: number | undefined;
}

const LANGUAGES: Record<string, string> = { ar: 'Arabic', en: 'English', fr: 'French', fa: 'Persian' };

const and = (names: string[]) =>
  names.length <= 1 ? (names[0] ?? '') : `${names.slice(0, -1).join(', ')} and ${names.at(-1)!}`;
const a = (word: string) => (/^[aeiou]/i.test(word) ? `an ${word}` : `a ${word}`);

type EventData = NonNullable<AlertData['event']>;

function describeEvent(e: EventData, nameOf: (id: string) => string): string {
  const parts = [`${a(e.type)} of ${and(e.participants.map(nameOf))}`];
  if (e.actors.length) parts.push(`with ${and(e.actors.map(nameOf))}`);
  if (e.place) parts.push(`in ${nameOf(e.place)}`);
  parts.push(onDate(e.date));
  return parts.join(', ');
}

export function narrateDemo(run: DemoRun): string[] {
  const { nameOf } = run;
  const verified = run.deliveries.filter((d) => d.verified).map((d) => d.alert);

  // Every article any delivered alert cites, oldest first: numbered once, referred to by number.
  const articles = new Map<string, SourcePayload>();
  for (const al of verified) for (const s of al.sources) if (!articles.has(s.url)) articles.set(s.url, s);
  const ordered = [...articles.values()].sort((x, y) => x.date.localeCompare(y.date));
  const number = (s: SourcePayload) => ordered.findIndex((o) => o.url === s.url) + 1;

  const lines: string[] = ['newswatch demo: the seed scenario on local fixtures', ''];

  lines.push('Published');
  if (!ordered.length) lines.push('  (no article reached an alert)');
  for (const [i, s] of ordered.entries()) {
    const feed = s.feed ? (run.feeds[s.feed] ?? s.feed) : 'no feed';
    lines.push(`  article ${i + 1}: ${feed}, ${formatTime(s.date)}, ${LANGUAGES[s.language] ?? s.language}`);
    lines.push(`    ${s.title}`);
  }

  // The main event read from each article: the one an alert carries with that article as source.
  lines.push('', 'Read');
  const events = new Map<number, EventData>();
  for (const al of verified) {
    const e = al.event;
    const src = e?.sources[0];
    if (e && src && !events.has(number(src))) events.set(number(src), e);
  }
  if (!events.size) lines.push('  (no event was read)');
  for (const [n, e] of [...events].sort(([x], [y]) => x - y))
    lines.push(`  from article ${n}: ${describeEvent(e, nameOf)}`);

  lines.push('', 'Expected');
  const opened = verified.filter((al) => al.kind === 'expectation.opened' && al.expectation);
  if (!opened.length) lines.push('  (no expectation was read)');
  for (const al of opened) {
    const x = al.expectation!;
    lines.push(
      `  from article ${number(x.source)}: ${and(x.types.map(a))} of ${and(x.participants.map(nameOf))}`,
      `    ${horizonWords(x.horizon)}: watched ${windowWords(x.due)}`,
      `    from the sentence: ${x.text}`,
    );
  }

  lines.push('', 'Fulfilled');
  const fulfilled = verified.filter((al) => al.kind === 'expectation.fulfilled' && al.expectation);
  if (!fulfilled.length) lines.push('  (nothing fulfilled an expectation)');
  for (const al of fulfilled) {
    const x = al.expectation!;
    const by = x.fulfilledBy;
    const what = al.event ? describeEvent(al.event, nameOf) : 'an event';
    lines.push(
      `  the expectation from article ${number(x.source)}, by article ${by ? number(by.source) : '?'}:`,
    );
    lines.push(`    ${what}`);
    if (by) {
      lines.push(`    score ${by.score.toFixed(3)}, because:`);
      for (const r of by.reasons) lines.push(`    - ${r}`);
    }
  }

  lines.push('', 'Delivered');
  lines.push(`  to ${run.subscriber.name} by webhook at ${run.subscriber.webhookUrl}:`);
  if (!run.deliveries.length) lines.push('    (no alert was delivered)');
  const width = Math.max(0, ...run.deliveries.map((d) => d.alert.kind.length));
  for (const d of run.deliveries) {
    const check = d.verified ? 'signature verified' : 'SIGNATURE NOT VERIFIED';
    lines.push(`    ${d.alert.kind.padEnd(width)}  ${check}  ${d.alert.title}`);
  }
  lines.push(
    run.subscriber.email
      ? `  by email to ${run.subscriber.email}`
      : `  by email: none (${run.subscriber.name} has no email address in the demo)`,
  );

  lines.push('', verdict(run, verified, number));
  return lines;
}

function verdict(run: DemoRun, verified: AlertData[], number: (s: SourcePayload) => number): string {
  const fulfilled = verified.filter((al) => al.kind === 'expectation.fulfilled' && al.expectation);
  const first = fulfilled[0]?.expectation;
  if (first) {
    const by = first.fulfilledBy ? ` by article ${number(first.fulfilledBy.source)}` : '';
    return `PASS: the expectation opened by article ${number(first.source)} was fulfilled${by} (${fulfilled.length} expectation.fulfilled delivered)`;
  }
  const unverified = run.deliveries.length - verified.length;
  const why =
    run.timedOutAfterSeconds !== undefined
      ? `no expectation.fulfilled alert within ${run.timedOutAfterSeconds} s`
      : !verified.some((al) => al.kind === 'expectation.opened')
        ? 'no expectation was opened, so nothing could be fulfilled'
        : 'an expectation was opened but no expectation.fulfilled alert was delivered';
  return `FAIL: ${why}${unverified ? ` (${unverified} delivery with a bad signature)` : ''}`;
}

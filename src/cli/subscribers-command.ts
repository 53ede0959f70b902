// The `newswatch subscribers` command and its subcommands (the work is in ./subscribers.ts).
import type { Command } from 'commander';
import { loadConfig } from '../config/env';
import { createLogger } from '../log';
import { assertRedisReachable } from '../store/redis';
import {
  addSubscriber,
  deleteSubscriber,
  editSubscriber,
  formatSubscriber,
  formatSubscriberList,
  formatUnsubscribed,
  getSubscriber,
  listSubscribers,
  listUnsubscribed,
  pauseSubscriber,
  resubscribe,
  type SubscriberFlags,
} from './subscribers';

/** Straight on Redis, as `newswatch feeds` is: one line (or a table) on stdout. */
const run = async (work: (config: ReturnType<typeof loadConfig>) => Promise<string>) => {
  const config = loadConfig();
  await assertRedisReachable(config.redisUrl);
  process.stdout.write(`${await work(config)}\n`);
};
// Errors only: the warnings a context logs at start concern the service (SMTP_URL unset, no
// events file), not the command.
const log = () => createLogger('error');

function fieldOptions(cmd: Command, editing: boolean): Command {
  const empty = editing ? " ('' removes it)" : '';
  return cmd
    .option('--name <name>', 'display name')
    .option('--email <addresses>', `email addresses, comma-separated; they share one channel${empty}`)
    .option('--webhook-url <url>', `the webhook receiver${editing ? " ('' removes the webhook)" : ''}`)
    .option(
      '--webhook-secret <secret>',
      `its Standard Webhooks secret, whsec_...${editing ? ' (replaces the current one)' : ''}; --file keeps it out of the shell history`,
    )
    .option('--rate <n>', 'webhook requests per second (default WEBHOOK_RATE_LIMIT)')
    .option('--mode <mode>', 'instant (each alert when raised) or digest')
    .option('--digest-schedule <cron>', 'digest: when a period closes, 5 cron fields')
    .option('--digest-timezone <zone>', 'digest: the IANA time zone of the schedule, e.g. Asia/Kuwait')
    .option(
      '--kinds <kinds>',
      `alert kinds wanted, comma-separated (default: all but the opt-in ones)${empty}`,
    )
    .option('--entities <ids>', `entity ids, any of them${empty}`)
    .option('--entities-all <ids>', `entity ids, all of them${empty}`)
    .option('--event-types <types>', `event types or roots${empty}`)
    .option('--feeds <ids>', `feed ids${empty}`)
    .option('--regions <tags>', `feed region tags${empty}`)
    .option('--languages <codes>', `source languages, e.g. ar,en${empty}`)
    .option('--min-score <n>', `least match score, 0 to 1${empty}`)
    .option(
      '--file <file.yml>',
      `the whole subscriber as YAML, as one entry of subscribers.yml is written${editing ? ' (replaces it)' : ''}`,
    );
}

export function subscribersCommand(program: Command): void {
  const subs = program
    .command('subscribers')
    .description('who receives alerts: list, add, change, pause, and subscribe again with consent');

  subs
    .command('list')
    .description('every subscriber: id, state (active or paused), origin, mode, name and channels')
    .option('--json', 'print the subscribers as JSON')
    .action((opts: { json?: boolean }) =>
      run(async (c) => {
        const list = await listSubscribers(c, log());
        return opts.json ? JSON.stringify(list, null, 2) : formatSubscriberList(list);
      }),
    );

  subs
    .command('show')
    .argument('<id>', 'subscriber id')
    .description('one subscriber: channels and their state, filters, and the consents recorded')
    .option('--json', 'print the subscriber as JSON')
    .action((id: string, opts: { json?: boolean }) =>
      run(async (c) => {
        const sub = await getSubscriber(c, log(), id);
        return opts.json ? JSON.stringify(sub, null, 2) : formatSubscriber(sub);
      }),
    );

  fieldOptions(
    subs
      .command('add')
      .description('add a subscriber at run time (validated as subscribers.yml is)')
      .option('--id <id>', 'subscriber id: lower-case words joined by hyphens'),
    false,
  ).action((opts: SubscriberFlags) => run((c) => addSubscriber(c, log(), opts)));

  fieldOptions(
    subs
      .command('edit')
      .argument('<id>', 'subscriber id (one added at run time: change subscribers.yml ones in the file)')
      .description('change the fields given of a subscriber added at run time, or replace it with --file'),
    true,
  ).action((id: string, opts: SubscriberFlags) => run((c) => editSubscriber(c, log(), id, opts)));

  for (const action of ['pause', 'resume'] as const)
    subs
      .command(action)
      .argument('<id>', 'subscriber id (subscribers.yml ones too)')
      .description(
        action === 'pause'
          ? 'pause a subscriber: it receives nothing, instant or digest, until resumed'
          : 'resume a paused subscriber: it receives the alerts raised from now on',
      )
      .action((id: string) => run((c) => pauseSubscriber(c, log(), action, id)));

  subs
    .command('delete')
    .argument('<id>', 'subscriber id (one added at run time)')
    .description('delete a subscriber added at run time; its unsubscriptions and consents are kept')
    .action((id: string) => run((c) => deleteSubscriber(c, log(), id)));

  subs
    .command('unsubscribed')
    .description('the channels whose recipients unsubscribed, with since when')
    .option('--json', 'print them as JSON')
    .action((opts: { json?: boolean }) =>
      run(async (c) => {
        const list = await listUnsubscribed(c, log());
        return opts.json ? JSON.stringify(list, null, 2) : formatUnsubscribed(list);
      }),
    );

  subs
    .command('resubscribe')
    .argument('<id>', 'subscriber id')
    .description("subscribe an unsubscribed channel again, with its recipient's consent recorded")
    .option('--channel <channel>', 'email or webhook')
    .option('--consent <note>', 'how the recipient agreed, e.g. "asked by phone 2026-12-04" (required)')
    .option('--by <name>', 'who records the consent (default: the user running the command)')
    .action((id: string, opts: { channel?: string; consent?: string; by?: string }) =>
      run((c) => resubscribe(c, log(), id, opts)),
    );
}

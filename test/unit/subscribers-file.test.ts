// subscribers.yml as an operator writes it: what is accepted, normalised, and how each mistake
// is reported (`file:line: field: message`).
import { describe, expect, it } from 'vitest';
import { parseSubscribers } from '../../src/config/data-files';

const SECRET = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
const OLD_SECRET = 'whsec_C2FVsBQIhrscChlQIMV+b5sSYspob7oD';
const known = { has: (id: string) => ['kuwait', 'nato', 'iran'].includes(id) };

const file = (body: string) => `subscribers:\n${body}`;

describe('parseSubscribers', () => {
  it('reads every field and normalises the shorthand forms', () => {
    const subs = parseSubscribers(
      file(`  - id: gulf-desk
    name: Gulf desk
    email: analyst@example.org
    webhook:
      url: https://hooks.example.org/nw
      secrets: [${SECRET}, ${OLD_SECRET}]
      ratePerSecond: 5
    filters:
      kinds: [expectation.fulfilled, event.same_event]
      entities: { all: [kuwait], any: [nato, iran] }
      eventTypes: [meeting, dialogue]
      feeds: [kuna-ar]
      regions: [gulf]
      languages: [ar, en]
      minScore: 0.8
  - id: morning-brief
    name: Morning brief
    email: [a@example.org, b@example.org]
    mode: digest
    digest: { schedule: '0 7 * * *', timezone: Asia/Kuwait }
  - id: ops
    name: Operators
    webhook: { url: 'http://127.0.0.1:9000/hook', secret: ${SECRET} }
`),
      'subscribers.yml',
      known,
    );
    expect(subs).toEqual([
      {
        id: 'gulf-desk',
        name: 'Gulf desk',
        email: ['analyst@example.org'],
        webhook: { url: 'https://hooks.example.org/nw', secrets: [SECRET, OLD_SECRET], ratePerSecond: 5 },
        filters: {
          kinds: ['expectation.fulfilled', 'event.same_event'],
          entities: { all: ['kuwait'], any: ['nato', 'iran'] },
          eventTypes: ['meeting', 'dialogue'],
          feeds: ['kuna-ar'],
          regions: ['gulf'],
          languages: ['ar', 'en'],
          minScore: 0.8,
        },
      },
      {
        id: 'morning-brief',
        name: 'Morning brief',
        email: ['a@example.org', 'b@example.org'],
        filters: {},
        mode: 'digest',
        digest: { schedule: '0 7 * * *', timezone: 'Asia/Kuwait' },
      },
      {
        id: 'ops',
        name: 'Operators',
        webhook: { url: 'http://127.0.0.1:9000/hook', secrets: [SECRET] },
        filters: {},
      },
    ]);
  });

  it('reads an empty file section as no subscribers', () => {
    expect(parseSubscribers('subscribers: []\n', 'subscribers.yml')).toEqual([]);
    expect(parseSubscribers('subscribers:\n', 'subscribers.yml')).toEqual([]);
  });

  const base = (lines: string) => file(`  - id: desk\n    name: Desk\n${lines}`);
  it.each([
    ['no channel', base(''), 'subscribers.yml:2: subscribers[0]: needs a channel: email, webhook or both'],
    [
      'a bad address',
      base('    email: [analyst@example.org, not-an-address]\n'),
      'subscribers.yml:4: subscribers[0].email[1]: "not-an-address" is not an email address',
    ],
    [
      'a webhook with no secret',
      base('    webhook: { url: https://h.example.org }\n'),
      'subscribers.yml:4: subscribers[0].webhook: needs exactly one of secret (one) or secrets (two, during a rotation)',
    ],
    [
      'a secret that is no Standard Webhooks secret (its value not repeated)',
      base('    webhook: { url: https://h.example.org, secret: hunter2 }\n'),
      'subscribers.yml:4: subscribers[0].webhook.secret: is not a Standard Webhooks secret (whsec_ then at least 16 base64 characters; the value is not shown)',
    ],
    [
      'three secrets',
      base(`    webhook: { url: https://h.example.org, secrets: [${SECRET}, ${SECRET}, ${SECRET}] }\n`),
      'subscribers.yml:4: subscribers[0].webhook.secrets: holds at most two secrets: the new one and the one it replaces',
    ],
    [
      'a webhook that is no URL',
      base(`    webhook: { url: ftp://h.example.org, secret: ${SECRET} }\n`),
      'subscribers.yml:4: subscribers[0].webhook.url: "ftp://h.example.org" is not an http(s) URL',
    ],
    [
      'an unknown alert kind',
      base('    email: a@example.org\n    filters:\n      kinds: [expectation.fulfiled]\n'),
      'subscribers.yml:6: subscribers[0].filters.kinds[0]: "expectation.fulfiled" is not an alert kind',
    ],
    [
      'a score above 1',
      base('    email: a@example.org\n    filters: { minScore: 80 }\n'),
      'subscribers.yml:5: subscribers[0].filters.minScore: must be between 0 and 1',
    ],
    [
      'a misspelt filter',
      base('    email: a@example.org\n    filters: { entites: [kuwait] }\n'),
      'subscribers.yml:5: subscribers[0].filters.entites: is not a known field',
    ],
    [
      'an entity the gazetteer does not know',
      base('    email: a@example.org\n    filters: { entities: { any: [nato, kuwiat] } }\n'),
      'subscribers.yml:5: subscribers[0].filters.entities.any[1]: "kuwiat" is no entity id in the gazetteer',
    ],
    [
      'a digest with no schedule',
      base('    email: a@example.org\n    mode: digest\n'),
      'subscribers.yml:5: subscribers[0].mode: digest needs `digest: {schedule, timezone}`',
    ],
    [
      'a digest schedule that is no cron pattern',
      base(
        "    email: a@example.org\n    mode: digest\n    digest: { schedule: 'daily at 7', timezone: UTC }\n",
      ),
      'subscribers.yml:6: subscribers[0].digest.schedule: "daily at 7" is not a cron expression',
    ],
    [
      'a time zone that does not exist',
      base(
        "    email: a@example.org\n    mode: digest\n    digest: { schedule: '0 7 * * *', timezone: Asia/Kuwayt }\n",
      ),
      'subscribers.yml:6: subscribers[0].digest.timezone: "Asia/Kuwayt" is not an IANA time zone',
    ],
    [
      'a digest schedule without digest mode',
      base("    email: a@example.org\n    digest: { schedule: '0 7 * * *', timezone: UTC }\n"),
      'subscribers.yml:5: subscribers[0].digest: is read only with `mode: digest`',
    ],
    [
      'an id declared twice',
      base('    email: a@example.org\n') + '  - id: desk\n    name: Again\n    email: b@example.org\n',
      'subscribers.yml:5: subscribers[1].id: "desk" is declared twice',
    ],
  ])('names the line and field for %s', (_, text, message) => {
    expect(() => parseSubscribers(text, 'subscribers.yml', known)).toThrow(message);
  });
});

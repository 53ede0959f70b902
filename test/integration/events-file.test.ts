// events.yml on the real Redis, through the start-up path: declared records are written once
// however often the service starts, a declared expectation is fulfilled by a later article or
// goes overdue like any other, and a bad file stops `newswatch start` with one located line.
import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  declaredEventId,
  declaredExpectationId,
  storeDeclared,
  loadEventsFile,
} from '../../src/config/events-file';
import type { Analyzer } from '../../src/domain/analyzer';
import type { ArticleInput } from '../../src/domain/types';
import { createLogger } from '../../src/log';
import { analyzeArticle } from '../../src/pipeline/analyze';
import { sweepOverdue } from '../../src/pipeline/sweep';
import { RedisEventBase } from '../../src/store/event-base';
import { connectRedis, deleteKeys } from '../../src/store/redis';
import { runPrefix } from '../../src/demo/seed-scenario';
import { createContext } from '../../workers/context';
import { analyzerPromise } from '../support/analyzer';
import { testConfig } from '../support/config';

const root = new URL('../../', import.meta.url).pathname;
const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

const EVENTS_YML = `# declared for the NATO-ICI Regional Centre in Kuwait
events:
  - type: accession
    participants: [الكويت, NATO]
    date: 2004-12
    title: Kuwait joins the Istanbul Cooperation Initiative
expectations:
  - types: [opening, visit]
    participants: [NATO, Kuwait]
    due: {from: 2017-01-16, to: 2017-01-31}
    text: NATO's secretary general is expected in Kuwait to open the NATO-ICI Regional Centre.
  - types: [summit]
    participants: [NATO, Kuwait]
    due: 2016-12
    text: A Kuwait–NATO summit was expected in December 2016.
`;

const OPENING = {
  types: ['opening', 'visit'],
  participants: ['nato', 'kuwait'],
  due: { from: '2017-01-16', to: '2017-01-31' },
};
const SUMMIT = {
  types: ['summit'],
  participants: ['nato', 'kuwait'],
  due: { from: '2016-12-01', to: '2016-12-31' },
};
const ACCESSION = {
  family: 'diplomacy',
  participants: ['kuwait', 'nato'],
  date: { value: '2004-12', precision: 'month' as const, from: '2004-12-01', to: '2004-12-31' },
};

const english: ArticleInput = {
  id: 'art-kuwait-centre-en',
  url: 'https://news.example/en/2017/01/kuwait-centre',
  title: "Stoltenberg opens NATO's Gulf regional centre in Kuwait",
  published: '2017-01-24T08:05:00Z',
  lang: 'en',
  text:
    'KUWAIT CITY, Jan 24 - NATO Secretary General Jens Stoltenberg and Kuwaiti Prime Minister Sheikh Jaber ' +
    'al-Mubarak al-Hamad al-Sabah on Monday opened the NATO-Istanbul Cooperation Initiative Regional Centre ' +
    "in Kuwait, the alliance's first presence of its kind in the Gulf.\n" +
    'The centre will run courses in civil emergency planning, energy security and cyber defence.',
};

const arabic: ArticleInput = {
  id: 'art-kuwait-centre-ar',
  url: 'https://news.example/ar/2017/01/kuwait-centre',
  title: 'الشيخ جابر المبارك وستولتنبرغ يفتتحان المركز الإقليمي لمبادرة إسطنبول في الكويت',
  published: '2017-01-23T14:45:00Z',
  lang: 'ar',
  text:
    'الكويت - افتتح سمو رئيس مجلس الوزراء الشيخ جابر المبارك الحمد الصباح والأمين العام لحلف شمال الأطلسي ' +
    '(الناتو) ينس ستولتنبرغ اليوم الإثنين المركز الإقليمي للحلف ومبادرة إسطنبول للتعاون في دولة الكويت.\n' +
    'وكانت الكويت قد انضمت إلى مبادرة إسطنبول للتعاون في ديسمبر 2004.',
};

describe('events.yml in the event base', () => {
  const config = testConfig('events-file');
  const redis = connectRedis(redisUrl);
  const base = new RedisEventBase(redis, config.prefix);
  const log = createLogger('silent');
  let dir: string;
  let file: string;
  let analyzer: Analyzer;
  const deps = (now: string) => ({
    analyzer,
    base,
    thresholds: config.thresholds,
    now: () => new Date(now),
  });

  beforeAll(async () => {
    analyzer = await analyzerPromise;
    dir = await mkdtemp(join(tmpdir(), 'nw-events-'));
    file = join(dir, 'events.yml');
    await writeFile(file, EVENTS_YML);
  });

  afterAll(async () => {
    await deleteKeys(redis, config.prefix);
    redis.disconnect();
    await rm(dir, { recursive: true, force: true });
  });

  it('writes each declared record once, however many times the service starts', async () => {
    for (let start = 0; start < 2; start++) {
      const ctx = await createContext({ ...config, eventsFile: file }, log, { feeds: [], subscribers: [] });
      await ctx.close();
    }
    const again = await loadEventsFile(file, config.lexiconFile, analyzer, new Date());
    expect(await storeDeclared(base, again!)).toEqual({ events: 0, expectations: 0 });

    const open = await base.openExpectationsFor(['kuwait'], { from: '2016-01-01', to: '2017-12-31' });
    expect(open.map((x) => x.id).sort()).toEqual(
      [declaredExpectationId(OPENING), declaredExpectationId(SUMMIT)].sort(),
    );
    expect(open.find((x) => x.id === declaredExpectationId(OPENING))!.source.url).toBe('file:events.yml#L8');
    const history = await base.eventsNear(['kuwait'], ACCESSION.date, 0);
    expect(history.map((e) => [e.id, e.type, e.historical, e.sources.length])).toEqual([
      [declaredEventId(ACCESSION), 'accession', true, 1],
    ]);
    expect(await redis.zcard(`${config.prefix}idx:open-expectations`)).toBe(2);
  });

  it('sweeps a declared expectation whose window closed into one overdue alert', async () => {
    const alerts = await sweepOverdue({
      base,
      nameOf: analyzer.nameOf,
      now: () => new Date('2017-01-20T00:00:00Z'),
      graceDays: 2,
    });
    expect(alerts.map((a) => [a.kind, a.expectation!.id])).toEqual([
      ['expectation.overdue', declaredExpectationId(SUMMIT)],
    ]);
    expect(alerts[0]!.sources[0]!.url).toBe('file:events.yml#L12');
    expect((await base.getExpectation(declaredExpectationId(OPENING)))!.state).toBe('open');
  });

  it('fulfils a declared expectation with a later article, in one alert citing events.yml', async () => {
    const result = await analyzeArticle(deps('2017-01-24T09:00:00Z'), english);
    const fulfilled = result.alerts.filter((a) => a.kind === 'expectation.fulfilled');
    expect(fulfilled).toHaveLength(1);
    expect(fulfilled[0]!.expectation!.id).toBe(declaredExpectationId(OPENING));
    expect(fulfilled[0]!.sources.map((s) => s.url)).toEqual(['file:events.yml#L8', english.url]);
    expect(result.matches).toContainEqual(
      expect.objectContaining({ kind: 'fulfils', targetId: declaredExpectationId(OPENING) }),
    );
    const stored = await base.getExpectation(declaredExpectationId(OPENING));
    expect(stored!.state).toBe('fulfilled');
    expect(stored!.fulfilledBy!.source.articleId).toBe(english.id);
  });

  it('joins an article recounting a declared past event to it, with no second copy and no alert', async () => {
    const result = await analyzeArticle(deps('2017-01-24T10:00:00Z'), arabic);
    const joined = result.events.find((e) => e.id === declaredEventId(ACCESSION));
    expect(joined!.sources.map((s) => s.articleId).sort()).toEqual(
      [`declared:${declaredEventId(ACCESSION)}`, arabic.id].sort(),
    );
    expect(await base.eventsNear(['kuwait', 'nato'], ACCESSION.date, 0)).toHaveLength(1);
    expect(result.alerts.filter((a) => a.event?.id === declaredEventId(ACCESSION))).toEqual([]);
  });
});

describe('newswatch start with a bad events.yml', () => {
  const prefix = runPrefix('events-bad');
  let dir: string;
  afterAll(async () => {
    const redis = connectRedis(redisUrl);
    await deleteKeys(redis, prefix);
    redis.disconnect();
    await rm(dir, { recursive: true, force: true });
  });

  it('exits 1 with one line naming the file, the line and the field', async () => {
    dir = await mkdtemp(join(tmpdir(), 'nw-events-bad-'));
    const file = join(dir, 'events.yml');
    await writeFile(
      file,
      'events: []\nexpectations:\n  - types: [summit]\n    participants: [NATO, Kuwiat]\n    due: 2027\n    text: a summit\n',
    );
    const child = spawn(process.execPath, [join(root, 'bin/newswatch'), 'start'], {
      cwd: root,
      env: {
        ...process.env,
        REDIS_URL: redisUrl,
        NEWSWATCH_PREFIX: prefix,
        EVENTS_FILE: file,
        PORT: '0',
        HOST: '127.0.0.1',
        OPERATOR_TOKEN: 'test-operator-token-0123456789',
      },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const code = await new Promise<number | null>((resolve) => child.on('exit', (c) => resolve(c)));
    expect(code).toBe(1);
    expect(stderr).toBe(
      `newswatch: ${file}:4: expectations[0].participants[1]: "Kuwiat" is no entity id or alias in the gazetteer\n`,
    );
  });
});

// Every alert kind, declared once. The type, the zod schemas of subscribers.yml and the API, the
// OpenAPI enum, the webhook JSON Schema and the README's table are all derived from this list, and
// test/unit/alert-kinds.test.ts fails when one of them says otherwise.

export const ALERT_KINDS = [
  'event.new',
  'event.same_event',
  'expectation.opened',
  'expectation.fulfilled',
  'expectation.overdue',
  'feed.failing',
  'feed.silent',
  'feed.broken',
  'article.match',
] as const;

export type AlertKind = (typeof ALERT_KINDS)[number];

/** The operator kinds, about a feed rather than the news. */
export const FEED_ALERT_KINDS = [
  'feed.failing',
  'feed.silent',
  'feed.broken',
] as const satisfies readonly AlertKind[];

/**
 * Kinds a subscriber receives only by opting in: new coverage of a known event is frequent and
 * mostly wanted by desks that follow one story, and feed alerts are for operators; both by naming
 * them in `filters.kinds`. `article.match` is opted into by having a watch (src/domain/watch.ts):
 * it goes to the subscriber its watch names and to no one else (src/domain/alerts.ts).
 */
export const OPT_IN_KINDS = [
  'event.same_event',
  ...FEED_ALERT_KINDS,
  'article.match',
] as const satisfies readonly AlertKind[];

/** What each kind tells its subscriber, one line each: the README's table and the API docs. */
export const ALERT_KIND_MEANING: { readonly [K in AlertKind]: string } = {
  'event.new': 'the first report of a current event',
  'event.same_event': 'new coverage of an event already reported',
  'expectation.opened': 'an article expects something to happen (who, what, by when)',
  'expectation.fulfilled': 'what an earlier article expected happened (one per expectation, ever)',
  'expectation.overdue': 'the window of an expectation closed (plus grace) and nothing fulfilled it',
  'feed.failing': 'a feed failed without a success for longer than `FEED_FAILING_AFTER`',
  'feed.silent': 'a feed published nothing new for several times its usual gap between items',
  'feed.broken': 'a feed or listing that gave items gives none, or its pages no longer give text',
  'article.match': "a new article meets one of the subscriber's watches (entities, keywords)",
};

export function isOptIn(kind: AlertKind): boolean {
  return (OPT_IN_KINDS as readonly string[]).includes(kind);
}

import { describe, expect, it } from 'vitest';
import { subscriberWants, type Subscriber } from '../../src/domain/alerts';
import type { Alert } from '../../src/domain/types';

const alert: Alert = {
  id: 'al_1',
  kind: 'expectation.fulfilled',
  createdAt: '2026-01-31T08:00:00Z',
  title: 't',
  parties: [
    { id: 'kuwait', name: 'Kuwait' },
    { id: 'nato', name: 'NATO' },
  ],
  sources: [],
  reasons: [],
};

const sub = (filters: Subscriber['filters']): Subscriber => ({ id: 's', name: 's', filters });

describe('subscriberWants', () => {
  it.each([
    ['no filters', {}, true],
    ['the kind followed', { kinds: ['expectation.fulfilled'] }, true],
    ['another kind only', { kinds: ['event.new'] }, false],
    ['one of the parties followed', { entities: ['nato', 'iran'] }, true],
    ['no party followed', { entities: ['iran'] }, false],
    ['kind and entity both match', { kinds: ['expectation.fulfilled'], entities: ['kuwait'] }, true],
    ['entity matches, kind does not', { kinds: ['expectation.opened'], entities: ['kuwait'] }, false],
  ] as [string, Subscriber['filters'], boolean][])('%s → %s', (_, filters, wanted) => {
    expect(subscriberWants(sub(filters), alert)).toBe(wanted);
  });
});

// The overdue sweep: expectations whose window has closed without a follow-up become
// overdue, each raising one expectation.overdue alert. Run periodically by the scheduler.
import { overdueAlert } from '../domain/alerts';
import { addDays, dayOf } from '../domain/dates';
import type { Alert } from '../domain/types';
import { hashKey } from '../store/articles';
import type { EventBase } from '../store/event-base';

export interface SweepDeps {
  base: EventBase;
  nameOf: (id: string) => string;
  now: () => Date;
  /** days past the window's end before calling it overdue: reports of an event can lag it */
  graceDays: number;
}

export async function sweepOverdue(deps: SweepDeps): Promise<Alert[]> {
  const now = deps.now();
  const cutoff = addDays(dayOf(now), -deps.graceDays);
  const alerts: Alert[] = [];
  for (const x of await deps.base.expiredBefore(cutoff)) {
    // A restatement goes overdue with the expectation it restates, which raises the one alert.
    if ((await deps.base.markOverdue(x.id)) && !x.restates)
      alerts.push(overdueAlert(x, deps.nameOf, hashKey, now));
  }
  return alerts;
}

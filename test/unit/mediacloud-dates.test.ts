// A quality floor on real pages: the publication day readArticle gives on htmldate's Media Cloud
// 2020 development set (91 news pages from many countries, Arabic-script ones among them).
import { expect, it } from 'vitest';
import { accuracy, dateResults, loadDatePages } from '../../bench/dates.bench';
import { describeWithShared, withShared } from '../support/shared';

const results = withShared ? dateResults(loadDatePages()) : [];
const misses = (rs: typeof results) =>
  rs
    .filter((r) => !r.right)
    .map((r) => `${r.page.id} want ${r.page.date} got ${r.day ?? r.error ?? 'none'}`)
    .join('\n');

describeWithShared('publication dates on mediacloud-dev', () => {
  it('has the whole set to read', () => {
    expect(results).toHaveLength(91);
    expect(results.filter((r) => r.page.arabic).length).toBeGreaterThan(0);
  });

  it('gives the right day on at least 90% of the pages', () => {
    expect(accuracy(results), misses(results)).toBeGreaterThanOrEqual(0.9);
  });

  it('gives the right day on the Arabic-script pages as well', () => {
    const arabic = results.filter((r) => r.page.arabic);
    expect(accuracy(arabic), misses(arabic)).toBeGreaterThanOrEqual(0.9);
  });
});

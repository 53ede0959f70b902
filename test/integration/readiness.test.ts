// /readyz on a real service (real workers on the real Redis, a real HTTP listener): ready while
// every role runs; 503 naming the role once a stage worker is closed or the scheduler stopped,
// while /healthz, the liveness check, keeps answering 200.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startOperatorService, type OperatorService } from '../support/operator';

let svc: OperatorService;
beforeAll(async () => {
  svc = await startOperatorService('readyz', ['scheduler', 'poll', 'scrape', 'http']);
}, 30_000);
afterAll(async () => svc?.close(), 30_000);

interface Report {
  status: string;
  failed: string[];
  checks: { name: string; ok: boolean; detail: string }[];
}
const readyz = async () => {
  const res = await svc.call('GET', '/readyz', undefined, { token: null });
  return { status: res.status, body: res.body as Report };
};

describe('/readyz', () => {
  it('is 200 and names each role it checked while all run', async () => {
    const { status, body } = await readyz();
    expect(status).toBe(200);
    expect(body.status).toBe('ready');
    expect(body.checks.map((c) => c.name)).toEqual(['redis', 'worker:poll', 'worker:scrape', 'scheduler']);
  });

  it('is 503 naming the worker once it is closed; /healthz still answers', async () => {
    await svc.service.workers.find((w) => w.name === 'scrape')!.close();
    const { status, body } = await readyz();
    expect(status).toBe(503);
    expect(body).toMatchObject({ status: 'not ready', failed: ['worker:scrape'] });
    expect(body.checks.find((c) => c.name === 'worker:scrape')?.detail).toContain('not running');
    expect((await svc.call('GET', '/healthz', undefined, { token: null })).status).toBe(200);
  });

  it('names the scheduler too once it stopped ticking', async () => {
    await svc.service.scheduler!.stop();
    const { status, body } = await readyz();
    expect(status).toBe(503);
    expect(body.failed).toEqual(['worker:scrape', 'scheduler']);
  });
});

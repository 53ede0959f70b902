// Operator sessions in Redis: the browser's cookie holds a random id, Redis holds only the id's
// hash (so a copy of the database opens no session) under the service's key prefix, with a fixed
// lifetime from login. Logging out deletes the entry, so the cookie is dead everywhere at once.
import { createHash, createHmac, randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';
import { redisKeys, type RedisKeys } from './keys';

/** 32 random bytes, base64url: what start() hands out; anything else is not looked up. */
const SESSION_ID = /^[A-Za-z0-9_-]{43}$/;

export class SessionStore {
  /** Ties a session to the operator token it was opened with: changing OPERATOR_TOKEN ends them all. */
  private readonly binding: string;
  private readonly keys: RedisKeys;

  constructor(
    private readonly redis: Redis,
    prefix: string,
    /** fixed: a session ends this long after login, however busy it was */
    readonly ttlMs: number,
    operatorToken: string,
  ) {
    this.keys = redisKeys(prefix);
    this.binding = createHmac('sha256', operatorToken)
      .update('newswatch operator session v2')
      .digest('base64url');
  }

  /** A new session; its id goes in the cookie and nowhere else. */
  async start(): Promise<string> {
    const id = randomBytes(32).toString('base64url');
    await this.redis.set(this.key(id), this.binding, 'PX', this.ttlMs);
    return id;
  }

  /** True while the session is neither expired nor ended, and the operator token is the one it began with. */
  async isLive(id: string | undefined): Promise<boolean> {
    if (id === undefined || !SESSION_ID.test(id)) return false;
    return (await this.redis.get(this.key(id))) === this.binding;
  }

  async end(id: string | undefined): Promise<void> {
    if (id === undefined || !SESSION_ID.test(id)) return;
    await this.redis.del(this.key(id));
  }

  private key(id: string): string {
    return this.keys.session(createHash('sha256').update(id).digest('base64url'));
  }
}

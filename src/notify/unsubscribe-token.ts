// Signed unsubscribe tokens: a link in an email may unsubscribe that subscriber's email channel
// and nothing else, with no login. HMAC-SHA256 under a server secret (UNSUBSCRIBE_SECRET).
import { createHmac, timingSafeEqual } from 'node:crypto';

const mac = (secret: string, subscriberId: string) =>
  createHmac('sha256', secret).update(`unsubscribe:email:${subscriberId}`).digest('base64url');

/** `<subscriber id>.<mac>`: ids are [a-z0-9-], so the dot cannot be part of one. */
export function unsubscribeToken(secret: string, subscriberId: string): string {
  return `${subscriberId}.${mac(secret, subscriberId)}`;
}

/** The subscriber id the token was made for, or undefined when it was not made with this secret. */
export function verifyUnsubscribeToken(secret: string, token: string): string | undefined {
  const dot = token.lastIndexOf('.');
  if (dot <= 0) return undefined;
  const id = token.slice(0, dot);
  const given = Buffer.from(token.slice(dot + 1));
  const expected = Buffer.from(mac(secret, id));
  return given.length === expected.length && timingSafeEqual(given, expected) ? id : undefined;
}

export function unsubscribeUrl(publicUrl: string, secret: string, subscriberId: string): string {
  const url = new URL('/unsubscribe', publicUrl);
  url.searchParams.set('token', unsubscribeToken(secret, subscriberId));
  return url.toString();
}

// Security headers on every answer, through @fastify/helmet: a Content-Security-Policy that lets
// a page load scripts, styles, fonts and data from this origin only (the operator pages use no
// script and no inline style; bull-board's and the API docs' scripts are files served from here),
// no framing (frame-ancestors 'none' and X-Frame-Options: DENY), X-Content-Type-Options: nosniff
// and Referrer-Policy: same-origin. HSTS is left to whatever terminates TLS in front: the service
// itself speaks plain HTTP (docker-compose, loopback), where the header means nothing, and
// upgrade-insecure-requests is left out for the same reason.
import helmet from '@fastify/helmet';
import type { FastifyInstance } from 'fastify';

/** A style element's text as the Content-Security-Policy names it: `'sha256-<base64>'`. */
export type StyleHash = `'sha256-${string}'`;

export const CONTENT_SECURITY_POLICY = {
  'default-src': ["'self'"],
  'script-src': ["'self'"],
  'style-src': ["'self'"],
  'font-src': ["'self'"],
  // swagger-ui draws its logo and icons from data: URLs
  'img-src': ["'self'", 'data:'],
  'connect-src': ["'self'"],
  'object-src': ["'none'"],
  'base-uri': ["'self'"],
  'form-action': ["'self'"],
  'frame-ancestors': ["'none'"],
};

/** Registered on the root before any route, so every answer carries the headers, 401s and 404s too. */
export async function securityHeaders(app: FastifyInstance): Promise<void> {
  await app.register(helmet, {
    contentSecurityPolicy: { useDefaults: false, directives: CONTENT_SECURITY_POLICY },
    frameguard: { action: 'deny' },
    referrerPolicy: { policy: 'same-origin' },
    strictTransportSecurity: false,
  });
}

/**
 * Lets the routes under `prefix` (registered after this call, in this context or below) apply
 * the inline <style> elements whose hashes are given, and no other: the dashboards we serve but
 * did not write (bull-board, swagger-ui) put their SVG logos' colours in one each. A hash pins
 * the exact text, so a new version with another one is refused, and the browser test says so.
 */
export function allowStyleHashes(app: FastifyInstance, prefix: string, hashes: readonly StyleHash[]): void {
  const contentSecurityPolicy = {
    useDefaults: false,
    directives: { ...CONTENT_SECURITY_POLICY, 'style-src': ["'self'", ...hashes] },
  };
  app.addHook('onRoute', (route) => {
    if (!route.url.startsWith(prefix)) return;
    route.config = { ...(route.config ?? {}), helmet: { contentSecurityPolicy } } as typeof route.config;
  });
}

import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/support/global-setup.ts'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    // Fixture servers and receivers listen on loopback, which the SSRF guard refuses by default;
    // commands the tests spawn inherit this. SSRF tests pass their own allowlist.
    env: { FETCH_ALLOW_PRIVATE: '127.0.0.0/8,::1/128' },
  },
});

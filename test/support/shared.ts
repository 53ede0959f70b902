// ../shared beside the clone holds research fixtures that may not be copied into the repository
// (real feeds, real pages). A user's clone has none: the tests that read it are skipped there,
// saying so. CI has it and sets NEWSWATCH_REQUIRE_SHARED=1, so a missing folder fails there
// rather than passing empty.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe } from 'vitest';

export const SHARED = fileURLToPath(new URL('../../../shared/', import.meta.url));

/** Whether the tests that read ../shared run: it is there, or CI requires it. */
export const withShared = existsSync(SHARED) || process.env.NEWSWATCH_REQUIRE_SHARED === '1';

/** `describe` for tests that read ../shared; skipped, by name, on a clone without it. */
export const describeWithShared = describe.skipIf(!withShared);

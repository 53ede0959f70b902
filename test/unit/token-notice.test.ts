// What `newswatch start` shows a person on a terminal when it generated the operator token.
import { describe, expect, it } from 'vitest';
import { terminalNotice, tokenFilePath } from '../../src/cli/token-notice';

describe('the generated-token notice', () => {
  it('gives the login link with the token, and says how to keep one', () => {
    const text = terminalNotice('http://127.0.0.1:8080', 'a+b/c');
    expect(text).toContain('Log in: http://127.0.0.1:8080/login?token=a%2Bb%2Fc');
    expect(text).toContain('Token:  a+b/c');
    expect(text).toContain('Set OPERATOR_TOKEN');
  });

  it('names the token file after the key prefix, with nothing from it that leaves the folder', () => {
    expect(tokenFilePath('nw:', '/tmp')).toBe('/tmp/newswatch-nw-operator-token');
    expect(tokenFilePath('../../etc/x:', '/tmp')).toBe('/tmp/newswatch-etcx-operator-token');
  });
});

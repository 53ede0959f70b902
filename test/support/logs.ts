// A logger whose every line a test can read back: plain pino at trace level, with none of the
// service's own serializers, so what a line holds is what the HTTP app itself made safe.
import { pino, type Logger } from 'pino';

export interface RecordingLogger {
  log: Logger;
  /** every line so far, as written */
  text(): string;
  /** every line so far, parsed */
  lines(): Record<string, unknown>[];
}

export function recordingLogger(): RecordingLogger {
  const written: string[] = [];
  const log = pino({ level: 'trace' }, { write: (line: string) => void written.push(line) });
  return {
    log,
    text: () => written.join(''),
    lines: () =>
      written
        .join('')
        .split('\n')
        .filter(Boolean)
        .map((l) => JSON.parse(l) as Record<string, unknown>),
  };
}

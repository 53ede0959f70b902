// Config and API errors echo the bad value, so the operator sees what was wrong. A hostile value
// must not take the error down with it: JSON.stringify overflows the stack on a 10,000-deep
// array (a 500 instead of a 400), and a megabyte string would flood the message and the log.
const MAX_SHOWN = 200;

export function showValue(value: unknown): string {
  let shown: string;
  try {
    shown = JSON.stringify(value) ?? String(value);
  } catch {
    shown = Array.isArray(value) ? 'a list nested too deep to show' : `a ${typeof value} too deep to show`;
  }
  return shown.length > MAX_SHOWN ? `${shown.slice(0, MAX_SHOWN - 1)}…` : shown;
}

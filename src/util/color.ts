// The one colour and redraw policy of everything this package writes to a terminal:
// - colour (ANSI SGR codes) only when the stream is a terminal; never when NO_COLOR is set to anything
//   non-empty (it wins over everything); always when FORCE_COLOR is non-empty and not "0"/"false"
//   (FORCE_COLOR=0 turns colour off on a terminal too); never on TERM=dumb unless forced;
// - redraws (a carriage return, line clears, log-update's cursor moves) only on a terminal, whatever
//   the colour variables say: in a pipe progress is printed as plain lines.
// Files keep the bytes their format prescribes (results_python.log's colour codes are upstream's format,
// not terminal output), so writers of files never ask this policy.

export const ESC = '\x1b';

/** An SGR sequence: `sgr(33)` = ESC[33m, `sgr(0)` = ESC[0m (reset). */
export const sgr = (code: number | string): string => `${ESC}[${code}m`;

/** Carriage return + erase the whole line: where a redrawn progress line is cleared. */
export const CLEAR_LINE = `\r${ESC}[2K`;

/** The SGR codes the writers use. */
export const SGR = {
  bold: 1,
  dim: 2,
  red: 31,
  green: 32,
  yellow: 33,
  magenta: 35,
  cyan: 36,
  brightGreen: 92,
  brightMagenta: 95,
} as const;

export interface StreamLike {
  isTTY?: boolean;
}

/**
 * Whether `stream` is a terminal. The launcher (bin/ctrgcn.js) filters some commands' stderr through a
 * pipe while the terminal is still there; it says so with CTRGCN_STDERR_TTY=1.
 */
export function isTerminal(stream: StreamLike | undefined, env: NodeJS.ProcessEnv = process.env): boolean {
  if (stream?.isTTY === true) return true;
  return stream !== undefined && stream === process.stderr && env.CTRGCN_STDERR_TTY === '1';
}

/** FORCE_COLOR's say: true (forced on), false (forced off: "0" or "false"), undefined (unset or empty). */
function forced(env: NodeJS.ProcessEnv): boolean | undefined {
  const v = env.FORCE_COLOR;
  if (v === undefined || v === '') return undefined;
  return v !== '0' && v.toLowerCase() !== 'false';
}

/** Whether text written to `stream` may carry colour codes. */
export function colorFor(stream: StreamLike | undefined, env: NodeJS.ProcessEnv = process.env): boolean {
  if (env.NO_COLOR) return false;
  const force = forced(env);
  if (force !== undefined) return force;
  return isTerminal(stream, env) && env.TERM !== 'dumb';
}

/** Whether progress on `stream` may be redrawn in place (\r, line clears, cursor moves). */
export function canRedraw(stream: StreamLike | undefined, env: NodeJS.ProcessEnv = process.env): boolean {
  return isTerminal(stream, env);
}

/** `text` in the colour `code` when `on`, else `text` unchanged. */
export function paint(text: string, code: number | string, on: boolean): string {
  return on ? `${sgr(code)}${text}${sgr(0)}` : text;
}

// CSI sequences (colours, cursor moves, erases) and OSC sequences (titles, links).
const ANSI = new RegExp(`${ESC}\\[[0-9;?]*[ -/]*[@-~]|${ESC}\\][^\\x07${ESC}]*(?:\\x07|${ESC}\\\\)`, 'g');

/** `text` without ANSI escape sequences. */
export function stripAnsi(text: string): string {
  return text.replace(ANSI, '');
}

/** A line for the terminal: as is when colour is on, else without its escape sequences. */
export function forTerminal(text: string, color: boolean): string {
  return color ? text : stripAnsi(text);
}

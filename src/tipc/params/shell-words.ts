// A small POSIX-shell word splitter for the command strings the driver `eval`s: whitespace separates
// words, '…' and "…" quote (backslash escapes \" \\ \$ \` inside double quotes, any char outside
// quotes), and `>`, `>>`, `2>&1`, `2>` redirections are recognised. Nothing is expanded: `$x`, globs
// and backticks stay literal. Pipes, `;`, `&&` and friends are refused with a precise error.

export interface Redirect {
  fd: number;
  op: '>' | '>>' | '>&';
  target: string;
}

export interface SplitResult {
  argv: string[];
  redirects: Redirect[];
}

export class ShellSyntaxError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ShellSyntaxError';
  }
}

interface Token {
  text: string;
  /** true when any part was quoted (so it is never an operator). */
  quoted: boolean;
  op?: string;
}

function tokenize(s: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  let cur: Token | null = null;
  const flush = () => {
    if (cur) out.push(cur);
    cur = null;
  };
  while (i < s.length) {
    const c = s[i];
    if (c === ' ' || c === '\t' || c === '\n') {
      flush();
      i++;
      continue;
    }
    if (c === "'") {
      const j = s.indexOf("'", i + 1);
      if (j < 0) throw new ShellSyntaxError(`unterminated single quote at column ${i + 1}`);
      cur ??= { text: '', quoted: true };
      cur.text += s.slice(i + 1, j);
      cur.quoted = true;
      i = j + 1;
      continue;
    }
    if (c === '"') {
      cur ??= { text: '', quoted: true };
      cur.quoted = true;
      let j = i + 1;
      for (;;) {
        if (j >= s.length) throw new ShellSyntaxError(`unterminated double quote at column ${i + 1}`);
        const d = s[j];
        if (d === '"') break;
        if (d === '\\' && j + 1 < s.length && '"\\$`\n'.includes(s[j + 1])) {
          if (s[j + 1] !== '\n') cur.text += s[j + 1];
          j += 2;
          continue;
        }
        cur.text += d;
        j++;
      }
      i = j + 1;
      continue;
    }
    if (c === '\\') {
      cur ??= { text: '', quoted: true };
      cur.quoted = true;
      if (i + 1 < s.length && s[i + 1] !== '\n') cur.text += s[i + 1];
      i += 2;
      continue;
    }
    // Redirections: [n]> [n]>> [n]>&m, recognised only at the start of a word or after a lone digit.
    const atWordStart = cur === null;
    const digitPrefix: boolean = cur !== null && !cur.quoted && /^\d$/.test(cur.text);
    if (c === '>' && (atWordStart || digitPrefix)) {
      const fd = digitPrefix ? Number((cur as unknown as Token).text) : 1;
      cur = null;
      let op = '>';
      let j = i + 1;
      if (s[j] === '>') {
        op = '>>';
        j++;
      } else if (s[j] === '&') {
        op = '>&';
        j++;
      }
      out.push({ text: String(fd), quoted: false, op });
      i = j;
      continue;
    }
    if ('|;&<()'.includes(c)) {
      throw new ShellSyntaxError(
        `unsupported shell operator \`${c}\` at column ${i + 1} (only simple commands with > redirections are run)`,
      );
    }
    cur ??= { text: '', quoted: false };
    cur.text += c;
    i++;
  }
  flush();
  return out;
}

/** Splits a driver command string into argv plus redirections (which are removed from argv). */
export function shellSplit(s: string): SplitResult {
  const toks = tokenize(s);
  const argv: string[] = [];
  const redirects: Redirect[] = [];
  for (let k = 0; k < toks.length; k++) {
    const t = toks[k];
    if (t.op) {
      const target = toks[k + 1];
      if (!target || target.op) throw new ShellSyntaxError(`redirection \`${t.op}\` without a target`);
      redirects.push({ fd: Number(t.text), op: t.op as Redirect['op'], target: target.text });
      k++;
      continue;
    }
    argv.push(t.text);
  }
  return { argv, redirects };
}

/** Quotes a word for display so that shellSplit gives it back. */
export function shellQuote(w: string): string {
  if (w !== '' && /^[A-Za-z0-9_@%+=:,./-]+$/.test(w)) return w;
  return `'${w.replace(/'/g, `'\\''`)}'`;
}

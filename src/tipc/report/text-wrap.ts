// Word-wrapping plain text for the terminal writers (the summary's heading, headline figures and notes).

/** Word-wraps plain text to `width` columns; a word longer than a line (a path) is cut into pieces. */
export function wrapText(text: string, width: number): string {
  const out: string[] = [];
  let line = '';
  const words = text.split(' ').flatMap((w) => w.match(new RegExp(`.{1,${width}}`, 'gu')) ?? ['']);
  for (const word of words) {
    if (line && line.length + 1 + word.length > width) {
      out.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  return [...out, line].join('\n');
}

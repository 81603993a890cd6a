// Errors that reach the user: a stable code, a message naming the file/line/flag, an exit code.
export class CliError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly exitCode = 1,
  ) {
    super(message);
    this.name = 'CliError';
  }
}

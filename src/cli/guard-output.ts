import { registerKnownTokens } from '../config/config.js';
import { redactText } from '../config/redact.js';

/**
 * The command-line arguments with any token redacted: a token pasted where a path, a run id or a
 * good belongs is replaced before oclif parses it, so every message quoting the argument quotes
 * "[redacted]" (no command takes a token as an argument).
 */
export function scrubArgs(args: string[]): string[] {
  registerKnownTokens();
  return args.map((a) => redactText(a));
}

/**
 * Keeps the agent token out of the CLI's output. Arguments that hold it are redacted before
 * parsing; then, the last line of defence, every write to stdout and stderr of the CLI process
 * passes through redactText (the tokens of the environment and config dir, anything shaped like a
 * JWT), whoever writes it: our commands, oclif's own messages (a command not found, a parse
 * error), listr2. bin/run.js installs it before oclif starts.
 */
export function guardOutput(): void {
  registerKnownTokens();
  for (const stream of [process.stdout, process.stderr]) {
    const write = stream.write.bind(stream) as (chunk: unknown, ...rest: unknown[]) => boolean;
    if (stream === process.stdout) unguardedStdout = write;
    stream.write = ((chunk: unknown, ...rest: unknown[]) => {
      if (typeof chunk === 'string') return write(redactText(chunk), ...rest);
      if (chunk instanceof Uint8Array) return write(redactText(Buffer.from(chunk).toString('utf8')), ...rest);
      return write(chunk, ...rest);
    }) as typeof stream.write;
  }
}

let unguardedStdout: ((chunk: unknown) => boolean) | undefined;

/** The one way around guardOutput: `register --show-token` prints the new agent token because it was asked to. */
export function writeUnguarded(text: string): void {
  (unguardedStdout ?? ((t: unknown) => process.stdout.write(t as string)))(text);
}

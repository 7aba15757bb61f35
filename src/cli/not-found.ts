import { Errors, type Hook, toConfiguredId } from '@oclif/core';
import { closest } from 'fastest-levenshtein';
import { ExitCode } from './exit-codes.js';

/**
 * `st-goods aply`: at a terminal, @oclif/plugin-not-found asks "Did you mean apply?" and runs it on
 * yes. Anywhere else (scripts, CI, pipes), or when the answer is no, a usage error (exit 2) that
 * names the closest command as the user types it (`supply-chain show`, never oclif's internal
 * `supply-chain:show`).
 */
const hook: Hook.CommandNotFound = async function (opts) {
  if (process.stdin.isTTY && process.stdout.isTTY) {
    const { default: prompt } = (await import('@oclif/plugin-not-found')) as unknown as { default: Hook.CommandNotFound };
    try {
      return await prompt.call(this, opts);
    } catch (e) {
      if ((e as Errors.CLIError).oclif?.exit !== 127) throw e;
    }
  }
  const visible = opts.config.commands.filter((c) => !c.hidden).flatMap((c) => [c.id, ...c.aliases]);
  // oclif joins the arguments onto the id (`grap IRON` → grap:IRON): keep the topics and one word more.
  const parts = opts.id.split(':');
  let words = 1;
  while (words < parts.length && opts.config.findTopic(parts.slice(0, words).join(':'))) words++;
  const id = parts.slice(0, words).join(':');
  const typed = toConfiguredId(id, opts.config);
  const suggestion = visible.length > 0 ? toConfiguredId(closest(id, visible), opts.config) : undefined;
  const didYouMean = suggestion ? ` Did you mean \`${opts.config.bin} ${suggestion}\`?` : '';
  const message = `\`${typed}\` is not a ${opts.config.bin} command.${didYouMean} Run \`${opts.config.bin} help\` for the list of commands.`;
  // --json asks for one JSON document, a usage error included (the shape every command's errors have).
  if ([...(opts.argv ?? []), ...process.argv].includes('--json')) {
    process.stdout.write(`${JSON.stringify({ status: 'error', exitCode: ExitCode.USAGE, error: { code: 'USAGE', message } }, null, 2)}\n`);
    return this.exit(ExitCode.USAGE);
  }
  this.error(message, { exit: ExitCode.USAGE });
};

export default hook;

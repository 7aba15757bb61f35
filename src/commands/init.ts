import fs from 'node:fs';
import path from 'node:path';
import { Args, Flags } from '@oclif/core';
import { BaseCommand } from '../cli/base-command.js';
import { invalidInput, UserError } from '../cli/errors.js';
import { ExitCode } from '../cli/exit-codes.js';
import { bundledExamples, starterSpecText } from '../config/bundled.js';
import { didYouMean } from '../spec/schema-issues.js';

export default class Init extends BaseCommand {
  static override jsonSchema = 'init-result.schema.json';

  static override summary = 'Write a starter production spec from one of the bundled examples.';

  static override description = `Copies an example spec shipped with st-goods (see --list) into the current folder (or --out), ready to edit, validate, plan and apply: its editor schema line points at the installed schemas/production-spec.schema.json. Never overwrites a file unless --force. The examples are the README's: iron (a plain buy), machinery (buy vs make), advanced-circuitry (three levels of making), ship-parts (a wide tree delivered to a contract).`;

  static override examples = [
    { description: 'Start with the simplest spec, then plan it', command: '<%= config.bin %> <%= command.id %> && <%= config.bin %> plan iron.yaml' },
    { description: 'The examples there are', command: '<%= config.bin %> <%= command.id %> --list' },
    { description: 'One example under another name', command: '<%= config.bin %> <%= command.id %> machinery --out specs/machinery-30.yaml' },
  ];

  static override args = {
    example: Args.string({ description: 'example to start from (see --list)', default: 'iron' }),
  };

  static override flags = {
    out: Flags.string({ description: 'file to write (default: EXAMPLE.yaml in the current folder)' }),
    force: Flags.boolean({ description: 'overwrite the file if it exists', default: false }),
    list: Flags.boolean({ description: 'list the examples instead of writing one', default: false }),
  };

  async run(): Promise<unknown> {
    const { args, flags } = await this.parse(Init);
    const examples = bundledExamples();
    if (flags.list) {
      if (!this.jsonEnabled()) for (const e of examples) this.log(`${e.name.padEnd(20)} ${e.summary}`);
      return { examples: examples.map(({ name, summary }) => ({ name, summary })) };
    }
    const example = examples.find((e) => e.name === args.example);
    if (!example) {
      const names = examples.map((e) => e.name);
      throw invalidInput(`There is no example named ${JSON.stringify(args.example)}${didYouMean(args.example, names)}.`, `The examples are: ${names.join(', ')} (st-goods init --list).`);
    }
    const out = flags.out ?? `${example.name}.yaml`;
    if (fs.existsSync(out) && !flags.force) {
      throw new UserError({ code: 'FILE_EXISTS', exitCode: ExitCode.INVALID_INPUT, message: `${out} already exists; st-goods init leaves it as it is.`, hint: 'Pass --out OTHER.yaml, or --force to overwrite it.' });
    }
    fs.mkdirSync(path.dirname(path.resolve(out)), { recursive: true });
    fs.writeFileSync(out, starterSpecText(example, out));
    if (!this.jsonEnabled()) {
      this.log(`Wrote ${out} (from the example ${example.name}: ${example.summary})`);
      this.log(`Next: edit it, then \`st-goods validate ${out}\` and \`st-goods plan ${out}\`.`);
    }
    return { example: example.name, file: out };
  }
}

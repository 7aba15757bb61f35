import path from 'node:path';
import { Command, Help } from '@oclif/core';
import { exitCodeHelpText } from './exit-codes.js';

/** oclif's help, with the exit-code table appended to every command's and the root --help. */
export default class StGoodsHelp extends Help {
  override formatCommand(command: Command.Loadable): string {
    const schema = (command as { jsonSchema?: unknown }).jsonSchema;
    const json =
      typeof schema === 'string'
        ? `\n\n${this.section('JSON OUTPUT', this.wrap(`With --json, stdout is exactly one JSON document, whatever the exit code: the result, matching schemas/${schema}; a user error prints {"status": "error", "exitCode": <exit code>, "error": {"code", "message", "details"?}} instead, matching schemas/error.schema.json. The schemas ship in ${path.join(this.config.root, 'schemas')}.`))}`
        : '';
    return `${super.formatCommand(command)}${json}\n\n${this.section('EXIT CODES', exitCodeHelpText())}`;
  }

  override formatRoot(): string {
    return `${super.formatRoot()}\n\n${this.section('EXIT CODES', exitCodeHelpText())}`;
  }
}

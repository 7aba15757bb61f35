import { Command, Help } from '@oclif/core';
import { exitCodeHelpText } from './exit-codes.js';

/** oclif's help, with the exit-code table appended to every command's and the root --help. */
export default class StGoodsHelp extends Help {
  override formatCommand(command: Command.Loadable): string {
    return `${super.formatCommand(command)}\n\n${this.section('EXIT CODES', exitCodeHelpText())}`;
  }

  override formatRoot(): string {
    return `${super.formatRoot()}\n\n${this.section('EXIT CODES', exitCodeHelpText())}`;
  }
}

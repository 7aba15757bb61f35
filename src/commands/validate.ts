import { Args, Flags } from '@oclif/core';
import { stringify } from 'yaml';
import { BaseCommand } from '../cli/base-command.js';
import { supplyChainFlag } from '../cli/flags.js';
import { specFileForm } from '../spec/file-form.js';
import { loadSpec } from '../spec/load.js';
import { loadSupplyChain } from '../supply-chain/load.js';

export default class Validate extends BaseCommand {
  static override jsonSchema = 'validate-result.schema.json';

  static override summary = 'Check a production spec offline and print its normalised form.';

  static override description = `Reads SPEC (YAML), checks it against schemas/production-spec.schema.json, the supply chain (every good must exist; unknown names get a "did you mean") and the API's enums (ship roles, frames, flight modes), then prints the spec with every default filled in (itself a valid spec, with the same hash) and its hash (the specHash a plan records). Every problem is reported at once as FILE:LINE:COLUMN with what to change, and the command exits 4. Needs no token and makes no request; ship symbols are checked against the fleet later, by \`st-goods plan\`.`;

  static override examples = [
    { description: 'Check an example spec', command: '<%= config.bin %> <%= command.id %> plans/advanced-circuitry.yaml' },
    { description: 'Machine-readable normalised spec (or errors) for CI', command: '<%= config.bin %> <%= command.id %> plans/iron.yaml --json' },
    { description: 'Against another supply chain file', command: '<%= config.bin %> <%= command.id %> plans/iron.yaml --supply-chain ./supply_chain.yaml' },
  ];

  static override args = {
    spec: Args.string({ description: 'production spec file (YAML)', required: true }),
  };

  static override flags = {
    'supply-chain': supplyChainFlag,
  };

  async run(): Promise<unknown> {
    const { args, flags } = await this.parse(Validate);
    const supplyChain = loadSupplyChain(flags['supply-chain']);
    const loaded = loadSpec(args.spec, supplyChain);
    if (!this.jsonEnabled()) {
      this.log(`# ${loaded.file} is valid.`);
      this.log(`# specHash: ${loaded.hash}`);
      this.log(`# every default spelled out; itself a valid spec with the same specHash${loaded.spec.system ? '' : "; system: the agent's headquarters system"}`);
      process.stdout.write(stringify(specFileForm(loaded.spec), { lineWidth: 0 }));
    }
    return { valid: true, file: loaded.file, specHash: loaded.hash, spec: loaded.spec, supplyChainHash: supplyChain.hash };
  }
}

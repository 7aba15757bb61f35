import { Args, Flags } from '@oclif/core';
import { SpaceTradersClient } from '../api/client.js';
import { BaseCommand } from '../cli/base-command.js';
import { apiFlags, storeFlag } from '../cli/flags.js';
import { defaultStorePath, requireToken, resolveBaseUrl } from '../config/config.js';
import { unlockAgent } from '../state/lock.js';
import { Store } from '../state/store.js';

export default class Unlock extends BaseCommand {
  static override jsonSchema = 'unlock-result.schema.json';

  static override summary = "Remove an agent's apply lock whose holder is gone.";

  static override description = `apply breaks a dead holder's lock by itself (same host and its process gone, or no heartbeat for 30 s). For the rest (e.g. a holder on another host that you know is dead), unlock removes the lock: without --force only when the holder looks dead; with --force always (make sure no apply of that agent is running).`;

  static override examples = [
    { description: "Remove the token's agent lock if its holder is dead", command: '<%= config.bin %> <%= command.id %>' },
    { description: 'Remove the lock of agent MYAGENT whatever its state', command: '<%= config.bin %> <%= command.id %> MYAGENT --force' },
  ];

  static override args = {
    agent: Args.string({ description: 'agent symbol (default: the agent of the token)', required: false }),
  };

  static override flags = {
    ...apiFlags,
    force: Flags.boolean({ description: 'remove the lock even if its holder looks alive', default: false }),
    store: storeFlag('with the journal and the locks'),
  };

  async run(): Promise<unknown> {
    const { args, flags } = await this.parse(Unlock);
    const agent = args.agent ?? (await new SpaceTradersClient({ baseUrl: resolveBaseUrl(flags['base-url']), token: requireToken(this.tokenFileArg(flags)) }).getAgent()).symbol;
    const store = await Store.open(flags.store ?? defaultStorePath());
    try {
      const res = await unlockAgent(store, agent, { force: flags.force });
      if (!this.jsonEnabled()) {
        if (!res.holder) this.log(`No lock is held for agent ${agent}.`);
        else if (res.removed) this.log(`Removed the lock of agent ${agent} (run ${res.holder.runId}, pid ${res.holder.pid} on ${res.holder.host}: ${res.reason}).`);
        else this.log(`The lock of agent ${agent} changed while unlocking; run the command again.`);
      }
      return { agent, ...res };
    } finally {
      await store.close();
    }
  }
}

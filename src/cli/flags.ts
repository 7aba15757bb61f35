import { Flags } from '@oclif/core';

/**
 * Flags shared by several commands, each mirroring its environment variable (oclif `env:`, so that
 * --help shows it). Only the commands that call the API take `apiFlags`.
 */
export const apiFlags = {
  'base-url': Flags.string({
    description: 'SpaceTraders API base URL (else baseUrl in <config dir>/config.json, else https://api.spacetraders.io/v2)',
    helpGroup: 'API',
    env: 'ST_BASE_URL',
  }),
  'token-file': Flags.string({
    description: 'file holding the agent token; on the command line it wins over ST_TOKEN, as ST_TOKEN_FILE it comes after it (then tokenFile in config.json, then <config dir>/token)',
    helpGroup: 'API',
    env: 'ST_TOKEN_FILE',
  }),
};

/** The store (journal, runs, locks, market cache): a SQLite file or a postgres:// URL. */
export function storeFlag(holds: string) {
  return Flags.string({ description: `store ${holds}: a SQLite file, or a postgres:// URL shared by several hosts (default: <state dir>/st-goods.sqlite)`, env: 'ST_GOODS_STORE' });
}

/** The supply chain file the planner reads. */
export const supplyChainFlag = Flags.string({
  description: 'supply chain file (default: <config dir>/supply_chain.yaml once `supply-chain refresh` wrote it, else the bundled one)',
  env: 'ST_GOODS_SUPPLY_CHAIN',
});

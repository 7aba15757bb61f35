import { Args, Flags } from '@oclif/core';
import { SpaceTradersClient } from '../api/client.js';
import { BaseCommand } from '../cli/base-command.js';
import { invalidInput } from '../cli/errors.js';
import { apiFlags } from '../cli/flags.js';
import { writeUnguarded } from '../cli/guard-output.js';
import { checkTokenFileFree, defaultAgentTokenFile, requireAccountToken, saveAgentToken } from '../config/account.js';
import { resolveBaseUrl } from '../config/config.js';
import { factionSymbols } from '../spec/api-enums.js';
import { didYouMean } from '../spec/schema-issues.js';

export default class Register extends BaseCommand {
  static override jsonSchema = 'register-result.schema.json';

  static override summary = 'Register a new agent with your account token and save its agent token.';

  static override description = `Calls POST /register with SYMBOL and --faction, authenticated by your account token (ST_ACCOUNT_TOKEN, --account-token-file, ST_ACCOUNT_TOKEN_FILE or <config dir>/account-token; the real server requires it since 2025-01, the simulator accepts any non-empty one). The new agent's token is written to <config dir>/token (or --token-out), readable by you only (mode 0600), where every command finds it; it is printed only with --show-token. An existing token file is never overwritten unless --force. Prints the agent, its headquarters, credits, ships and starting contract.`;

  static override examples = [
    { description: 'On the real server', command: 'ST_ACCOUNT_TOKEN=$(cat ~/spacetraders-account-token) <%= config.bin %> <%= command.id %> MYAGENT --faction COSMIC' },
    { description: 'Against the local simulator (any account token will do)', command: 'ST_BASE_URL=http://127.0.0.1:8080/v2 ST_ACCOUNT_TOKEN=sim-account <%= config.bin %> <%= command.id %> MYAGENT --faction COSMIC' },
    { description: 'A second agent, its token in its own file', command: '<%= config.bin %> <%= command.id %> SECOND --faction VOID --token-out ~/.config/st-goods/second.token && ST_TOKEN_FILE=~/.config/st-goods/second.token <%= config.bin %> contracts' },
  ];

  static override args = {
    symbol: Args.string({ description: 'agent symbol: 3 to 14 letters, digits, - or _', required: true }),
  };

  static override flags = {
    'base-url': apiFlags['base-url'],
    faction: Flags.string({ description: 'starting faction, e.g. COSMIC', required: true }),
    'account-token-file': Flags.string({ description: 'file holding the account token (after ST_ACCOUNT_TOKEN... see the description)', helpGroup: 'API' }),
    'token-out': Flags.string({ description: 'where to save the agent token (default: <config dir>/token)' }),
    force: Flags.boolean({ description: 'overwrite an existing agent token file', default: false }),
    'show-token': Flags.boolean({ description: 'also print the agent token (stdout; in --json as "token")', default: false }),
  };

  async run(): Promise<unknown> {
    const { args, flags } = await this.parse(Register);
    const symbol = args.symbol.toUpperCase();
    if (!/^[A-Z0-9_-]{3,14}$/.test(symbol)) throw invalidInput(`The agent symbol ${JSON.stringify(args.symbol)} is not valid.`, 'Use 3 to 14 letters, digits, "-" or "_", e.g. MYAGENT.');
    const faction = flags.faction.toUpperCase();
    const factions = factionSymbols();
    if (!factions.includes(faction)) throw invalidInput(`There is no faction ${JSON.stringify(flags.faction)}${didYouMean(faction, factions)}.`, `Factions: ${factions.join(', ')}.`);
    const tokenFile = flags['token-out'] ?? defaultAgentTokenFile();
    checkTokenFileFree(tokenFile, flags.force);
    const accountToken = requireAccountToken(flags['account-token-file']);
    const client = new SpaceTradersClient({ baseUrl: resolveBaseUrl(flags['base-url']) });
    const reg = await client.register({ symbol, faction } as never, accountToken);
    saveAgentToken(tokenFile, reg.token);
    const result = {
      agent: reg.agent.symbol,
      faction: reg.faction.symbol,
      headquarters: reg.agent.headquarters,
      credits: reg.agent.credits,
      ships: (reg.ships ?? []).map((s) => s.symbol),
      contract: reg.contract.id,
      tokenFile,
      ...(flags['show-token'] ? { token: reg.token } : {}),
    };
    if (!this.jsonEnabled()) {
      this.log(`Registered ${result.agent} (${result.faction}) at ${result.headquarters} with ${result.credits.toLocaleString('en-US')} credits; ships ${result.ships.join(', ')}; starting contract ${result.contract}.`);
      this.log(`Agent token saved to ${tokenFile} (mode 0600)${tokenFile === defaultAgentTokenFile() ? ', where every command finds it' : `; use it with --token-file ${tokenFile} or ST_TOKEN_FILE`}.`);
      if (flags['show-token']) writeUnguarded(`${reg.token}\n`);
    }
    // The one place the agent token is printed, because --show-token asked: around the redaction of logJson.
    if (flags['show-token'] && this.jsonEnabled()) {
      writeUnguarded(`${JSON.stringify(result, null, 2)}\n`);
      return undefined;
    }
    return result;
  }
}

import { Args, Flags } from '@oclif/core';
import { BaseCommand } from '../cli/base-command.js';
import { readPlan } from '../plan/file.js';
import { renderMarkdown, renderText } from '../plan/render.js';

export default class Show extends BaseCommand {
  static override jsonSchema = 'show-result.schema.json';

  static override summary = 'Show a plan file: a summary, Markdown for review, or the plan as JSON.';

  static override description = `Reads and validates a plan written by \`st-goods plan\` (no API calls, no token needed). --format markdown renders the decision tree as a Mermaid graph with every reason and declined market, and a task table: paste it into a pull request. --format json (or --json) prints the plan itself.`;

  static override examples = [
    { description: 'Summary of a plan', command: '<%= config.bin %> <%= command.id %> plans/iron.plan.yaml' },
    { description: 'Markdown for a pull request', command: '<%= config.bin %> <%= command.id %> plans/iron.plan.yaml --format markdown > plan.md' },
    { description: 'The plan as JSON', command: '<%= config.bin %> <%= command.id %> plans/iron.plan.yaml --format json' },
  ];

  static override args = {
    plan: Args.string({ description: 'plan file (YAML)', required: true }),
  };

  static override flags = {
    format: Flags.string({ description: 'output format', options: ['text', 'markdown', 'json'], default: 'text' }),
  };

  async run(): Promise<unknown> {
    const { args, flags } = await this.parse(Show);
    const plan = readPlan(args.plan);
    if (this.jsonEnabled()) return plan;
    if (flags.format === 'json') this.log(JSON.stringify(plan, null, 2));
    else if (flags.format === 'markdown') this.log(renderMarkdown(plan).trimEnd());
    else this.log(renderText(plan).trimEnd());
    return plan;
  }
}

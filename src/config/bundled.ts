import fs from 'node:fs';
import path from 'node:path';
import { invalidInput } from '../cli/errors.js';
import { packageRoot, schemaPath } from '../supply-chain/paths.js';

/**
 * The files shipped in the package (worlds/, plans/), found by name from wherever st-goods is
 * installed, so that `sim --world X1-AD75` and `init iron` work from any folder.
 */

/** Names of the bundled simulator worlds (worlds/NAME.json). */
export function bundledWorlds(): string[] {
  const dir = path.join(packageRoot(), 'worlds');
  return fs.existsSync(dir) ? fs.readdirSync(dir).filter((f) => f.endsWith('.json')).map((f) => f.slice(0, -'.json'.length)).sort() : [];
}

/** `--world`: "generated" or "sector", a world file (a path), or the name of a bundled world (X1-AD75). */
export function resolveWorld(spec: string): string {
  if (spec === 'generated' || spec === 'sector' || fs.existsSync(spec)) return spec;
  const name = spec.replace(/\.json$/i, '');
  if (bundledWorlds().includes(name)) return path.join(packageRoot(), 'worlds', `${name}.json`);
  const names = bundledWorlds();
  throw invalidInput(
    `--world ${spec} is neither a world file nor a bundled world.`,
    `Pass --world generated, --world sector, a world JSON file, or the name of a bundled world${names.length ? ` (${names.join(', ')})` : ''}.`,
  );
}

export interface Example {
  name: string;
  file: string;
  /** The first sentence of the example's header comment. */
  summary: string;
}

/** The example production specs shipped in plans/ (not the plans made from them). */
export function bundledExamples(): Example[] {
  const dir = path.join(packageRoot(), 'plans');
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir)
    .filter((f) => /\.ya?ml$/.test(f) && !f.includes('.plan.'))
    .sort()
    .map((f) => {
      const file = path.join(dir, f);
      const comment = fs
        .readFileSync(file, 'utf8')
        .split('\n')
        .filter((l) => l.startsWith('#') && !l.includes('yaml-language-server'))
        .map((l) => l.replace(/^#\s?/, ''))
        .join(' ')
        .trim();
      return { name: f.replace(/\.ya?ml$/, ''), file, summary: (comment.match(/^.*?\.(\s|$)/)?.[0] ?? comment).trim() };
    });
}

/**
 * The text of an example spec made to stand alone in another folder: its schema modeline points
 * at the installed schema, and its comments name the file it is written to.
 */
export function starterSpecText(example: Example, outFile: string): string {
  const text = fs.readFileSync(example.file, 'utf8');
  return text
    .replace(/^# yaml-language-server: \$schema=.*$/m, `# yaml-language-server: $schema=${schemaPath('production-spec.schema.json')}`)
    .replaceAll(`plans/${path.basename(example.file)}`, path.relative(process.cwd(), path.resolve(outFile)) || path.basename(outFile));
}

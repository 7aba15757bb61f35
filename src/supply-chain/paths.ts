import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

let cachedRoot: string | undefined;

/**
 * The st-goods package root (the folder holding its package.json), found from this module's own
 * location, never from the current directory: works from src/ (tsx), dist/ and an installed package.
 */
export function packageRoot(): string {
  if (cachedRoot) return cachedRoot;
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const pkg = path.join(dir, 'package.json');
    if (fs.existsSync(pkg)) {
      try {
        if ((JSON.parse(fs.readFileSync(pkg, 'utf8')) as { name?: string }).name === 'st-goods') return (cachedRoot = dir);
      } catch {
        // not ours; keep walking up
      }
    }
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error('st-goods: cannot find the package root (package.json named st-goods) above ' + fileURLToPath(import.meta.url));
    dir = parent;
  }
}

/** The supply_chain.yaml shipped with the package. */
export function bundledSupplyChainPath(): string {
  return path.join(packageRoot(), 'supply_chain.yaml');
}

/** A file under the package's schemas/ folder. */
export function schemaPath(...parts: string[]): string {
  return path.join(packageRoot(), 'schemas', ...parts);
}

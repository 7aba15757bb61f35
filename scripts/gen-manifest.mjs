#!/usr/bin/env node
// Writes oclif.manifest.json (run by `npm pack` through prepack; removed again by postpack).
// It is what `oclif manifest` does, with @oclif/core's own Plugin loader: load every command from
// dist/ once, at pack time, so that the installed CLI answers --help and finds a command without
// importing them all. The `oclif` tooling package is not needed for it (and its current majors need Node 22).
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Plugin } from '@oclif/core';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const plugin = new Plugin({ root, type: 'core', isRoot: true, ignoreManifest: true, errorOnManifestCreate: true, respectNoCacheDefault: true });
await plugin.load();
const manifest = plugin.manifest;
const count = Object.keys(manifest.commands).length;
if (count === 0) throw new Error('gen-manifest: no commands found under dist/commands (run npm run build first)');
fs.writeFileSync(path.join(root, 'oclif.manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`);
console.error(`oclif.manifest.json: ${count} commands, version ${manifest.version}`);

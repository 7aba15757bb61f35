#!/usr/bin/env -S node --import tsx --no-warnings
// Runs the CLI from the TypeScript sources (no build step), for development.
import {execute} from '@oclif/core'
import {guardOutput, scrubArgs} from '../src/cli/guard-output.ts'

guardOutput()
await execute({development: true, dir: import.meta.url, args: scrubArgs(process.argv.slice(2))})

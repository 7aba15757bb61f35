#!/usr/bin/env node
import {execute} from '@oclif/core'
import {guardOutput, scrubArgs} from '../dist/cli/guard-output.js'

// No output of this process may carry the agent token (src/cli/guard-output.ts).
guardOutput()
await execute({dir: import.meta.url, args: scrubArgs(process.argv.slice(2))})

#!/usr/bin/env node
// Thin launcher: the command itself is compiled from src/cli.ts (`npm run build`).
import { main } from '../dist/src/cli.js';

process.exitCode = await main(process.argv.slice(2));

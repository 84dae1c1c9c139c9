#!/usr/bin/env node
// The CLI runs the TypeScript sources through tsx's loader: no build step between a checkout and `npm start`.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../gateway/cli.ts');
const code = await main(process.argv.slice(2));
process.exit(code);

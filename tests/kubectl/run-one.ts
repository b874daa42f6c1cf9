/**
 * Prints one normalised transcript (default kubectl 1.32) for eyeballing: `npx node tests/kubectl/run-one.ts 1.33`.
 */
import { SCENARIO } from './scenario.ts';
import { transcript } from './transcript.ts';

process.stdout.write(await transcript(process.argv[2] ?? '1.32', SCENARIO));

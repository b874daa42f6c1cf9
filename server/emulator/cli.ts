/**
 * `npm run cluster -- --kubeconfig <file> [--port <n>] [--time-scale <x>]`: one emulated cluster on
 * 127.0.0.1 for anyone who wants to point real kubectl at it. Prints a line containing `ready` once
 * the kubeconfig is written, and runs until SIGINT/SIGTERM.
 */
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { EmulatorHost } from './host.ts';
import { renderKubeconfig } from './kubeconfig.ts';

const Args = z.object({
  kubeconfig: z.string().min(1).describe('Where to write the kubeconfig for the cluster'),
  port: z.coerce.number().int().min(0).max(65535).default(0).describe('Port on 127.0.0.1 (0 = any free port)'),
  'time-scale': z.coerce.number().positive().default(1).describe('Simulated seconds per real second'),
});

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { kubeconfig: { type: 'string' }, port: { type: 'string' }, 'time-scale': { type: 'string' } },
    allowPositionals: false,
  });
  const parsed = Args.safeParse(values);
  if (!parsed.success) {
    console.error('usage: npm run cluster -- --kubeconfig <file> [--port <n>] [--time-scale <x>]');
    console.error(parsed.error.issues.map((i) => `  --${i.path.join('.')}: ${i.message}`).join('\n'));
    process.exit(2);
  }
  const args = parsed.data;
  const host = await EmulatorHost.start({ tlsPort: args.port, timeScale: args['time-scale'] });
  const { token } = host.createCluster({ id: 'cluster' });
  writeFileSync(args.kubeconfig, renderKubeconfig(host.accessFor(token)), { mode: 0o600 });
  console.log(`cluster ready at ${host.tlsUrl} (kubeconfig: ${args.kubeconfig})`);
  const stop = async () => {
    await host.close();
    process.exit(0);
  };
  process.once('SIGINT', () => void stop());
  process.once('SIGTERM', () => void stop());
}

main().catch((err: unknown) => {
  console.error('cluster failed to start:', err instanceof Error ? err.message : err);
  process.exit(1);
});

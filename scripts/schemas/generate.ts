/**
 * Regenerates `server/emulator/openapi/generated/*.json` from npm packages (kubernetes-models,
 * @kubernetes-models/istio): the built-in definitions for every kind the emulator's registry serves, and the Istio
 * CRD schemas. Run: `npx node scripts/schemas/generate.ts`. Output is deterministic, so it is committed.
 */
import { writeFileSync, mkdirSync } from 'node:fs';
import { BUILT_IN_GROUPS } from '../../server/emulator/registry/built-in.ts';
import { generateK8s, kindAliases } from './k8s.ts';
import { generateIstio } from './istio.ts';

const OUT = new URL('../../server/emulator/openapi/generated/', import.meta.url);

async function main(): Promise<void> {
  mkdirSync(OUT, { recursive: true });
  const gvs = BUILT_IN_GROUPS.flatMap((g) =>
    g.versions.map((version) => ({
      group: g.group,
      version,
      kinds: g.resources.filter((r) => !r.versions || r.versions.includes(version)).flatMap((r) => [r.kind, `${r.kind}List`]),
    })),
  );
  const k8s = await generateK8s(kindAliases(gvs));
  writeFileSync(new URL('k8s-definitions.json', OUT), JSON.stringify(k8s) + '\n');
  const istio = await generateIstio();
  writeFileSync(new URL('istio-schemas.json', OUT), JSON.stringify(istio) + '\n');
  console.log(`k8s: ${Object.keys(k8s.schemas).length} definitions; istio: ${Object.keys(istio.kinds).length} kinds`);
}

await main();

/**
 * Builds the generated schema data (as the exact text written to disk) from the npm packages, for the emulator's
 * registry of built-in kinds and the Istio CRDs. Deterministic: the same packages give the same bytes.
 */
import { BUILT_IN_GROUPS } from '../../server/emulator/registry/built-in.ts';
import { generateK8s, kindAliases } from './k8s.ts';
import { generateIstio } from './istio.ts';

export interface GeneratedFiles {
  'k8s-definitions.json': string;
  'istio-schemas.json': string;
}

export async function buildSchemaFiles(): Promise<GeneratedFiles> {
  const gvs = BUILT_IN_GROUPS.flatMap((g) =>
    g.versions.map((version) => ({
      group: g.group,
      version,
      kinds: g.resources.filter((r) => !r.versions || r.versions.includes(version)).flatMap((r) => [r.kind, `${r.kind}List`]),
    })),
  );
  const k8s = await generateK8s(kindAliases(gvs));
  const istio = await generateIstio();
  return { 'k8s-definitions.json': JSON.stringify(k8s) + '\n', 'istio-schemas.json': JSON.stringify(istio) + '\n' };
}

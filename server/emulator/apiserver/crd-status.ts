/**
 * The status the apiextensions controller gives a CustomResourceDefinition once its names are
 * accepted: `kubectl get crd -o yaml` and `kubectl wait --for condition=established` read it.
 */
import { isoSeconds } from '../store/object-store.ts';
import type { KObject } from '../store/types.ts';

export function crdStatus(crd: KObject, now: number): Record<string, unknown> {
  const spec = (crd.spec ?? {}) as { names?: Record<string, unknown>; versions?: { name: string; storage?: boolean }[] };
  const prev = (crd.status ?? {}) as { conditions?: { type: string; lastTransitionTime?: string }[]; storedVersions?: string[] };
  const since = (type: string) => prev.conditions?.find((c) => c.type === type)?.lastTransitionTime ?? isoSeconds(now);
  const storage = spec.versions?.find((v) => v.storage)?.name;
  const stored = new Set([...(prev.storedVersions ?? []), ...(storage ? [storage] : [])]);
  return {
    acceptedNames: spec.names ?? {},
    conditions: [
      {
        type: 'NamesAccepted',
        status: 'True',
        lastTransitionTime: since('NamesAccepted'),
        reason: 'NoConflicts',
        message: 'no conflicts found',
      },
      {
        type: 'Established',
        status: 'True',
        lastTransitionTime: since('Established'),
        reason: 'InitialNamesAccepted',
        message: 'the initial names have been accepted',
      },
    ],
    storedVersions: [...stored],
  };
}

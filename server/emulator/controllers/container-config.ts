/**
 * What the kubelet needs before it can create a container: the Secrets and ConfigMaps its environment
 * names (env[].valueFrom, envFrom), in the pod's namespace. A missing one leaves the container waiting
 * in CreateContainerConfigError with the kubelet's message — as a Deployment applied to the wrong
 * namespace (without its Secret) does on a real cluster — until it appears.
 */
import type { KObject } from '../store/types.ts';
import { CONFIGMAPS, SECRETS } from './keys.ts';
import { asArr, asObj, type Reader } from './types.ts';

interface KeyRef { name?: string; key?: string; optional?: boolean }
interface EnvVar { valueFrom?: { secretKeyRef?: KeyRef; configMapKeyRef?: KeyRef } }
interface EnvFrom { secretRef?: KeyRef; configMapRef?: KeyRef }

/** The kubelet's error for container `c` of `pod`, or undefined when everything it references exists. */
export function containerConfigError(view: Reader, pod: KObject, c: { env?: unknown; envFrom?: unknown }): string | undefined {
  const ns = pod.metadata.namespace ?? 'default';
  const lookup = (kind: 'Secret' | 'ConfigMap', ref: KeyRef, needKey: boolean): string | undefined => {
    if (ref.optional) return undefined;
    const obj = view.get(kind === 'Secret' ? SECRETS : CONFIGMAPS, ns, ref.name ?? '');
    if (!obj) return `${kind === 'Secret' ? 'secret' : 'configmap'} "${ref.name ?? ''}" not found`;
    if (!needKey) return undefined;
    const data = { ...asObj(obj.data), ...asObj((obj as { stringData?: unknown }).stringData), ...asObj((obj as { binaryData?: unknown }).binaryData) };
    return ref.key !== undefined && !(ref.key in data) ? `couldn't find key ${ref.key} in ${kind} ${ns}/${ref.name ?? ''}` : undefined;
  };
  for (const e of asArr<EnvVar>(c.env)) {
    const from = e.valueFrom;
    const err = (from?.secretKeyRef && lookup('Secret', from.secretKeyRef, true)) || (from?.configMapKeyRef && lookup('ConfigMap', from.configMapKeyRef, true));
    if (err) return err;
  }
  for (const e of asArr<EnvFrom>(c.envFrom)) {
    const err = (e.secretRef && lookup('Secret', e.secretRef, false)) || (e.configMapRef && lookup('ConfigMap', e.configMapRef, false));
    if (err) return err;
  }
  return undefined;
}

/**
 * Session-specific environment for learner shells: the ingress gateway's external IP of the
 * session's cluster (TRAVELS_INGRESS_IP), which the lab's curl tool maps to the cluster's proxy.
 */
import { kubeRequest } from '../kube/client.ts';
import type { ClusterAccess } from '../provisioners/provisioner.ts';

interface ServiceStatus {
  status?: { loadBalancer?: { ingress?: { ip?: string }[] } };
}

export async function ingressEnv(cluster: ClusterAccess): Promise<Record<string, string>> {
  try {
    const r = await kubeRequest<ServiceStatus>(cluster, 'GET', '/api/v1/namespaces/istio-system/services/istio-ingressgateway');
    const ip = r.status === 200 ? r.body.status?.loadBalancer?.ingress?.[0]?.ip : undefined;
    return ip ? { TRAVELS_INGRESS_IP: ip } : {};
  } catch {
    // No ingress (yet): the lab tools fall back to asking kubectl themselves.
    return {};
  }
}

/** Looks the ingress IP up a few times (the load balancer may get its IP late) and hands it over once. */
export async function publishIngress(
  cluster: ClusterAccess,
  write: (env: Record<string, string>) => Promise<void> | void,
  delaysMs: number[] = [0, 2000, 10_000, 30_000],
): Promise<void> {
  for (const d of delaysMs) {
    if (d) await new Promise((r) => setTimeout(r, d).unref());
    const env = await ingressEnv(cluster);
    if (env.TRAVELS_INGRESS_IP) {
      try {
        await write(env);
      } catch {
        // The session ended meanwhile (home gone), or the learner's home is full: nothing to publish
        // (the lab tools then ask kubectl for the IP themselves).
      }
      return;
    }
  }
}

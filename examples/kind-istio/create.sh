#!/usr/bin/env bash
# SCRIPT_CREATE for Travels Labs: one kind cluster with Istio (demo profile), Prometheus and Kiali,
# ready for the Travels lab. Contract (docs/real-clusters.md, "The script adapter"):
#   in:  TRAVELS_CLUSTER_ID (DNS-safe, used as the kind cluster name), TRAVELS_CLUSTER_DIR, TRAVELS_KUBECONFIG
#   out: progress on stderr (the learner sees it), the admin kubeconfig path as the last line on stdout.
# Needs docker, kind and curl; istioctl is downloaded (once, cached) when not on PATH.
# Optional: ISTIO_VERSION (default 1.24.2), ISTIO_DIR (an unpacked Istio release), KIND_NODE_IMAGE, KIND_INTERNAL=1 (kubeconfig with the
# node's docker-network address, for a sandbox server running in a container on the `kind` network).
set -euo pipefail

name="${TRAVELS_CLUSTER_ID:?TRAVELS_CLUSTER_ID is not set}"
dir="${TRAVELS_CLUSTER_DIR:-$(mktemp -d)}"
kubeconfig="${TRAVELS_KUBECONFIG:-$dir/kubeconfig}"
istio_version="${ISTIO_VERSION:-1.24.2}"
cache="${TRAVELS_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/travels-labs}"

say() { echo "$*" >&2; }

ensure_istio() {
  istio_dir="${ISTIO_DIR:-$cache/istio-$istio_version}"
  if [[ ! -x "$istio_dir/bin/istioctl" ]]; then
    say "Downloading Istio $istio_version (once)…"
    mkdir -p "$cache"
    (cd "$cache" && curl -fsSL https://istio.io/downloadIstio | ISTIO_VERSION="$istio_version" sh - >&2)
  fi
  istioctl="$istio_dir/bin/istioctl"
}

say "Creating the Kubernetes cluster $name (kind)…"
kind create cluster --name "$name" --kubeconfig "$kubeconfig" --wait 180s ${KIND_NODE_IMAGE:+--image "$KIND_NODE_IMAGE"} >&2
export KUBECONFIG="$kubeconfig"

ensure_istio
say "Installing Istio $istio_version (demo profile)…"
"$istioctl" install --set profile=demo --skip-confirmation >&2

say "Installing Prometheus and Kiali…"
kubectl apply -f "$istio_dir/samples/addons/prometheus.yaml" >&2
kubectl apply -f "$istio_dir/samples/addons/kiali.yaml" >&2
kubectl rollout status deployment/kiali -n istio-system --timeout=300s >&2
kubectl rollout status deployment/prometheus -n istio-system --timeout=300s >&2

# kind has no load balancer: with cloud-provider-kind running on the host the ingress gateway gets an
# external IP; without it the lab's ingress steps go through the API server's service proxy instead.
for _ in $(seq 30); do
  ip="$(kubectl get service istio-ingressgateway -n istio-system -o jsonpath='{.status.loadBalancer.ingress[0].ip}' 2>/dev/null || true)"
  [[ -n "$ip" ]] && break
  sleep 2
done
[[ -n "${ip:-}" ]] && say "Ingress gateway at $ip." || say "Ingress gateway has no external IP (run cloud-provider-kind on the host to get one)."

if [[ "${KIND_INTERNAL:-0}" == 1 ]]; then
  kind get kubeconfig --internal --name "$name" > "$kubeconfig"
fi
say "Cluster $name is ready."
echo "$kubeconfig"

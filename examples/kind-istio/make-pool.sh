#!/usr/bin/env bash
# Pre-makes N kind + Istio clusters for PROVISIONER=pool: one admin kubeconfig per seat in DIR.
#   examples/kind-istio/make-pool.sh 8 ./pool   then   PROVISIONER=pool POOL_KUBECONFIGS=./pool npm start
# Seats are made one after another (each kind cluster start is CPU-heavy); re-running skips made seats.
set -euo pipefail
count="${1:?usage: make-pool.sh <count> <dir>}"
out="${2:?usage: make-pool.sh <count> <dir>}"
here="$(cd "$(dirname "$0")" && pwd)"
mkdir -p "$out"
for i in $(seq 1 "$count"); do
  id="travels-seat-$i"
  [[ -s "$out/$id.yaml" ]] && { echo "$id: already made" >&2; continue; }
  work="$(mktemp -d)"
  TRAVELS_CLUSTER_ID="$id" TRAVELS_CLUSTER_DIR="$work" TRAVELS_KUBECONFIG="$out/$id.yaml" "$here/create.sh" >/dev/null
  chmod 600 "$out/$id.yaml"
  echo "$id: ready ($out/$id.yaml)" >&2
done

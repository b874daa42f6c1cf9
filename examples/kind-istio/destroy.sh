#!/usr/bin/env bash
# SCRIPT_DESTROY for Travels Labs: deletes the kind cluster TRAVELS_CLUSTER_ID. Succeeds when the
# cluster is already gone, so a retried destroy (after a crash or a failed create) converges.
set -euo pipefail
name="${TRAVELS_CLUSTER_ID:?TRAVELS_CLUSTER_ID is not set}"
if kind get clusters 2>/dev/null | grep -qx "$name"; then
  kind delete cluster --name "$name" >&2
else
  echo "kind cluster $name does not exist; nothing to do" >&2
fi

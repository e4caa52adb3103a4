#!/usr/bin/env bash
# Starts a three-master Redis Cluster on loopback for the tests that prove beian on a cluster, and prints
# the value for BEIAN_TEST_REDIS_CLUSTER (comma-separated addresses); it prints nothing else on stdout:
#   BEIAN_TEST_REDIS_CLUSTER=$(bash scripts/redis-cluster.sh)
# Idempotent: a cluster it started earlier that still answers is reused. `scripts/redis-cluster.sh stop`
# stops it. BEIAN_REDIS_CLUSTER_PORTS (default "7001 7002 7003") and BEIAN_REDIS_CLUSTER_DIR (default
# ${TMPDIR:-/tmp}/beian-redis-cluster) change where it runs. Nothing is persisted.
set -euo pipefail

ports=${BEIAN_REDIS_CLUSTER_PORTS:-7001 7002 7003}
dir=${BEIAN_REDIS_CLUSTER_DIR:-${TMPDIR:-/tmp}/beian-redis-cluster}
say() { printf 'redis-cluster: %s\n' "$*" >&2; }

if [ "${1:-}" = stop ]; then
  for p in $ports; do redis-cli -p "$p" shutdown nosave >/dev/null 2>&1 || true; done
  exit 0
fi

addrs=()
for p in $ports; do addrs+=("127.0.0.1:$p"); done
joined=$(IFS=,; echo "${addrs[*]}")

if redis-cli -p "${ports%% *}" cluster info 2>/dev/null | grep -q 'cluster_state:ok'; then
  say "reusing the cluster on ${addrs[*]}"
  echo "$joined"
  exit 0
fi

mkdir -p "$dir"
for p in $ports; do
  redis-cli -p "$p" shutdown nosave >/dev/null 2>&1 || true
  rm -f "$dir/nodes-$p.conf"
  redis-server --port "$p" --bind 127.0.0.1 --daemonize yes --cluster-enabled yes \
    --cluster-config-file "$dir/nodes-$p.conf" --cluster-node-timeout 5000 \
    --save "" --appendonly no --dir "$dir" --logfile "$dir/redis-$p.log" >&2
done
for p in $ports; do
  for _ in $(seq 50); do redis-cli -p "$p" ping >/dev/null 2>&1 && break; sleep 0.1; done
done
redis-cli --cluster create "${addrs[@]}" --cluster-replicas 0 --cluster-yes >&2
for _ in $(seq 100); do
  if redis-cli -p "${ports%% *}" cluster info | grep -q 'cluster_state:ok'; then
    say "three masters answer on ${addrs[*]}"
    echo "$joined"
    exit 0
  fi
  sleep 0.1
done
say "the cluster did not reach cluster_state:ok; logs in $dir"
exit 1

#!/usr/bin/env bash
# Starts a local S3-compatible server for the blob store's tests and prints the BEIAN_TEST_S3_URL that
# points them at it; it prints nothing else on stdout, so a caller can write
#   BEIAN_TEST_S3_URL=$(bash scripts/s3-server.sh)
#
# The server is versitygw on its posix backend, installed with `go install` when missing. The script is
# idempotent: when the server it started earlier still answers, it is reused. `scripts/s3-server.sh stop`
# stops that server. Settings, all optional:
#   BEIAN_S3_ADDR    listen address, loopback only (default 127.0.0.1:7070)
#   BEIAN_S3_DIR     state directory: objects, pid file and log (default ${TMPDIR:-/tmp}/beian-s3)
#   BEIAN_S3_BUCKET  test bucket (default beian-test)
set -euo pipefail

version=v1.8.0
addr=${BEIAN_S3_ADDR:-127.0.0.1:7070}
dir=${BEIAN_S3_DIR:-${TMPDIR:-/tmp}/beian-s3}
bucket=${BEIAN_S3_BUCKET:-beian-test}
# Fixed test credentials: the server listens on loopback and holds only test objects.
access=beiantest
secret=beiantest-secret

export PATH="$PATH:/usr/local/go/bin"
pidfile=$dir/versitygw.pid
logfile=$dir/versitygw.log

say() { printf 's3-server: %s\n' "$*" >&2; }
die() { say "$*"; exit 1; }
elapsed() { awk -v a="$1" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.2f", b - a }'; }

case $addr in
  127.*:* | localhost:*) ;;
  *) die "BEIAN_S3_ADDR=$addr is not a loopback address" ;;
esac

# ours_running succeeds when the pid file names a live versitygw process.
ours_running() {
  local pid
  pid=$(cat "$pidfile" 2>/dev/null) || return 1
  [ -n "$pid" ] && [ "$(cat "/proc/$pid/comm" 2>/dev/null)" = versitygw ]
}

# answers succeeds when an HTTP server answers on addr.
answers() (
  exec 3<>"/dev/tcp/${addr%:*}/${addr##*:}" || exit 1
  printf 'GET / HTTP/1.0\r\nHost: %s\r\n\r\n' "$addr" >&3
  IFS= read -r -t 2 line <&3 || exit 1
  [[ $line == HTTP/1.* ]]
) 2>/dev/null

if [ "${1:-}" = stop ]; then
  if ours_running; then
    kill "$(cat "$pidfile")"
    say "stopped"
  fi
  rm -f "$pidfile"
  exit 0
fi
[ $# -eq 0 ] || die "usage: $0 [stop]"

mkdir -p "$dir/data"
exec 9>"$dir/lock"
flock 9

gobin=$(go env GOBIN)
bin=${gobin:-$(go env GOPATH)/bin}/versitygw
if [ "$(go version -m "$bin" 2>/dev/null | awk '$1 == "mod" { print $3 }')" != "$version" ]; then
  say "installing versitygw $version with go install"
  started=$SECONDS
  go install "github.com/versity/versitygw/cmd/versitygw@$version" >&2
  say "installed in $((SECONDS - started))s"
fi

# The posix backend serves each directory under its root as a bucket, so this creates the test bucket,
# whether the server is already running or not.
mkdir -p "$dir/data/$bucket"

if ours_running && answers; then
  say "reusing versitygw (pid $(cat "$pidfile")) on $addr"
elif answers; then
  die "something else answers on $addr; set BEIAN_S3_ADDR to a free port"
else
  started=$EPOCHREALTIME
  ROOT_ACCESS_KEY_ID=$access ROOT_SECRET_ACCESS_KEY=$secret \
    setsid "$bin" --port "$addr" --quiet posix "$dir/data" </dev/null >>"$logfile" 2>&1 9>&- &
  echo $! >"$pidfile"
  for _ in $(seq 150); do
    answers && break
    ours_running || break
    sleep 0.2
  done
  if ! ours_running || ! answers; then
    tail -n 20 "$logfile" >&2 || true
    die "versitygw did not answer on $addr; log: $logfile"
  fi
  say "versitygw (pid $(cat "$pidfile")) answers on $addr after $(elapsed "$started")s; objects in $dir/data"
fi

printf 's3://%s:%s@%s?endpoint=http://%s&region=us-east-1&path_style=true\n' "$access" "$secret" "$bucket" "$addr"

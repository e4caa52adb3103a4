#!/usr/bin/env bash
# Lint the OpenAPI document exactly as beian serves it (/openapi.json) with two outside linters,
# Redocly and Spectral (the spectral:oas ruleset). Both must report 0 errors; warnings are shown.
# The linters are npm packages pinned in scripts/openapi-lint/package-lock.json and installed there
# (node_modules is not committed).
set -euo pipefail
cd "$(dirname "$0")/.."
dir=scripts/openapi-lint
if [ ! -x "$dir/node_modules/.bin/redocly" ] || [ ! -x "$dir/node_modules/.bin/spectral" ]; then
  npm ci --prefix "$dir" --no-audit --no-fund >/dev/null
fi
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
go run ./scripts/openapi-dump >"$out/openapi.json"
echo "==> redocly lint"
REDOCLY_TELEMETRY=off REDOCLY_SUPPRESS_UPDATE_NOTICE=true "$dir/node_modules/.bin/redocly" lint "$out/openapi.json" --format=summary
echo "==> spectral lint (spectral:oas)"
"$dir/node_modules/.bin/spectral" lint --ruleset "$dir/.spectral.yaml" --fail-severity=error --display-only-failures "$out/openapi.json"

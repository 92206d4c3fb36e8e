#!/usr/bin/env bash
# Runs a command (default: `npm test`) as on a machine with only Node and npm: in a private mount namespace
# (unshare -m) where every program of test-support/external-tools.json, a global pnpm, bun and deno are hidden
# (an overlay with whiteouts on each folder that holds one; nothing changes outside the namespace).
# Needs root. Examples:
#   scripts/check-bare-machine.sh                                   # npm test: passes, ends with the skip line
#   scripts/check-bare-machine.sh npx vitest run packages/cli/test/real-tools.test.ts
#   ECR_AUTH_REQUIRE_TOOLS=1 scripts/check-bare-machine.sh npx vitest run ...   # fails, naming the tools
# For a newcomer's view of the committed tree, run it in a fresh clone: git clone . /tmp/c && /tmp/c/scripts/...
set -euo pipefail
cd "$(dirname "$0")/.."
[ $# -gt 0 ] || set -- npm test

if [ -z "${ECR_AUTH_BARE_WORK:-}" ]; then
  # The overlays' upper and work folders: a tmpfs on this (empty) folder, inside the namespace only.
  work=$(mktemp -d /tmp/ecr-auth-bare.XXXXXX)
  status=0
  ECR_AUTH_BARE_WORK=$work unshare -m "$0" "$@" || status=$?
  rmdir "$work"
  exit "$status"
fi
work=$ECR_AUTH_BARE_WORK
unset ECR_AUTH_BARE_WORK
mount --make-rprivate /

# Each tool by its fixed path (if any) and by name, wherever PATH finds it.
mapfile -t tools < <(node -p "require('./test-support/external-tools.json').tools.flatMap((t) => [t.name, t.path ?? []]).join('\n')")
tools+=(pnpm bun deno)
declare -A hide=()
for tool in "${tools[@]}"; do
  if [[ $tool == /* ]]; then
    if [ -e "$tool" ] || [ -L "$tool" ]; then hide[$(realpath "$(dirname "$tool")")/${tool##*/}]=1; fi
  else
    while read -r found; do
      [ -n "$found" ] && hide[$(realpath "$(dirname "$found")")/$tool]=1
    done < <(type -ap "$tool" || true)
  fi
done

mount -t tmpfs tmpfs "$work"
declare -A layer=()
n=0
for file in "${!hide[@]}"; do
  dir=$(dirname "$file")
  if [ -z "${layer[$dir]:-}" ]; then
    n=$((n + 1))
    layer[$dir]="$work/$n"
    mkdir -p "$work/$n/upper" "$work/$n/work"
  fi
  mknod "${layer[$dir]}/upper/$(basename "$file")" c 0 0
done
for dir in "${!layer[@]}"; do
  mount -t overlay overlay -o "lowerdir=$dir,upperdir=${layer[$dir]}/upper,workdir=${layer[$dir]}/work" "$dir"
done

for tool in "${tools[@]}"; do
  if [[ $tool == /* ]] && [ -e "$tool" ]; then echo "check-bare-machine: $tool still visible" >&2; exit 2; fi
  if [[ $tool != /* ]] && command -v "$tool" >/dev/null; then echo "check-bare-machine: $tool still on PATH" >&2; exit 2; fi
done
echo "check-bare-machine: hidden ${#hide[@]} files: $(printf '%s\n' "${!hide[@]}" | sort | tr '\n' ' ')"
echo "check-bare-machine: running $* (node $(node --version), ECR_AUTH_REQUIRE_TOOLS=${ECR_AUTH_REQUIRE_TOOLS:-unset})"
exec "$@"

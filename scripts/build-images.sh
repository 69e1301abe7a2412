#!/bin/sh
# Builds and pushes Ganglion's images for linux/arm64 and linux/amd64: the worker image every agent Job runs
# (workers/Dockerfile) and one image per function of stack.yml (templates/ganglion-ts, through faas-cli publish).
#
#   REGISTRY=ghcr.io/<you> TAG=0.1.0 NODE_DIGEST=sha256:<digest> scripts/build-images.sh [all|worker|functions] [--print]
#
# REGISTRY and TAG name the images exactly as stack.yml does (${REGISTRY:-ghcr.io/ganglion}/ganglion-<fn>:${TAG:-0.1.0});
# the worker is $REGISTRY/ganglion-worker:$TAG, the name kernel/config.ts, stack.yml and the Job template use.
# NODE_DIGEST pins the worker's base image, node:24-bookworm-slim: a tag moves, a digest does not, so the script
# refuses to build without one. Take the multi-arch index digest (the "Digest:" line) from
#   docker buildx imagetools inspect node:24-bookworm-slim
# --print shows the commands instead of running them.
set -eu

cd "$(dirname "$0")/.."
REGISTRY=${REGISTRY:-ghcr.io/ganglion}
TAG=${TAG:-0.1.0}
PLATFORMS=${PLATFORMS:-linux/arm64,linux/amd64}
NODE_TAG=node:24-bookworm-slim
WORKER_IMAGE="$REGISTRY/ganglion-worker:$TAG"
export REGISTRY TAG

what=all
print=
for arg in "$@"; do
  case "$arg" in
    all|worker|functions) what=$arg ;;
    --print) print=1 ;;
    *) echo "usage: REGISTRY=… TAG=… NODE_DIGEST=sha256:… $0 [all|worker|functions] [--print]" >&2; exit 2 ;;
  esac
done

run() {
  if [ -n "$print" ]; then echo "$*"; else "$@"; fi
}

build_worker() {
  digest=${NODE_DIGEST:-}
  if ! printf '%s' "$digest" | grep -Eq '^sha256:[0-9a-f]{64}$'; then
    echo "NODE_DIGEST is not set to a sha256 digest (got \"$digest\"): the worker image is built only on a pinned base." >&2
    echo "Run: docker buildx imagetools inspect $NODE_TAG   and set NODE_DIGEST to its Digest: line (sha256:…)." >&2
    exit 2
  fi
  # one build for both platforms, pushed as one multi-arch image (buildx needs a docker-container builder)
  run docker buildx build --platform "$PLATFORMS" -f workers/Dockerfile \
    --build-arg "NODE_IMAGE=$NODE_TAG@$digest" --tag "$WORKER_IMAGE" --push .
}

build_functions() {
  # faas-cli finds templates in ./template/<lang>; stack.yml's configuration.copy brings the shared folders
  run mkdir -p template
  run cp -R templates/ganglion-ts template/
  run faas-cli publish -f stack.yml --platforms "$PLATFORMS"
}

case "$what" in
  worker) build_worker ;;
  functions) build_functions ;;
  all) build_worker; build_functions ;;
esac

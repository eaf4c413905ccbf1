#!/usr/bin/env bash
# Packs `nashub bench trainer` for the GPU machine into the git-ignored .gpu/ folder: that machine has Python, CUDA
# and PyTorch but no Node.js and no npm registry, and takes a checkout plus at most 64 MiB of carried files.
#   bench/gpu/pack.sh [KIT]     KIT: the measured GPU kit folder (node.xz and the Vulkan/GL .debs), default ../shared/gpu
#                               beside the checkout
# Then run it there as one command (the device tool: carry [".gpu"]):  bash .gpu/run.sh [bench trainer options]
set -euo pipefail
KIT=$(realpath "${1:-$(dirname "$0")/../../../shared/gpu}")
cd "$(dirname "$0")/../.."
OUT=.gpu
if [ ! -f "$KIT/node.xz" ] || ! ls "$KIT"/*.deb >/dev/null 2>&1; then
  echo "pack: $KIT holds no node.xz and .deb files (the GPU kit, ../shared/gpu)" >&2
  exit 2
fi
npm run build --silent
rm -rf "$OUT"
mkdir -p "$OUT/node_modules/webgpu/dist/linux-x64"
# One CommonJS file with tfjs and its webgpu backend inside; Dawn (the `webgpu` package, a native addon) stays outside.
npx esbuild dist/cli/bench-trainer.main.js --bundle --platform=node --format=cjs --target=node20 \
  --external:webgpu --external:@tensorflow/tfjs-node-gpu --log-level=warning --outfile="$OUT/nashub-bench.js"
cp node_modules/webgpu/index.js node_modules/webgpu/package.json "$OUT/node_modules/webgpu/"
cp node_modules/webgpu/dist/linux-x64/dawn.node "$OUT/node_modules/webgpu/dist/linux-x64/"
# The wasm backend finds its .wasm files through require.resolve at run time (there is no node_modules on that machine).
mkdir -p "$OUT/node_modules/@tensorflow/tfjs-backend-wasm/dist"
cp node_modules/@tensorflow/tfjs-backend-wasm/package.json "$OUT/node_modules/@tensorflow/tfjs-backend-wasm/"
cp node_modules/@tensorflow/tfjs-backend-wasm/dist/*.wasm "$OUT/node_modules/@tensorflow/tfjs-backend-wasm/dist/"
cp "$KIT/node.xz" "$KIT"/*.deb "$OUT/"
# The PyTorch backend runs its Python modules from beside the bundle (__dirname there is .gpu/).
cp src/trainer/pytorch/*.py "$OUT/"
cp bench/gpu/run.sh "$OUT/run.sh"
bytes=$(du -sb "$OUT" | cut -f1)
if [ "$bytes" -gt $((64 * 1024 * 1024)) ]; then
  echo "pack: $OUT is $bytes bytes, more than the 64 MiB the device tool carries" >&2
  exit 1
fi
echo "pack: $bytes bytes in $OUT (the device tool carries at most 64 MiB)"

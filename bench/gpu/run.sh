#!/usr/bin/env bash
# On the GPU machine, from a checkout carrying .gpu/ (made by bench/gpu/pack.sh): nashub's `bench trainer` on the
# pytorch training backend and the webgpu backend (Dawn over the NVIDIA Vulkan driver), and the same network in a bare
# PyTorch loop on the same GPU, in one call.
#   bash .gpu/run.sh [bench trainer options, e.g. --steps 20 --backends webgpu,wasm]
# Writes gpu.txt, bench-trainer.json and bench-trainer.log to $OUT (default .gpu/out) and prints them.
set -uo pipefail
cd "$(dirname "$0")"
OUT=${OUT:-$PWD/out}
mkdir -p "$OUT"
# The machine has no Vulkan loader or GL vendor libraries; without them Dawn finds no adapter.
debs=(*.deb)
if [ ! -e "${debs[0]}" ]; then
  echo "run: no .deb files beside $0 (pack with bench/gpu/pack.sh)" >&2
  exit 2
fi
for deb in "${debs[@]}"; do
  dpkg -x "$deb" / || { echo "run: dpkg -x $deb failed" >&2; exit 2; }
done
ldconfig
export VK_DRIVER_FILES=${VK_DRIVER_FILES:-/usr/local/nvidia/share/vulkan/icd.d/nvidia_icd.json}
[ -x node ] || { xz -dkf node.xz && chmod +x node; }
{
  nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv,noheader
  python3 -c 'import torch; print("torch", torch.__version__, "cuda", torch.version.cuda, torch.cuda.get_device_name(0))'
  ./node --version
} 2>&1 | tee "$OUT/gpu.txt"
args=("$@")
[ ${#args[@]} -eq 0 ] && args=(--backends pytorch,webgpu --steps 10 --warmup 3)
timeout 420 ./node --max-old-space-size=8192 nashub-bench.js "${args[@]}" >"$OUT/bench-trainer.json" 2>"$OUT/bench-trainer.log"
status=$?
echo "bench trainer exit status: $status"
cat "$OUT/bench-trainer.json"
grep -v -e '^Warning: ' -e 'artificially reduced' "$OUT/bench-trainer.log" | tail -n 30
exit $status

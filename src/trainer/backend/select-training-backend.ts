import * as tf from '@tensorflow/tfjs';
import { ErrorCode, NashubError } from '../../core';
import { usePackagedWasmFiles } from '../../predictor/backend/select-backend';
import { registerConv2dBackpropFilter } from '../gradient/conv2d-backprop-filter';
import { registerConv2dBackpropInput } from '../gradient/conv2d-backprop-input';
import { registerIdentityByReference } from '../gradient/identity-by-reference';
import { registerFusedWebgpuKernels } from '../webgpu/fused-kernels';
import {
  choosePytorch,
  compareCpuSpeed,
  describeTorchChoice,
  type CpuSpeedComparison,
  type TorchChoice,
} from './choose-pytorch';
import { describeDevice, rememberWebgpuAdapter, type WebgpuAdapterInfo } from './describe-device';

/** The backends the trainer can run on: PyTorch in a Python process, and the tfjs backends, best first. */
export const TrainingBackend = {
  PYTORCH: 'pytorch',
  TENSORFLOW: 'tensorflow',
  WEBGPU: 'webgpu',
  WASM: 'wasm',
  CPU: 'cpu',
} as const;

/** One of {@link TrainingBackend}'s values. */
export type TrainingBackendValue = (typeof TrainingBackend)[keyof typeof TrainingBackend];

/** What `--backend` accepts: a backend, or `auto` for the best one that loads. */
export type TrainingBackendPreference = TrainingBackendValue | 'auto';

/** The backend {@link selectTrainingBackend} made active. */
export interface TrainingBackendChoice {
  /** The backend jobs train on: `pytorch`, or the active tfjs backend. */
  backend: TrainingBackendValue;
  /** How PyTorch runs, when `backend` is `pytorch`. */
  torch?: TorchChoice;
  /** What `auto` measured when it weighed PyTorch on CPU against wasm. */
  measured?: CpuSpeedComparison;
  /** The hardware it runs on, for run rows and logs, e.g. `cpu (2 cores; wasm SIMD, 1 thread)`. */
  device: string;
  /** Why each better backend was skipped (for `auto`), best first. */
  skipped: { backend: TrainingBackendValue; reason: string }[];
}

const ORDER: readonly TrainingBackendValue[] = [
  TrainingBackend.PYTORCH,
  TrainingBackend.TENSORFLOW,
  TrainingBackend.WEBGPU,
  TrainingBackend.WASM,
  TrainingBackend.CPU,
];

/** Why a backend could not be used (thrown by its activator, collected by `auto`). */
class Unavailable extends Error {}

/** Parses a `--backend` value (BACKEND_UNAVAILABLE names the accepted values). */
export function parseTrainingBackendPreference(value: string): TrainingBackendPreference {
  if (value === 'auto' || (ORDER as readonly string[]).includes(value)) return value as TrainingBackendPreference;
  throw new NashubError(ErrorCode.INVALID_ARGUMENT, `backend must be auto, ${ORDER.join(', ')}; got "${value}"`, {
    details: { field: 'backend', value },
  });
}

/** Options of {@link selectTrainingBackend}. */
export interface SelectTrainingBackendOptions {
  /** Where NASHUB_PYTHON, NASHUB_TORCH_THREADS and PATH are read (default process.env; Dawn reads process.env). */
  env?: NodeJS.ProcessEnv;
}

/**
 * Picks the backend jobs train on and returns it with its device. `pytorch` runs each session in a Python process
 * (see `pytorch/`); the tfjs backends are made active for the whole process (tfjs backends are process-global).
 * `auto` takes, best first: PyTorch with CUDA; tensorflow (@tensorflow/tfjs-node-gpu, only if it can be required);
 * webgpu (the `webgpu` package, only when `requestAdapter()` returns a hardware adapter); PyTorch on CPU when it trains
 * the probe network faster than wasm does here (measured once, in `measured`); wasm; cpu. A named backend that cannot
 * load is BACKEND_UNAVAILABLE; `auto` skips it with the reason. A software WebGPU adapter (Mesa llvmpipe/lavapipe,
 * SwiftShader) is used only when webgpu is named. On every tfjs backend but tensorflow the filter gradient of conv2d is
 * replaced by forward convolutions, and on wasm the stride-1 input gradient too, and wasm's Identity shares data
 * instead of copying it (see `gradient/`).
 */
export async function selectTrainingBackend(
  preference: TrainingBackendPreference,
  options: SelectTrainingBackendOptions = {},
): Promise<TrainingBackendChoice> {
  const env = options.env ?? process.env;
  if (preference === TrainingBackend.PYTORCH) return pytorchChoice(choosePytorch(env), []);
  if (preference !== 'auto') {
    await activateNamed(preference);
    return { backend: preference, device: await describeDevice(preference), skipped: [] };
  }
  const skipped: TrainingBackendChoice['skipped'] = [];
  let torch: TorchChoice | undefined;
  let torchReason = '';
  try {
    torch = choosePytorch(env);
  } catch (error) {
    torchReason = error instanceof Error ? error.message : String(error);
  }
  if (torch?.device === 'cuda') return pytorchChoice(torch, skipped);
  for (const backend of ORDER.filter((b) => b !== TrainingBackend.PYTORCH)) {
    if (backend === TrainingBackend.WASM) {
      const weighed = await weighPytorchOnCpu(torch, torchReason, skipped);
      if (weighed !== undefined) return weighed;
    }
    try {
      await ACTIVATE[backend](false);
      return { backend, device: await describeDevice(backend), skipped };
    } catch (error) {
      if (!(error instanceof Unavailable)) throw error;
      skipped.push({ backend, reason: error.message });
    }
  }
  throw new NashubError(ErrorCode.BACKEND_UNAVAILABLE, 'no training backend could be activated', {
    details: { skipped },
  });
}

function pytorchChoice(torch: TorchChoice, skipped: TrainingBackendChoice['skipped']): TrainingBackendChoice {
  return { backend: TrainingBackend.PYTORCH, device: describeTorchChoice(torch), torch, skipped };
}

/** Activates a tfjs backend asked for by name; BACKEND_UNAVAILABLE with the reason when it cannot load. */
async function activateNamed(backend: Exclude<TrainingBackendValue, 'pytorch'>): Promise<void> {
  try {
    await ACTIVATE[backend](true);
  } catch (error) {
    if (!(error instanceof Unavailable)) throw error;
    throw new NashubError(ErrorCode.BACKEND_UNAVAILABLE, `tfjs backend ${backend} is unavailable: ${error.message}`, {
      details: { backend },
      cause: error,
    });
  }
}

/**
 * `auto`'s step before wasm: without CUDA, PyTorch on CPU is taken only when it trains the probe faster than wasm
 * (both timed here, wasm made active first). Undefined, with the reason in `skipped`, when it is not taken.
 */
async function weighPytorchOnCpu(
  torch: TorchChoice | undefined,
  torchReason: string,
  skipped: TrainingBackendChoice['skipped'],
): Promise<TrainingBackendChoice | undefined> {
  if (torch === undefined) {
    skipped.push({ backend: TrainingBackend.PYTORCH, reason: torchReason });
    return undefined;
  }
  let measured: CpuSpeedComparison;
  try {
    await ACTIVATE.wasm(false);
    measured = await compareCpuSpeed(torch);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    skipped.push({
      backend: TrainingBackend.PYTORCH,
      reason: `weighing PyTorch on CPU against wasm failed: ${reason}`,
    });
    return undefined;
  }
  const { pytorchImagesPerSecond: fast, wasmImagesPerSecond: slow } = measured;
  if (fast > slow) return { ...pytorchChoice(torch, skipped), measured };
  skipped.push({
    backend: TrainingBackend.PYTORCH,
    reason: `no CUDA, and on CPU ${fast.toFixed(0)} img/s is not faster than wasm's ${slow.toFixed(0)} img/s (${measured.probe})`,
  });
  return undefined;
}

/** Activators; `named` is true when the caller asked for this backend by name, not through `auto`. */
const ACTIVATE: Record<Exclude<TrainingBackendValue, 'pytorch'>, (named: boolean) => Promise<void>> = {
  tensorflow: activateTensorflow,
  webgpu: activateWebgpu,
  wasm: activateWasm,
  cpu: activateCpu,
};

async function activate(backend: Exclude<TrainingBackendValue, 'pytorch'>): Promise<void> {
  if (tf.findBackendFactory(backend) === null && tf.findBackend(backend) === null)
    throw new Unavailable(`tfjs has no ${backend} backend registered`);
  let ok: boolean;
  try {
    ok = await tf.setBackend(backend);
  } catch (error) {
    throw new Unavailable(
      `tf.setBackend("${backend}") failed: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
  if (!ok) throw new Unavailable(`tf.setBackend("${backend}") returned false`);
  await tf.ready();
}

/**
 * Loads an optional package; one that is missing or fails to load is Unavailable, not a crash. Callers pass
 // eslint-disable-next-line @typescript-eslint/no-require-imports -- optional dependency, loaded only when present
 * `() => require('literal')`: a literal name lets a bundler (the GPU kit's esbuild bundle) include or externalise it.
 */
function requireOptional(name: string, load: () => unknown): unknown {
  try {
    return load();
  } catch (error) {
    throw new Unavailable(
      `${name} cannot be required: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`,
    );
  }
}

async function activateTensorflow(): Promise<void> {
  // Porting note: @tensorflow/tfjs-node-gpu is not a dependency: its install script downloads libtensorflow, which
  // breaks `npm ci` where that download is impossible. Install it beside nashub and it is picked up here.
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- optional dependency, loaded only when present
  requireOptional('@tensorflow/tfjs-node-gpu', () => require('@tensorflow/tfjs-node-gpu'));
  await activate(TrainingBackend.TENSORFLOW);
}

/** A WebGPU adapter request, as tfjs-backend-webgpu and we make it. */
interface AdapterOptions {
  powerPreference?: string;
  featureLevel?: string;
}

interface DawnGpu {
  requestAdapter(options?: AdapterOptions): Promise<{ info?: WebgpuAdapterInfo } | null>;
}

interface DawnModule {
  create(flags: string[]): DawnGpu;
  globals: Record<string, unknown>;
}

/**
 * Dawn's start-up flags from `NASHUB_DAWN_FLAGS` (space or comma separated, e.g. `backend=opengl`; Dawn reads values
 * case-insensitively). With an OpenGL backend Dawn offers only "compatibility" adapters, so every adapter request asks
 * for that feature level: this is how the webgpu path runs on Mesa's software rasteriser (llvmpipe) on a machine
 * without a GPU, for tests, not for speed.
 */
function dawnFlags(env: NodeJS.ProcessEnv = process.env): { flags: string[]; compatibility: boolean } {
  const flags = (env.NASHUB_DAWN_FLAGS ?? '').split(/[\s,]+/).filter((flag) => flag.length > 0);
  return { flags, compatibility: flags.some((flag) => /^backend=opengl(es)?$/i.test(flag)) };
}

/** True for a CPU implementation of WebGPU: Mesa's llvmpipe (OpenGL) or lavapipe (Vulkan), or SwiftShader. */
export function isSoftwareAdapter(info: WebgpuAdapterInfo & { isFallbackAdapter?: boolean }): boolean {
  if (info.isFallbackAdapter === true) return true;
  return /llvmpipe|lavapipe|swiftshader/i.test(
    `${info.vendor ?? ''} ${info.architecture ?? ''} ${info.device ?? ''} ${info.description ?? ''}`,
  );
}

/** Wraps requestAdapter so that tfjs's own request (which names no feature level) asks for compatibility adapters. */
function askForCompatibility(gpu: DawnGpu): DawnGpu {
  const requestAdapter = gpu.requestAdapter.bind(gpu);
  return new Proxy(gpu, {
    get(target, property) {
      if (property === 'requestAdapter')
        return (options?: AdapterOptions) => requestAdapter({ ...options, featureLevel: 'compatibility' });
      const value = Reflect.get(target, property, target) as unknown;
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
  });
}

/** The Dawn instance and adapter this process found (tfjs-backend-webgpu binds to navigator.gpu once per process). */
let dawnAdapter: { info: WebgpuAdapterInfo; software: boolean } | undefined;

/** Creates Dawn with NASHUB_DAWN_FLAGS and asks for the adapter tfjs will ask for; Unavailable when there is none. */
async function findDawnAdapter(
  dawn: DawnModule,
): Promise<{ gpu: DawnGpu; info: WebgpuAdapterInfo; software: boolean }> {
  const { flags, compatibility } = dawnFlags();
  const named = flags.length > 0 ? ` (NASHUB_DAWN_FLAGS: ${flags.join(' ')})` : '';
  // Mesa's EGL on a machine without a display: surfaceless is the only platform that can work there.
  if (compatibility) process.env.EGL_PLATFORM ??= 'surfaceless';
  let gpu: DawnGpu;
  let adapter: Awaited<ReturnType<DawnGpu['requestAdapter']>>;
  try {
    gpu = dawn.create(flags);
    if (compatibility) gpu = askForCompatibility(gpu);
    adapter = await gpu.requestAdapter({ powerPreference: 'high-performance' });
  } catch (error) {
    throw new Unavailable(
      `Dawn could not start${named}: ${(error instanceof Error ? error.message : String(error)).split('\n')[0]}`,
    );
  }
  if (adapter === null) throw new Unavailable(`the webgpu package (Dawn) found no GPU adapter${named}`);
  const raw = (adapter.info ?? {}) as WebgpuAdapterInfo & { isFallbackAdapter?: boolean };
  const info = { vendor: raw.vendor, architecture: raw.architecture, device: raw.device, description: raw.description };
  return { gpu, info, software: isSoftwareAdapter(raw) };
}

async function activateWebgpu(named: boolean): Promise<void> {
  const globals = globalThis as { navigator?: { gpu?: unknown } };
  if (dawnAdapter === undefined && globals.navigator?.gpu === undefined) {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- optional dependency, loaded only when present
    const dawn = requireOptional('webgpu', () => require('webgpu')) as DawnModule;
    const { gpu, info, software } = await findDawnAdapter(dawn);
    dawnAdapter = { info, software };
    Object.assign(globalThis, dawn.globals);
    // Node 20 has no navigator; tfjs-backend-webgpu registers itself only when navigator.gpu exists at import time.
    Object.defineProperty(globalThis, 'navigator', {
      value: { ...(globals.navigator ?? {}), gpu },
      configurable: true,
      writable: true,
    });
  }
  if (dawnAdapter?.software === true && !named) {
    const name = dawnAdapter.info.device || dawnAdapter.info.description || 'software';
    throw new Unavailable(
      `the only WebGPU adapter is a software rasteriser (${name}), slower than wasm; use --backend webgpu to train on it anyway`,
    );
  }
  rememberWebgpuAdapter(
    dawnAdapter === undefined ? undefined : { ...dawnAdapter.info, software: dawnAdapter.software },
  );
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- optional dependency, loaded only when present
  requireOptional('@tensorflow/tfjs-backend-webgpu', () => require('@tensorflow/tfjs-backend-webgpu'));
  await activate(TrainingBackend.WEBGPU);
  registerConv2dBackpropFilter(TrainingBackend.WEBGPU);
  registerFusedWebgpuKernels();
}

async function activateWasm(): Promise<void> {
  usePackagedWasmFiles();
  await activate(TrainingBackend.WASM);
  registerConv2dBackpropFilter(TrainingBackend.WASM);
  registerConv2dBackpropInput(TrainingBackend.WASM);
  registerIdentityByReference(TrainingBackend.WASM);
}

async function activateCpu(): Promise<void> {
  await activate(TrainingBackend.CPU);
  // The stock pure-JS filter gradient takes ~16 s for one 3×3 conv at batch 32 (shared/gpu/README.md): unusable.
  registerConv2dBackpropFilter(TrainingBackend.CPU);
}

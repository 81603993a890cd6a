// Chooses and initialises the tfjs backend once per process.
//   tensorflow (default): @tensorflow/tfjs-node, built by scripts/setup-native.mjs;
//   tensorflow-gpu: @tensorflow/tfjs-node-gpu (optional; needs CUDA 11.2 + cuDNN 8.1 for tfjs 4.22);
//   wasm: @tensorflow/tfjs-backend-wasm, the zero-native fallback (one warning when chosen implicitly);
//   cpu: pure JS, for tiny unit tests only.
import { createRequire } from 'node:module';
import * as tf from '@tensorflow/tfjs';
import { CodedError } from './errors.js';

export type BackendName = 'tensorflow' | 'tensorflow-gpu' | 'wasm' | 'cpu';

const require = createRequire(import.meta.url);
let active: BackendName | undefined;

function tryRequire(name: string): string | undefined {
  try {
    require(name);
    return undefined;
  } catch (e) {
    return (e as Error).message.split('\n')[0];
  }
}

/** Initialises tfjs. `CTRGCN_BACKEND` overrides the default choice. */
export async function initBackend(prefer?: BackendName): Promise<{ tf: typeof tf; backend: BackendName }> {
  const want = prefer ?? (process.env.CTRGCN_BACKEND as BackendName | undefined) ?? 'tensorflow';
  if (active && (prefer === undefined || active === want)) return { tf, backend: active };
  if (want === 'tensorflow-gpu') {
    const err = tryRequire('@tensorflow/tfjs-node-gpu');
    if (err) {
      throw new CodedError(
        'E_GPU_BACKEND',
        `GPU training was requested (Global.use_gpu=True) but @tensorflow/tfjs-node-gpu cannot be loaded: ${err}. ` +
          'Install it (npm install @tensorflow/tfjs-node-gpu; needs CUDA 11.2 and cuDNN 8.1) or set Global.use_gpu=False.',
      );
    }
    await setBackend('tensorflow');
    active = 'tensorflow-gpu';
    return { tf, backend: active };
  }
  if (want === 'tensorflow') {
    const err = tryRequire('@tensorflow/tfjs-node');
    if (!err) {
      await setBackend('tensorflow');
      active = 'tensorflow';
      return { tf, backend: active };
    }
    if (prefer === 'tensorflow')
      throw new CodedError('E_NATIVE_BACKEND', `@tensorflow/tfjs-node cannot be loaded: ${err}`);
    process.stderr.write(
      `warning: native TensorFlow backend unavailable (${err}); falling back to the wasm backend (much slower). ` +
        'Run `npm run setup-native` to build it.\n',
    );
  }
  if (want === 'cpu') {
    await setBackend('cpu');
    active = 'cpu';
    return { tf, backend: active };
  }
  require('@tensorflow/tfjs-backend-wasm');
  await setBackend('wasm');
  active = 'wasm';
  return { tf, backend: active };
}

async function setBackend(name: string): Promise<void> {
  // tf.setBackend returning false silently leaves tfjs on 'cpu': always check it.
  const ok = await tf.setBackend(name);
  if (!ok || tf.getBackend() !== name)
    throw new CodedError('E_BACKEND_INIT', `could not initialise the tfjs "${name}" backend`);
  await tf.ready();
}

export function activeBackend(): BackendName | undefined {
  return active;
}

// PaddleVideo auto_log-style latency lines (spec tipc.md §8):
// `[YYYY/MM/DD HH:MM:SS] root INFO:  key: value`, in the upstream sections and order.
import os from 'node:os';
import type { LatencyReport } from './latency.js';

const pad2 = (n: number) => String(n).padStart(2, '0');

export function logTimestamp(d = new Date()): string {
  return `${d.getFullYear()}/${pad2(d.getMonth() + 1)}/${pad2(d.getDate())} ${pad2(d.getHours())}:${pad2(d.getMinutes())}:${pad2(d.getSeconds())}`;
}

export interface AutoLogExtras {
  osVersion?: string;
  irOptim: boolean;
  enableMkldnn: boolean;
  enableTensorrt: boolean;
}

/** The report as auto_log lines (no trailing newline on the last). */
export function formatAutoLog(r: LatencyReport, x: AutoLogExtras, now = new Date()): string[] {
  const head = `[${logTimestamp(now)}] root INFO:`;
  const section = (title: string, left: number, right: number) =>
    `${head} ${'-'.repeat(left)} ${title} ${'-'.repeat(right)}`;
  const kv = (text: string) => `${head}  ${text}`;
  const gpu = r.provider === 'cuda';
  return [
    section('Env info', 22, 22),
    kv(`OS_version: ${x.osVersion ?? `${os.type()} ${os.release()}`}`),
    kv('CUDA_version: None'),
    kv('CUDNN_version: None'),
    kv('drivier_version: None'),
    section('runtime info', 22, 22),
    kv(`paddle_version: ${r.runtime}`),
    kv('paddle_commit: None'),
    kv('log_api_version: 1.0'),
    section('Conf info', 23, 23),
    kv(`runtime_device: ${gpu ? 'gpu' : 'cpu'}`),
    kv(`ir_optim: ${x.irOptim ? 'True' : 'False'}`),
    kv('enable_memory_optim: True'),
    kv(`enable_tensorrt: ${x.enableTensorrt ? 'True' : 'False'}`),
    kv(`enable_mkldnn: ${x.enableMkldnn ? 'True' : 'False'}`),
    kv(`cpu_math_library_num_threads: ${r.cpu_threads ?? 'None'}`),
    section('Model info', 23, 22),
    kv(`model_name: ${r.model_name}`),
    kv(`precision: ${r.precision}`),
    section('Data info', 23, 23),
    kv(`batch_size: ${r.batch_size}`),
    kv('input_shape: dynamic'),
    kv(`data_num: ${r.data_num}`),
    section('Perf info', 23, 23),
    kv(`cpu_rss(MB): ${r.rss_mb} (peak), gpu_rss(MB): None, gpu_util: None%`),
    kv(`total time spent(s): ${r.total_s}`),
    kv(
      `preprocess_time(ms): ${r.preprocess_ms.mean}, inference_time(ms): ${r.inference_ms.mean}, postprocess_time(ms): ${r.postprocess_ms.mean}`,
    ),
  ];
}

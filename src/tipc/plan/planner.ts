// Expands a params file and a mode into the exact, ordered list of commands PaddleVideo's
// test_tipc/test_train_inference_python.sh runs (HEAD blob 2b92332e; `legacy` = blob 3c25c23d, which
// unsets CUDA_VISIBLE_DEVICES before every training command and reads line 21 as the to_static trainer).
// Strings are composed the way the bash driver composes them, so runs of spaces left by omitted
// parameters are kept; argv is what `eval` would pass after quote removal.
import { CodedError } from '../../util/errors.js';
import { at, slot, type ParamsFile } from '../params/index.js';
import type { SlotName } from '../params/index.js';
import { shellSplit, ShellSyntaxError } from '../params/index.js';

export const MODES = [
  'lite_train_lite_infer',
  'lite_train_whole_infer',
  'whole_infer',
  'whole_train_whole_infer',
  'benchmark_train',
] as const;
export type Mode = (typeof MODES)[number];

export type StepKind = 'train' | 'eval' | 'export' | 'infer';
export type Driver = 'head' | 'legacy';

export interface InferCell {
  device: 'cpu' | 'gpu';
  useGpu: string;
  mkldnn?: string;
  threads?: string;
  trt?: string;
  batchSize: string;
  precision: string;
}

export interface PlannedStep {
  /** 0-based position in the plan. */
  id: number;
  kind: StepKind;
  argv: string[];
  /** The command string exactly as the driver writes it in the results line. */
  command: string;
  /** The log path of the results line. */
  log: string;
  /** Where stdout+stderr go (train: train.log, appended to `log` afterwards). */
  stdout: string;
  env: { CUDA_VISIBLE_DEVICES?: string; Count?: string };
  /** Ids of the steps this one needs (a failed dependency skips it). */
  dependsOn: number[];
  /** train/eval/export: the trainer's save dir; infer: the model dir. */
  dir: string;
  cell?: InferCell;
}

export interface PlanOptions {
  gpuId?: string;
  driver?: Driver;
  /** CUDA_VISIBLE_DEVICES of the driver's own environment (the reference runs had none). */
  initialCuda?: string;
}

export interface Plan {
  modelName: string;
  mode: Mode;
  logPath: string;
  steps: PlannedStep[];
  /** Things the driver prints instead of running (e.g. unsupported hardware). */
  notes: string[];
  /** Keys and values of the params lines the runner's own extra steps are derived from. */
  slots: PlanSlots;
}

/** Params-file keys/values (lines 3, 25, 28, 29, 46–51) that the runner's extra steps reuse. */
export interface PlanSlots {
  python: string;
  /** `-w` (line 25): eval's weights flag. */
  evalWeightsKey: string;
  /** `-p` (line 29): export's weights flag. */
  exportWeightsKey: string;
  /** `-o` (line 28): export's output-dir flag. */
  exportOutKey: string;
  modelFileKey: string;
  modelFileValue: string;
  paramsFileKey: string;
  paramsFileValue: string;
  inputFileKey: string;
  inputFileValue: string;
  benchmarkKey: string;
  precisionKey: string;
}

/** func_set_params: a single space when the key or value is omitted, else `key=value`. */
export function setParams(key: string, value: string): string {
  if (key === 'null') return ' ';
  if (value === 'null' || value === ' ' || value.length === 0) return ' ';
  return `${key}=${value}`;
}

/** Unquoted `${list}` with IFS='|': fields split on `|`; a trailing delimiter adds no field. */
export function ifsSplit(s: string, sep = '|'): string[] {
  if (s === '') return [];
  const parts = s.split(sep);
  if (parts[parts.length - 1] === '') parts.pop();
  return parts;
}

/** `[ a = b ]` with unquoted operands: an empty operand makes `test` fail, i.e. false. */
function testEq(a: string, b: string): boolean {
  return a !== '' && b !== '' && a === b;
}

/** POSIX dirname. */
export function dirname(p: string): string {
  if (p === '') return '.';
  let s = p.replace(/\/+$/, '');
  if (s === '') return '/';
  const i = s.lastIndexOf('/');
  if (i < 0) return '.';
  s = s.slice(0, i).replace(/\/+$/, '');
  return s === '' ? '/' : s;
}

export function isMode(m: string): m is Mode {
  return (MODES as readonly string[]).includes(m);
}

function split(command: string, where: string): { argv: string[] } {
  try {
    // `eval $cmd` runs with IFS='|', so a `|` in the text only separates words.
    return { argv: shellSplit(command.replaceAll('|', ' ')).argv };
  } catch (e) {
    if (e instanceof ShellSyntaxError)
      throw new CodedError('E_PARAMS_SHELL', `${where}: cannot split the command: ${e.message}\n  ${command}`);
    throw e;
  }
}

/** The trainer's train and export lines (lines 15–21 chosen by the trainer key), as the driver's if-chain picks them. */
interface TrainerChoice {
  runTrain: string;
  runExport: string;
  flagQuant: string;
  cmdLine: SlotName;
}

/** The driver's run over one params file: its slots, the commands so far and its shell state. */
class Planner {
  readonly steps: PlannedStep[] = [];
  readonly notes: string[] = [];
  /** CUDA_VISIBLE_DEVICES and `Count` as the driver's shell has them when a command is composed. */
  private cuda: string | undefined;
  private count = 0;
  readonly legacy: boolean;
  readonly modelName: string;
  readonly python: string;
  readonly logPath: string;

  constructor(
    readonly p: ParamsFile,
    readonly mode: Mode,
    readonly opts: PlanOptions,
  ) {
    this.legacy = opts.driver === 'legacy';
    this.cuda = opts.initialCuda;
    this.modelName = this.v('model_name');
    this.python = this.v('python');
    if (!this.modelName) throw new CodedError('E_PARAMS_INVALID', `${this.where('model_name')}: model_name is empty`);
    if (!this.python)
      throw new CodedError('E_PARAMS_INVALID', `${this.where('python')}: python (the interpreter) is empty`);
    this.logPath = `./test_tipc/output/${this.modelName}/${mode}`;
  }

  /** A slot's value / key, and `file:line` for messages. */
  v(name: SlotName): string {
    return slot(this.p, name).value;
  }
  k(name: SlotName): string {
    return slot(this.p, name).key;
  }
  where(name: SlotName): string {
    return `${this.p.path}:${slot(this.p, name).fileLine}`;
  }
  /** func_set_params of a slot's own key and `value` (default: its own value). */
  set(name: SlotName, value = this.v(name)): string {
    return setParams(this.k(name), value);
  }

  result(): Plan {
    return {
      modelName: this.modelName,
      mode: this.mode,
      logPath: this.logPath,
      steps: this.steps,
      notes: this.notes,
      slots: this.slots(),
    };
  }

  slots(): PlanSlots {
    return {
      python: this.python,
      evalWeightsKey: this.k('eval_weights'),
      exportWeightsKey: this.k('export_weights'),
      exportOutKey: this.k('export_output'),
      modelFileKey: this.k('model_file'),
      modelFileValue: this.v('model_file'),
      paramsFileKey: this.k('params_file'),
      paramsFileValue: this.v('params_file'),
      inputFileKey: this.k('input_file'),
      inputFileValue: this.v('input_file'),
      benchmarkKey: this.k('enable_benchmark'),
      precisionKey: this.k('precision'),
    };
  }

  add(s: Omit<PlannedStep, 'id' | 'argv' | 'env'>, where: string): PlannedStep {
    const env: PlannedStep['env'] = {};
    if (this.cuda !== undefined) env.CUDA_VISIBLE_DEVICES = this.cuda;
    env.Count = String(this.count);
    const step: PlannedStep = { id: this.steps.length, ...s, argv: split(s.command, where).argv, env };
    this.steps.push(step);
    return step;
  }

  /** func_inference: the CPU and GPU cells of every use_gpu value for the model in `modelDir`. */
  inference(modelDir: string, flagQuant: string, gpu: string, deps: number[]): void {
    for (const useGpu of ifsSplit(this.v('use_gpu'))) {
      if (useGpu === 'False' || useGpu === 'cpu') this.cpuCells(modelDir, flagQuant, gpu, useGpu, deps);
      else if (useGpu === 'True' || useGpu === 'gpu') this.gpuCells(modelDir, flagQuant, gpu, useGpu, deps);
      else
        this.notes.push(
          `${this.where('use_gpu')}: --use_gpu value "${useGpu}": Does not support hardware other than CPU and GPU Currently!`,
        );
    }
  }

  /** The common tail of an inference command: model, batch, input, benchmark (and params file). */
  private inferArgs(modelDir: string, bs: string): string {
    return `${this.set('model_file', `${modelDir}/${this.v('model_file')}`)} ${this.set('batch_size', bs)} ${this.set('input_file')} ${this.set('enable_benchmark')}`;
  }

  private cpuCells(modelDir: string, flagQuant: string, gpu: string, useGpu: string, deps: number[]): void {
    const [python, infer, params] = [
      this.python,
      this.v('inference'),
      this.set('params_file', `${modelDir}/${this.v('params_file')}`),
    ];
    for (const mkldnn of ifsSplit(this.v('enable_mkldnn'))) {
      if (mkldnn === 'False' && flagQuant === 'True') continue;
      for (const threads of ifsSplit(this.v('cpu_threads')))
        for (const bs of ifsSplit(this.v('batch_size')))
          for (const precision of ifsSplit(this.v('precision'))) {
            if (mkldnn === 'False' && precision === 'fp16') continue;
            if (flagQuant === 'True' && precision !== 'int8') continue;
            const log = `${this.logPath}/python_infer_cpu_gpus_${gpu}_usemkldnn_${mkldnn}_threads_${threads}_precision_${precision}_batchsize_${bs}.log`;
            const command = `${python} ${infer} ${this.k('use_gpu')}=${useGpu} ${this.k('enable_mkldnn')}=${mkldnn} ${this.set('cpu_threads', threads)} ${this.inferArgs(modelDir, bs)} ${this.set('precision', precision)} ${params} > ${log} 2>&1 `;
            const cell: InferCell = { device: 'cpu', useGpu, mkldnn, threads, batchSize: bs, precision };
            this.add(
              { kind: 'infer', command, log, stdout: log, dependsOn: deps, dir: modelDir, cell },
              this.where('inference'),
            );
          }
    }
  }

  private gpuCells(modelDir: string, flagQuant: string, gpu: string, useGpu: string, deps: number[]): void {
    const [python, infer, params] = [
      this.python,
      this.v('inference'),
      this.set('params_file', `${modelDir}/${this.v('params_file')}`),
    ];
    for (const trt of ifsSplit(this.v('use_tensorrt')))
      for (const precision of ifsSplit(this.v('precision'))) {
        if (flagQuant === 'False' && precision.includes('int8')) continue;
        if ((precision.includes('fp16') || precision.includes('int8')) && trt === 'False') continue;
        if ((trt === 'False' || precision.includes('int8')) && flagQuant === 'True') continue;
        for (const bs of ifsSplit(this.v('batch_size'))) {
          const log = `${this.logPath}/python_infer_gpu_gpus_${gpu}_usetrt_${trt}_precision_${precision}_batchsize_${bs}.log`;
          const command = `${python} ${infer} ${this.k('use_gpu')}=${useGpu} ${this.set('use_tensorrt', trt)} ${this.set('precision', precision)} ${this.inferArgs(modelDir, bs)} ${params} > ${log} 2>&1 `;
          const cell: InferCell = { device: 'gpu', useGpu, trt, batchSize: bs, precision };
          this.add(
            { kind: 'infer', command, log, stdout: log, dependsOn: deps, dir: modelDir, cell },
            this.where('inference'),
          );
        }
      }
  }

  /** whole_infer: each listed model, exported first where its export line is set, then inferred. */
  wholeInfer(): Plan {
    if (this.opts.gpuId !== undefined && this.opts.gpuId.length > 0) this.cuda = this.opts.gpuId;
    this.count = 0;
    const exports = ifsSplit(this.v('infer_export'));
    const quant = ifsSplit(this.v('infer_quant'));
    for (const inferModel of ifsSplit(this.v('infer_model'))) {
      const exp = exports[this.count] ?? '';
      let dir = inferModel;
      let deps: number[] = [];
      if (exp !== '' && exp !== 'null') {
        dir = dirname(inferModel);
        const log = `${this.logPath}_export_${this.count}.log`;
        const command = `${this.python} ${exp} ${this.set('export_weights', inferModel)} ${this.set('export_output', dir)} > ${log} 2>&1 `;
        deps = [
          this.add({ kind: 'export', command, log, stdout: log, dependsOn: [], dir }, this.where('infer_export')).id,
        ];
      }
      this.inference(dir, quant[this.count] ?? '', '', deps);
      this.count++;
    }
    return this.result();
  }

  /** The to_static trainer's key and value: the line after its header (`grep -n -w`), or line 21 (legacy). */
  private toStatic(): { key: string; value: string } {
    let idx = 0;
    if (this.legacy) idx = 20;
    else {
      // A 1-based file line used as a 0-based index: right only without blank lines; no header → index 0.
      const hit = this.p.rawLines.findIndex((t) =>
        /(^|[^A-Za-z0-9_])to_static_train_benchmark_params([^A-Za-z0-9_]|$)/.test(t),
      );
      if (hit >= 0) idx = hit + 1;
    }
    return at(this.p, idx);
  }

  /** The driver's if-chain over the trainer keys. */
  private chooseTrainer(trainer: string): TrainerChoice {
    const pick = (train: SlotName, exp: SlotName, flagQuant = 'False'): TrainerChoice => ({
      runTrain: this.v(train),
      runExport: this.v(exp),
      flagQuant,
      cmdLine: train,
    });
    if (testEq(trainer, this.k('pact_train'))) return pick('pact_train', 'quant_export', 'True');
    if (testEq(trainer, this.k('fpgm_train'))) return pick('fpgm_train', 'fpgm_export');
    if (testEq(trainer, this.k('distill_train'))) return pick('distill_train', 'distill_export');
    if (testEq(trainer, this.k('amp_train'))) return pick('amp_train', 'norm_export');
    if (testEq(trainer, this.legacy ? '' : this.k('trainer2'))) return pick('trainer2', 'export2');
    const ts = this.toStatic();
    if (testEq(trainer, ts.key))
      return { ...pick('norm_train', 'norm_export'), runTrain: `${this.v('norm_train')}  ${ts.value}` };
    return pick('norm_train', 'norm_export');
  }

  /** The lists the train modes loop over; an empty one is an error (nothing would run). */
  private trainLists(): { gpus: string[]; autocasts: string[]; trainers: string[] } {
    const gpus = ifsSplit(this.v('gpu_list'));
    const autocasts = ifsSplit(this.v('auto_cast'));
    const trainers = ifsSplit(this.v('trainer'));
    if (gpus.length === 0)
      throw new CodedError('E_PARAMS_INVALID', `${this.where('gpu_list')}: gpu_list is empty: nothing would run`);
    if (autocasts.length === 0)
      throw new CodedError(
        'E_PARAMS_INVALID',
        `${this.where('auto_cast')}: the auto_cast list is empty: nothing would run (use \`null\`)`,
      );
    if (trainers.length === 0)
      throw new CodedError(
        'E_PARAMS_INVALID',
        `${this.where('trainer')}: the trainer list is empty: nothing would run`,
      );
    return { gpus, autocasts, trainers };
  }

  /** Train modes: for each GPU setting × autocast × trainer, train → eval → export → inference. */
  trainChains(): Plan {
    const modelRule = this.v('train_model_name');
    if (modelRule !== 'null' && modelRule !== '')
      this.notes.push(
        `${this.where('train_model_name')}: train_model_name=${modelRule}: eval and export use <save_dir>/${modelRule} (PaddleOCR's rule; PaddleVideo's driver ignores this line and uses <model>_epoch_00001.pdparams)`,
      );
    const { gpus, autocasts, trainers } = this.trainLists();
    const useGpuKeys = ifsSplit(this.v('train_use_gpu'));
    this.count = 0;
    for (const gpu0 of gpus) {
      const trainUseGpu = useGpuKeys[this.count] ?? '';
      this.count++;
      const g = gpuSetting(gpu0);
      if (g.cuda !== undefined) this.cuda = g.cuda;
      for (const autocast of autocasts)
        for (const trainer of trainers) this.trainChain({ ...g, trainUseGpu, autocast, trainer });
    }
    return this.result();
  }

  /** One trainer's train command and its eval, export and inference. */
  private trainChain(c: GpuSetting & { trainUseGpu: string; autocast: string; trainer: string }): void {
    const t = this.chooseTrainer(c.trainer);
    if (t.runTrain === 'null') return;
    if (t.runTrain.trim() === '')
      throw new CodedError(
        'E_PARAMS_INVALID',
        `${this.where(t.cmdLine)}: trainer "${c.trainer}" selects an empty train command`,
      );
    const whole = this.mode.includes('whole_train');
    const runTrain = t.runTrain + (this.mode !== 'benchmark_train' && !whole ? ' --max_iters=30' : '');
    const nodes = c.ips.length <= 15 ? 1 : ifsSplit(c.ips, ',').length;
    const tag = `${c.trainer}_gpus_${c.gpu}_autocast_${c.autocast}_nodes_${nodes}`;
    const saveLog = `${this.logPath}/${tag}`;
    const setUseGpu = this.set('train_use_gpu', c.trainUseGpu);
    const trainLog = `${this.logPath}/train.log`;
    const cmd = `${this.trainPrefix(c)} ${runTrain} ${c.autocast === 'fp16' ? "--amp --amp_level 'O2'" : ' '} ${setUseGpu}${c.gpu.length <= 2 ? ' ' : ''} ${this.trainParams(c, nodes, whole, saveLog)} > ${trainLog} 2>&1`;
    if (this.legacy) this.cuda = undefined;
    const train = this.add(
      { kind: 'train', command: cmd, log: `${saveLog}.log`, stdout: trainLog, dependsOn: [], dir: saveLog },
      this.where(t.cmdLine),
    );
    const ckpt = this.checkpoint(saveLog);
    const evalPy = this.v('eval');
    if (evalPy !== 'null' && evalPy !== '') {
      const log = `${this.logPath}/${tag}_eval.log`;
      const [k1, v1] = whole ? ['', ''] : [this.k('train_param1'), this.v('train_param1')];
      const extra = this.mode.includes('lite_infer') && k1 !== 'null' ? ` ${k1}=${v1}` : '';
      const command = `${this.python} ${evalPy} ${setUseGpu} ${this.set('eval_weights', ckpt)}${extra} > ${log} 2>&1 `;
      this.add({ kind: 'eval', command, log, stdout: log, dependsOn: [train.id], dir: saveLog }, this.where('eval'));
    }
    if (t.runExport === 'null' || t.runExport === '') return;
    const log = `${this.logPath}/${tag}_export.log`;
    const command = `${this.python} ${t.runExport} ${this.set('export_weights', ckpt)} ${this.set('export_output', saveLog)} > ${log} 2>&1 `;
    const exp = this.add(
      { kind: 'export', command, log, stdout: log, dependsOn: [train.id], dir: saveLog },
      this.where('norm_export'),
    );
    if (c.envCuda !== undefined) this.cuda = c.envCuda;
    this.inference(saveLog, t.flagQuant, c.gpu, [train.id, exp.id]);
    this.cuda = undefined;
  }

  /** The interpreter, or paddle.distributed.launch on several devices (and hosts). */
  private trainPrefix(c: GpuSetting): string {
    if (c.gpu.length <= 2) return this.python;
    const ips = c.ips.length <= 15 ? '' : ` --ips=${c.ips}`;
    return `${this.python} -B -m paddle.distributed.launch${ips} --devices="${c.gpu}"`;
  }

  /** Save dir, epochs, pretrain, batch and the two train params, in the driver's order per launch form. */
  private trainParams(c: GpuSetting & { trainer: string }, nodes: number, whole: boolean, saveLog: string): string {
    const setEpoch = whole ? '' : this.set('epochs');
    let setPretrain = this.set('pretrain');
    // The driver's "load the norm-trained model" test is malformed, so pact/fpgm get an empty pretrain.
    if ((testEq(c.trainer, this.k('pact_train')) || testEq(c.trainer, this.k('fpgm_train'))) && nodes <= 1)
      setPretrain = '';
    const kv = (name: SlotName) => (whole ? setParams('', '') : this.set(name));
    const rest = `${kv('train_batch_size')} ${kv('train_param1')} ${kv('train_param2')}`;
    const save = this.set('output_dir', saveLog);
    if (c.gpu.length > 2 && c.ips.length > 15) return `${save} ${setPretrain} ${setEpoch} ${rest}`;
    return `${save} ${setEpoch} ${setPretrain} ${rest}`;
  }

  /**
   * Line 11 `train_model_name`: PaddleVideo's driver ignores it (every PaddleVideo config has `null`)
   * and hands eval/export the epoch-1 checkpoint; a value names the checkpoint to use instead, as
   * PaddleOCR's driver does (`${save_log}/${train_model_name}`).
   */
  private checkpoint(saveLog: string): string {
    const rule = this.v('train_model_name');
    if (rule !== 'null' && rule !== '') return `${saveLog}/${rule}`;
    return `${saveLog}/${this.modelName.replace('PP-', 'pp')}_epoch_00001.pdparams`;
  }
}

/** What one gpu_list entry means: devices, hosts, and the CUDA_VISIBLE_DEVICES the driver sets. */
interface GpuSetting {
  gpu: string;
  ips: string;
  /** Set before training (a single device). */
  cuda?: string;
  /** What `eval $env` sets before inference. */
  envCuda?: string;
}

function gpuSetting(gpu: string): GpuSetting {
  if (gpu === '-1') return { gpu, ips: '' };
  if (gpu.length <= 1) return { gpu, ips: '', cuda: gpu, envCuda: gpu };
  if (gpu.length <= 15) return { gpu, ips: '', envCuda: gpu.split(',')[0] };
  const parts = ifsSplit(gpu, ';');
  return { gpu: parts[1] ?? '', ips: parts[0] ?? '' };
}

/** The commands the driver runs for `p` in `mode`, in its order. */
export function plan(p: ParamsFile, mode: string, opts: PlanOptions = {}): Plan {
  if (mode === 'klquant_whole_infer')
    throw new CodedError('E_MODE', 'mode klquant_whole_infer (quantised inference) is not applicable to this project');
  if (!isMode(mode)) throw new CodedError('E_MODE', `unknown mode "${mode}"; expected one of ${MODES.join(', ')}`);
  if (p.lines.length < 51)
    throw new CodedError(
      'E_PARAMS_INVALID',
      `${p.path}: only ${p.lines.length} non-blank lines, the driver reads 51 (run \`ctrgcn tipc convert ${p.path} -\` to lint it)`,
    );
  const planner = new Planner(p, mode, opts);
  return mode === 'whole_infer' ? planner.wholeInfer() : planner.trainChains();
}

/** The `--json` view of a plan: one object per command. */
export function planJson(pl: Plan): object[] {
  return pl.steps.map((s) => ({
    kind: s.kind,
    argv: s.argv,
    command: s.command,
    log: s.log,
    stdout: s.stdout,
    env: s.env,
    ...(s.cell ? { cell: s.cell } : {}),
  }));
}

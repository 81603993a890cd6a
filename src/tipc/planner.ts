// Expands a params file and a mode into the exact, ordered list of commands PaddleVideo's
// test_tipc/test_train_inference_python.sh runs (HEAD blob 2b92332e; `legacy` = blob 3c25c23d, which
// unsets CUDA_VISIBLE_DEVICES before every training command and reads line 21 as the to_static trainer).
// Strings are composed the way the bash driver composes them, so runs of spaces left by omitted
// parameters are kept; argv is what `eval` would pass after quote removal.
import { CodedError } from '../util/errors.js';
import { at, slot, type ParamsFile } from './params-file.js';
import type { SlotName } from './params-slots.js';
import { shellSplit, ShellSyntaxError } from './shell-words.js';

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

export function plan(p: ParamsFile, mode: string, opts: PlanOptions = {}): Plan {
  if (mode === 'klquant_whole_infer')
    throw new CodedError('E_MODE', 'mode klquant_whole_infer (quantised inference) is not applicable to this project');
  if (!isMode(mode)) throw new CodedError('E_MODE', `unknown mode "${mode}"; expected one of ${MODES.join(', ')}`);
  if (p.lines.length < 51)
    throw new CodedError(
      'E_PARAMS_INVALID',
      `${p.path}: only ${p.lines.length} non-blank lines, the driver reads 51 (run \`ctrgcn tipc convert ${p.path} -\` to lint it)`,
    );
  const legacy = opts.driver === 'legacy';
  const L = (name: SlotName) => slot(p, name);
  const lineRef = (name: SlotName) => `${p.path}:${L(name).fileLine}`;

  const modelName = L('model_name').value;
  const python = L('python').value;
  if (!modelName) throw new CodedError('E_PARAMS_INVALID', `${lineRef('model_name')}: model_name is empty`);
  if (!python) throw new CodedError('E_PARAMS_INVALID', `${lineRef('python')}: python (the interpreter) is empty`);
  const gpuList = L('gpu_list').value;
  const trainUseGpuKey = L('train_use_gpu').key;
  const trainUseGpuValue = L('train_use_gpu').value;
  const autocastList = L('auto_cast').value;
  const epochKey = L('epochs').key;
  const epochNum = L('epochs').value;
  const saveModelKey = L('output_dir').key;
  let trainBatchKey = L('train_batch_size').key;
  let trainBatchValue = L('train_batch_size').value;
  const pretrainKey = L('pretrain').key;
  const pretrainValue = L('pretrain').value;
  let trainParamKey1 = L('train_param1').key;
  let trainParamValue1 = L('train_param1').value;
  let trainParamKey2 = L('train_param2').key;
  let trainParamValue2 = L('train_param2').value;
  const trainModelName =
    L('train_model_name').value === 'null' || L('train_model_name').value === '' ? '' : L('train_model_name').value;
  const trainerList = L('trainer').value;
  const normTrainer = L('norm_train').value;
  const pactKey = L('pact_train').key;
  const pactTrainer = L('pact_train').value;
  const fpgmKey = L('fpgm_train').key;
  const fpgmTrainer = L('fpgm_train').value;
  const distillKey = L('distill_train').key;
  const distillTrainer = L('distill_train').value;
  const ampKey = L('amp_train').key;
  const ampTrainer = L('amp_train').value;
  const trainerKey2 = legacy ? '' : L('trainer2').key;
  const trainerValue2 = L('trainer2').value;
  const evalPy = L('eval').value;
  const evalKey1 = L('eval_weights').key;
  const saveInferKey = L('export_output').key;
  const exportWeight = L('export_weights').key;
  const normExport = L('norm_export').value;
  const pactExport = L('quant_export').value;
  const fpgmExport = L('fpgm_export').value;
  const distillExport = L('distill_export').value;
  const exportValue2 = L('export2').value;
  const inferModelDirList = L('infer_model').value;
  const inferExportList = L('infer_export').value;
  const inferIsQuant = L('infer_quant').value;
  const inferencePy = L('inference').value;
  const useGpuKey = L('use_gpu').key;
  const useGpuList = L('use_gpu').value;
  const mkldnnKey = L('enable_mkldnn').key;
  const mkldnnList = L('enable_mkldnn').value;
  const threadsKey = L('cpu_threads').key;
  const threadsList = L('cpu_threads').value;
  const batchKey = L('batch_size').key;
  const batchList = L('batch_size').value;
  const trtKey = L('use_tensorrt').key;
  const trtList = L('use_tensorrt').value;
  const precisionKey = L('precision').key;
  const precisionList = L('precision').value;
  const inferModelKey = L('model_file').key;
  const inferModelValue = L('model_file').value;
  const videoDirKey = L('input_file').key;
  const inferVideoDir = L('input_file').value;
  const benchmarkKey = L('enable_benchmark').key;
  const benchmarkValue = L('enable_benchmark').value;
  const inferKey1 = L('params_file').key;
  const inferValue1 = L('params_file').value;

  // to_static: the line after the header found by `grep -n -w` (a 1-based file line used as a 0-based
  // index: right only without blank lines), or index 20 in the legacy driver; no header → index 0.
  let toStaticIdx = 0;
  if (legacy) toStaticIdx = 20;
  else {
    const hit = p.rawLines.findIndex((t) =>
      /(^|[^A-Za-z0-9_])to_static_train_benchmark_params([^A-Za-z0-9_]|$)/.test(t),
    );
    if (hit >= 0) toStaticIdx = hit + 1;
  }
  const toStaticKey = at(p, toStaticIdx).key;
  const toStaticTrainer = at(p, toStaticIdx).value;

  const LOG_PATH = `./test_tipc/output/${modelName}/${mode}`;
  const steps: PlannedStep[] = [];
  const notes: string[] = [];
  if (trainModelName && mode !== 'whole_infer')
    notes.push(
      `${lineRef('train_model_name')}: train_model_name=${trainModelName}: eval and export use <save_dir>/${trainModelName} (PaddleOCR's rule; PaddleVideo's driver ignores this line and uses <model>_epoch_00001.pdparams)`,
    );
  const slots: PlanSlots = {
    python,
    evalWeightsKey: evalKey1,
    exportWeightsKey: exportWeight,
    exportOutKey: saveInferKey,
    modelFileKey: inferModelKey,
    modelFileValue: inferModelValue,
    paramsFileKey: inferKey1,
    paramsFileValue: inferValue1,
    inputFileKey: videoDirKey,
    inputFileValue: inferVideoDir,
    benchmarkKey,
    precisionKey,
  };
  let cuda: string | undefined = opts.initialCuda;
  let count = 0;
  const envNow = (): PlannedStep['env'] => {
    const e: PlannedStep['env'] = {};
    if (cuda !== undefined) e.CUDA_VISIBLE_DEVICES = cuda;
    e.Count = String(count);
    return e;
  };
  const add = (s: Omit<PlannedStep, 'id' | 'argv' | 'env'>, where: string): PlannedStep => {
    const step: PlannedStep = { id: steps.length, ...s, argv: split(s.command, where).argv, env: envNow() };
    steps.push(step);
    return step;
  };

  const inference = (modelDir: string, flagQuant: string, gpu: string, deps: number[]) => {
    for (const useGpu of ifsSplit(useGpuList)) {
      if (useGpu === 'False' || useGpu === 'cpu') {
        for (const mkldnn of ifsSplit(mkldnnList)) {
          if (mkldnn === 'False' && flagQuant === 'True') continue;
          for (const threads of ifsSplit(threadsList))
            for (const bs of ifsSplit(batchList))
              for (const precision of ifsSplit(precisionList)) {
                if (mkldnn === 'False' && precision === 'fp16') continue;
                if (flagQuant === 'True' && precision !== 'int8') continue;
                const log = `${LOG_PATH}/python_infer_cpu_gpus_${gpu}_usemkldnn_${mkldnn}_threads_${threads}_precision_${precision}_batchsize_${bs}.log`;
                const command = `${python} ${inferencePy} ${useGpuKey}=${useGpu} ${mkldnnKey}=${mkldnn} ${setParams(threadsKey, threads)} ${setParams(inferModelKey, `${modelDir}/${inferModelValue}`)} ${setParams(batchKey, bs)} ${setParams(videoDirKey, inferVideoDir)} ${setParams(benchmarkKey, benchmarkValue)} ${setParams(precisionKey, precision)} ${setParams(inferKey1, `${modelDir}/${inferValue1}`)} > ${log} 2>&1 `;
                add(
                  {
                    kind: 'infer',
                    command,
                    log,
                    stdout: log,
                    dependsOn: deps,
                    dir: modelDir,
                    cell: { device: 'cpu', useGpu, mkldnn, threads, batchSize: bs, precision },
                  },
                  lineRef('inference'),
                );
              }
        }
      } else if (useGpu === 'True' || useGpu === 'gpu') {
        for (const trt of ifsSplit(trtList))
          for (const precision of ifsSplit(precisionList)) {
            if (flagQuant === 'False' && precision.includes('int8')) continue;
            if ((precision.includes('fp16') || precision.includes('int8')) && trt === 'False') continue;
            if ((trt === 'False' || precision.includes('int8')) && flagQuant === 'True') continue;
            for (const bs of ifsSplit(batchList)) {
              const log = `${LOG_PATH}/python_infer_gpu_gpus_${gpu}_usetrt_${trt}_precision_${precision}_batchsize_${bs}.log`;
              const command = `${python} ${inferencePy} ${useGpuKey}=${useGpu} ${setParams(trtKey, trt)} ${setParams(precisionKey, precision)} ${setParams(inferModelKey, `${modelDir}/${inferModelValue}`)} ${setParams(batchKey, bs)} ${setParams(videoDirKey, inferVideoDir)} ${setParams(benchmarkKey, benchmarkValue)} ${setParams(inferKey1, `${modelDir}/${inferValue1}`)} > ${log} 2>&1 `;
              add(
                {
                  kind: 'infer',
                  command,
                  log,
                  stdout: log,
                  dependsOn: deps,
                  dir: modelDir,
                  cell: { device: 'gpu', useGpu, trt, batchSize: bs, precision },
                },
                lineRef('inference'),
              );
            }
          }
      } else {
        notes.push(
          `${lineRef('use_gpu')}: --use_gpu value "${useGpu}": Does not support hardware other than CPU and GPU Currently!`,
        );
      }
    }
  };

  if (mode === 'whole_infer') {
    if (opts.gpuId !== undefined && opts.gpuId.length > 0) cuda = opts.gpuId;
    count = 0;
    const exports = ifsSplit(inferExportList);
    const quant = ifsSplit(inferIsQuant);
    for (const inferModel of ifsSplit(inferModelDirList)) {
      const exp = exports[count] ?? '';
      let saveInferDir: string;
      let deps: number[] = [];
      if (exp !== '' && exp !== 'null') {
        saveInferDir = dirname(inferModel);
        const log = `${LOG_PATH}_export_${count}.log`;
        const command = `${python} ${exp} ${setParams(exportWeight, inferModel)} ${setParams(saveInferKey, saveInferDir)} > ${log} 2>&1 `;
        deps = [
          add({ kind: 'export', command, log, stdout: log, dependsOn: [], dir: saveInferDir }, lineRef('infer_export'))
            .id,
        ];
      } else saveInferDir = inferModel;
      inference(saveInferDir, quant[count] ?? '', '', deps);
      count++;
    }
    return { modelName, mode, logPath: LOG_PATH, steps, notes, slots };
  }

  const whole = mode.includes('whole_train');
  const useGpuKeys = ifsSplit(trainUseGpuValue);
  const autocasts = ifsSplit(autocastList);
  const trainers = ifsSplit(trainerList);
  if (ifsSplit(gpuList).length === 0)
    throw new CodedError('E_PARAMS_INVALID', `${lineRef('gpu_list')}: gpu_list is empty: nothing would run`);
  if (autocasts.length === 0)
    throw new CodedError(
      'E_PARAMS_INVALID',
      `${lineRef('auto_cast')}: the auto_cast list is empty: nothing would run (use \`null\`)`,
    );
  if (trainers.length === 0)
    throw new CodedError('E_PARAMS_INVALID', `${lineRef('trainer')}: the trainer list is empty: nothing would run`);
  count = 0;
  for (const gpu0 of ifsSplit(gpuList)) {
    let gpu = gpu0;
    const trainUseGpu = useGpuKeys[count] ?? '';
    count++;
    let ips = '';
    let envCuda: string | undefined; // what `eval $env` sets before inference
    if (gpu === '-1') envCuda = undefined;
    else if (gpu.length <= 1) {
      envCuda = gpu;
      cuda = gpu;
    } else if (gpu.length <= 15) envCuda = gpu.split(',')[0];
    else {
      const parts = ifsSplit(gpu, ';');
      ips = parts[0] ?? '';
      gpu = parts[1] ?? '';
      envCuda = undefined;
    }
    for (const autocast of autocasts) {
      const ampConfig = autocast === 'fp16' ? "--amp --amp_level 'O2'" : ' ';
      for (const trainer of trainers) {
        let flagQuant = 'False';
        let runTrain: string;
        let runExport: string;
        let cmdLine: SlotName = 'norm_train';
        if (testEq(trainer, pactKey)) {
          [runTrain, runExport, flagQuant, cmdLine] = [pactTrainer, pactExport, 'True', 'pact_train'];
        } else if (testEq(trainer, fpgmKey)) [runTrain, runExport, cmdLine] = [fpgmTrainer, fpgmExport, 'fpgm_train'];
        else if (testEq(trainer, distillKey))
          [runTrain, runExport, cmdLine] = [distillTrainer, distillExport, 'distill_train'];
        else if (testEq(trainer, ampKey)) [runTrain, runExport, cmdLine] = [ampTrainer, normExport, 'amp_train'];
        else if (testEq(trainer, trainerKey2))
          [runTrain, runExport, cmdLine] = [trainerValue2, exportValue2, 'trainer2'];
        else if (testEq(trainer, toStaticKey))
          [runTrain, runExport] = [`${normTrainer}  ${toStaticTrainer}`, normExport];
        else [runTrain, runExport] = [normTrainer, normExport];
        if (runTrain === 'null') continue;
        if (runTrain.trim() === '')
          throw new CodedError(
            'E_PARAMS_INVALID',
            `${lineRef(cmdLine)}: trainer "${trainer}" selects an empty train command`,
          );
        if (mode !== 'benchmark_train' && !whole) runTrain += ' --max_iters=30';
        const setEpoch = whole ? '' : setParams(epochKey, epochNum);
        let setPretrain = setParams(pretrainKey, pretrainValue);
        if (whole) {
          trainBatchKey = trainBatchValue = '';
          trainParamKey1 = trainParamValue1 = '';
          trainParamKey2 = trainParamValue2 = '';
        }
        const setBatch = setParams(trainBatchKey, trainBatchValue);
        const setP1 = setParams(trainParamKey1, trainParamValue1);
        const setP2 = setParams(trainParamKey2, trainParamValue2);
        const setUseGpu = setParams(trainUseGpuKey, trainUseGpu);
        const nodes = ips.length <= 15 ? 1 : ifsSplit(ips, ',').length;
        const tag = `${trainer}_gpus_${gpu}_autocast_${autocast}_nodes_${nodes}`;
        const saveLog = `${LOG_PATH}/${tag}`;
        // The driver's "load the norm-trained model" test is malformed, so pact/fpgm get an empty pretrain.
        if ((testEq(trainer, pactKey) || testEq(trainer, fpgmKey)) && nodes <= 1) setPretrain = '';
        const setSaveModel = setParams(saveModelKey, saveLog);
        const trainLog = `${LOG_PATH}/train.log`;
        let cmd: string;
        if (gpu.length <= 2)
          cmd = `${python} ${runTrain} ${ampConfig} ${setUseGpu}  ${setSaveModel} ${setEpoch} ${setPretrain} ${setBatch} ${setP1} ${setP2} > ${trainLog} 2>&1`;
        else if (ips.length <= 15)
          cmd = `${python} -B -m paddle.distributed.launch --devices="${gpu}" ${runTrain} ${ampConfig} ${setUseGpu} ${setSaveModel} ${setEpoch} ${setPretrain} ${setBatch} ${setP1} ${setP2} > ${trainLog} 2>&1`;
        else
          cmd = `${python} -B -m paddle.distributed.launch --ips=${ips} --devices="${gpu}" ${runTrain} ${ampConfig} ${setUseGpu} ${setSaveModel} ${setPretrain} ${setEpoch} ${setBatch} ${setP1} ${setP2} > ${trainLog} 2>&1`;
        if (legacy) cuda = undefined;
        const train = add(
          { kind: 'train', command: cmd, log: `${saveLog}.log`, stdout: trainLog, dependsOn: [], dir: saveLog },
          lineRef(cmdLine),
        );
        const realModelName = modelName.replace('PP-', 'pp');
        // Line 11 `train_model_name`: PaddleVideo's driver ignores it (every PaddleVideo config has
        // `null`) and hands eval/export the epoch-1 checkpoint; a value names the checkpoint to use
        // instead, as PaddleOCR's driver does (`${save_log}/${train_model_name}`).
        const ckpt = trainModelName
          ? `${saveLog}/${trainModelName}`
          : `${saveLog}/${realModelName}_epoch_00001.pdparams`;
        if (evalPy !== 'null' && evalPy !== '') {
          const log = `${LOG_PATH}/${tag}_eval.log`;
          const extra =
            mode.includes('lite_infer') && trainParamKey1 !== 'null' ? ` ${trainParamKey1}=${trainParamValue1}` : '';
          const command = `${python} ${evalPy} ${setUseGpu} ${setParams(evalKey1, ckpt)}${extra} > ${log} 2>&1 `;
          add({ kind: 'eval', command, log, stdout: log, dependsOn: [train.id], dir: saveLog }, lineRef('eval'));
        }
        if (runExport !== 'null' && runExport !== '') {
          const log = `${LOG_PATH}/${tag}_export.log`;
          const command = `${python} ${runExport} ${setParams(exportWeight, ckpt)} ${setParams(saveInferKey, saveLog)} > ${log} 2>&1 `;
          const exp = add(
            { kind: 'export', command, log, stdout: log, dependsOn: [train.id], dir: saveLog },
            lineRef('norm_export'),
          );
          if (envCuda !== undefined) cuda = envCuda;
          inference(saveLog, flagQuant, gpu, [train.id, exp.id]);
          cuda = undefined;
        }
      }
    }
  }
  return { modelName, mode, logPath: LOG_PATH, steps, notes, slots };
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

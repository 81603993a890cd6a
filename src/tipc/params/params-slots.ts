// The one table of a TIPC params file's 51 positional lines (the driver reads them by index after
// dropping blank lines): each slot's name in the typed form, and what the lint requires of it — a
// fixed key the driver relies on, a conventional key (a mismatch only warns), a `===…===` header or a
// `##` placeholder. The parser's lint, the typed form, the planner and prepare all read it.

export type SlotRule =
  | { kind: 'fixed'; key: string }
  | { kind: 'usual'; key: string }
  | { kind: 'header'; word: string }
  | { kind: 'separator' }
  | { kind: 'free' };

const fixed = (key: string): SlotRule => ({ kind: 'fixed', key });
const usual = (key: string): SlotRule => ({ kind: 'usual', key });
const header = (word: string): SlotRule => ({ kind: 'header', word });
const sep: SlotRule = { kind: 'separator' };
const free: SlotRule = { kind: 'free' };

/** Index = position after blank lines are dropped; the name is the typed form's key. */
export const SLOT_TABLE = [
  ['header_train', header('train_params')],
  ['model_name', fixed('model_name')],
  ['python', fixed('python')],
  ['gpu_list', fixed('gpu_list')],
  ['train_use_gpu', free],
  ['auto_cast', free],
  ['epochs', free],
  ['output_dir', free],
  ['train_batch_size', free],
  ['pretrain', free],
  ['train_model_name', fixed('train_model_name')],
  ['train_param2', free],
  ['train_param1', free],
  ['sep_train', sep],
  ['trainer', fixed('trainer')],
  ['norm_train', fixed('norm_train')],
  ['pact_train', usual('pact_train')],
  ['fpgm_train', usual('fpgm_train')],
  ['distill_train', usual('distill_train')],
  ['amp_train', free],
  ['trainer2', free],
  ['sep_trainers', sep],
  ['header_eval', header('eval_params')],
  ['eval', fixed('eval')],
  ['eval_weights', free],
  ['sep_eval', sep],
  ['header_infer', header('infer_params')],
  ['export_output', free],
  ['export_weights', free],
  ['norm_export', fixed('norm_export')],
  ['quant_export', usual('quant_export')],
  ['fpgm_export', usual('fpgm_export')],
  ['distill_export', usual('distill_export')],
  ['export1', usual('export1')],
  ['export2', usual('export2')],
  ['inference_dir', usual('inference_dir')],
  ['infer_model', fixed('infer_model')],
  ['infer_export', fixed('infer_export')],
  ['infer_quant', fixed('infer_quant')],
  ['inference', fixed('inference')],
  ['use_gpu', free],
  ['enable_mkldnn', free],
  ['cpu_threads', free],
  ['batch_size', free],
  ['use_tensorrt', free],
  ['precision', free],
  ['model_file', free],
  ['input_file', free],
  ['save_log', free],
  ['enable_benchmark', free],
  ['params_file', free],
] as const satisfies readonly (readonly [string, SlotRule])[];

export type SlotName = (typeof SLOT_TABLE)[number][0];

/** Slot names in positional order. */
export const SLOTS: readonly SlotName[] = SLOT_TABLE.map(([name]) => name);

/** Number of positional lines the driver reads (indices 0..50). */
export const POSITIONAL_LINES = SLOT_TABLE.length;

/** Slot name → 0-based positional index. */
export const SLOT_INDEX = Object.fromEntries(SLOTS.map((n, i) => [n, i])) as Record<SlotName, number>;

function byRule<K extends SlotRule['kind']>(kind: K): [number, Extract<SlotRule, { kind: K }>][] {
  return SLOT_TABLE.flatMap(([, rule], i) =>
    rule.kind === kind ? [[i, rule as Extract<SlotRule, { kind: K }>] as [number, Extract<SlotRule, { kind: K }>]] : [],
  );
}

/** Fixed keys the driver relies on: index → required key. */
export const FIXED_KEYS: Record<number, string> = Object.fromEntries(byRule('fixed').map(([i, r]) => [i, r.key]));
/** Conventional keys (configs vary here, the driver does not care): index → usual key. */
export const USUAL_KEYS: Record<number, string> = Object.fromEntries(byRule('usual').map(([i, r]) => [i, r.key]));
/** `===…<word>…===` section headers: index → word. */
export const HEADERS: Record<number, string> = Object.fromEntries(byRule('header').map(([i, r]) => [i, r.word]));
/** `##` placeholders. */
export const SEPARATORS: number[] = byRule('separator').map(([i]) => i);
/** Slots whose typed form is the raw line text (headers and placeholders). */
export const RAW_SLOTS: ReadonlySet<SlotName> = new Set(
  SLOT_TABLE.filter(([, r]) => r.kind === 'header' || r.kind === 'separator').map(([n]) => n),
);

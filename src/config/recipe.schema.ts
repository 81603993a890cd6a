// JSON schema of a training recipe (ajv 8, strict). Booleans must be real YAML booleans
// (training.md §12.2: upstream's `bone: Fasle` silently counted as true).

const num = { type: 'number' } as const;
const posInt = { type: 'integer', minimum: 1 } as const;
const nonNegInt = { type: 'integer', minimum: 0 } as const;
const bool = { type: 'boolean' } as const;
const str = { type: 'string', minLength: 1 } as const;
const blockList = {
  type: 'array',
  uniqueItems: true,
  items: { enum: ['l1', 'l2', 'l3', 'l4', 'l5', 'l6', 'l7', 'l8', 'l9', 'l10'] },
} as const;

const split = {
  type: 'object',
  additionalProperties: false,
  required: ['format', 'file_path', 'label_path'],
  properties: {
    format: { enum: ['SkeletonDataset'] },
    file_path: str,
    label_path: str,
    test_mode: bool,
  },
} as const;

const pipelineSplit = {
  type: 'object',
  additionalProperties: false,
  required: ['sample'],
  properties: {
    sample: {
      type: 'object',
      additionalProperties: false,
      required: ['window_size', 'p_interval'],
      properties: {
        name: { enum: ['SketeonCropSample', 'SkeletonCropSample'] },
        window_size: posInt,
        p_interval: {
          type: 'array',
          minItems: 1,
          maxItems: 2,
          items: { type: 'number', exclusiveMinimum: 0, maximum: 1 },
        },
      },
    },
    transform: {
      type: 'array',
      items: {
        type: 'object',
        minProperties: 1,
        maxProperties: 1,
        additionalProperties: false,
        properties: {
          RandomRotation: {
            type: ['object', 'null'],
            additionalProperties: false,
            properties: { argument: bool, theta: { type: 'number', minimum: 0 } },
          },
          SketeonModalityTransform: {
            type: 'object',
            additionalProperties: false,
            properties: { joint: bool, bone: bool, motion: bool, graph: { enum: ['ntu_rgb_d'] } },
          },
        },
      },
    },
  },
} as const;

export const CONFIG_SCHEMA = {
  $id: 'ctrgcn-train-config',
  type: 'object',
  additionalProperties: false,
  required: ['MODEL', 'DATASET', 'PIPELINE', 'OPTIMIZER', 'model_name', 'epochs'],
  properties: {
    Global: {
      type: 'object',
      additionalProperties: false,
      properties: { use_gpu: bool, auto_cast: { type: ['string', 'boolean', 'null'] } },
    },
    MODEL: {
      type: 'object',
      additionalProperties: false,
      required: ['backbone', 'head'],
      properties: {
        framework: { enum: ['RecognizerGCN'] },
        backbone: {
          type: 'object',
          additionalProperties: false,
          required: ['name'],
          properties: {
            // A registered backbone (src/model/registry.ts): checked against the registry, with the
            // known names, when the architecture is resolved.
            name: str,
            // Divisibility by the temporal branches is checked with the layout (last_branch: remainder allows any).
            base_channel: { type: 'integer', minimum: 8 },
            num_point: { const: 25 },
            num_person: { const: 2 },
            in_channels: { const: 3 },
            graph: { enum: ['ntu_rgb_d'] },
            graph_args: {
              type: 'object',
              additionalProperties: false,
              properties: { labeling_mode: { enum: ['spatial'] } },
            },
            adaptive: { const: true },
            remove_l9: bool,
            gcn_blocks: blockList,
            remove_blocks: blockList,
            ctrgc: { enum: ['separate', 'fused', 'fused_shared'] },
            temporal: { enum: ['separate', 'fused'] },
            conv_bias: bool,
            last_branch: { enum: ['equal', 'remainder'] },
            stride_gcn_width: { enum: ['output', 'input'] },
          },
        },
        head: {
          type: 'object',
          additionalProperties: false,
          required: ['name', 'num_classes'],
          properties: {
            name: { enum: ['CTRGCNHead'] },
            in_channels: posInt,
            num_classes: posInt,
            ls_eps: { type: 'number', minimum: 0, exclusiveMaximum: 1 },
            drop_out: { type: 'number', minimum: 0, maximum: 0 },
          },
        },
      },
    },
    DATASET: {
      type: 'object',
      additionalProperties: false,
      required: ['batch_size', 'train'],
      properties: {
        batch_size: posInt,
        test_batch_size: posInt,
        valid_batch_size: posInt,
        num_workers: nonNegInt,
        test_num_workers: nonNegInt,
        accum_steps: posInt,
        micro_batch_size: posInt,
        train: split,
        valid: split,
        test: split,
      },
    },
    PIPELINE: {
      type: 'object',
      additionalProperties: false,
      required: ['train'],
      properties: { train: pipelineSplit, valid: pipelineSplit, test: pipelineSplit },
    },
    OPTIMIZER: {
      type: 'object',
      additionalProperties: false,
      required: ['name', 'momentum', 'learning_rate'],
      properties: {
        name: { enum: ['Momentum'] },
        momentum: { type: 'number', minimum: 0, exclusiveMaximum: 1 },
        use_nesterov: bool,
        learning_rate: {
          type: 'object',
          required: ['name'],
          properties: { name: { enum: ['CustomWarmupAdjustDecay', 'CustomWarmupCosineDecay'] } },
          // Per-schedule keys are checked by the `if/then` pairs below.
          allOf: [
            {
              if: { properties: { name: { const: 'CustomWarmupAdjustDecay' } } },
              then: {
                additionalProperties: false,
                required: ['step_base_lr', 'warmup_epochs', 'lr_decay_rate', 'boundaries'],
                properties: {
                  name: true,
                  iter_step: bool,
                  num_iters: posInt,
                  step_base_lr: { type: 'number', exclusiveMinimum: 0 },
                  warmup_epochs: { type: 'number', exclusiveMinimum: 0 },
                  lr_decay_rate: { type: 'number', exclusiveMinimum: 0 },
                  boundaries: { type: 'array', items: num },
                },
              },
            },
            {
              if: { properties: { name: { const: 'CustomWarmupCosineDecay' } } },
              then: {
                additionalProperties: false,
                required: ['warmup_start_lr', 'warmup_epochs', 'cosine_base_lr', 'max_epoch'],
                properties: {
                  name: true,
                  iter_step: bool,
                  num_iters: posInt,
                  warmup_start_lr: { type: 'number', minimum: 0 },
                  warmup_epochs: { type: 'number', exclusiveMinimum: 0 },
                  cosine_base_lr: { type: 'number', exclusiveMinimum: 0 },
                  // `auto`: the run's last optimiser step (epochs × iterations actually run ÷ loader length).
                  max_epoch: { anyOf: [{ type: 'number', exclusiveMinimum: 0 }, { const: 'auto' }] },
                },
              },
            },
          ],
        },
        weight_decay: {
          type: 'object',
          additionalProperties: false,
          required: ['name', 'value'],
          properties: { name: { enum: ['L2'] }, value: { type: 'number', minimum: 0 } },
        },
      },
    },
    MIX: {
      type: 'object',
      additionalProperties: false,
      required: ['name', 'alpha'],
      properties: { name: { enum: ['Mixup'] }, alpha: { type: 'number', exclusiveMinimum: 0 } },
    },
    METRIC: {
      type: 'object',
      additionalProperties: false,
      properties: { name: { enum: ['SkeletonMetric'] }, out_file: str, top_k: posInt },
    },
    INFERENCE: {
      type: 'object',
      additionalProperties: false,
      properties: {
        name: { enum: ['CTRGCN_Inference_helper', 'STGCN_Inference_helper'] },
        num_channels: { const: 3 },
        window_size: posInt,
        vertex_nums: { const: 25 },
        person_nums: { const: 2 },
        p_interval: { type: 'array', items: num },
        top_k: posInt,
      },
    },
    model_name: str,
    log_interval: posInt,
    save_interval: posInt,
    epochs: posInt,
    output_dir: str,
    // An epoch number, or `auto`: the newest complete epoch checkpoint in output_dir.
    resume_epoch: {
      type: ['integer', 'string'],
      minimum: 0,
      pattern: '^auto$',
      description: 'an integer ≥ 0 or "auto"',
    },
    log_level: { enum: ['INFO', 'DEBUG'] },
    to_static: bool,
  },
} as const;

// A small ONNX graph builder over onnx-proto (protobufjs): initializers, nodes with typed
// attributes, graph inputs/outputs, serialisation. Knows nothing about CTR-GCN.
import onnxProto from 'onnx-proto';

const { onnx } = onnxProto;
export type OnnxModel = InstanceType<typeof onnx.ModelProto>;

export const OPSET = 13;
/** IR version 7 goes with opset 13 (ONNX 1.8). */
export const IR_VERSION = 7;

export const DType = {
  FLOAT: onnx.TensorProto.DataType.FLOAT,
  INT8: onnx.TensorProto.DataType.INT8,
  INT64: onnx.TensorProto.DataType.INT64,
  FLOAT16: onnx.TensorProto.DataType.FLOAT16,
} as const;

export type AttrValue = number | number[] | string | { float: number } | { floats: number[] };

type Dim = number | string;

function bytesOf(a: ArrayBufferView): Uint8Array {
  return new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
}

export class OnnxGraphBuilder {
  private readonly nodes: InstanceType<typeof onnx.NodeProto>[] = [];
  private readonly initializers: InstanceType<typeof onnx.TensorProto>[] = [];
  private readonly inputs: InstanceType<typeof onnx.ValueInfoProto>[] = [];
  private readonly outputs: InstanceType<typeof onnx.ValueInfoProto>[] = [];
  private readonly names = new Set<string>();
  private counter = 0;
  /** Number of scalar elements stored in initializers, by data type. */
  readonly storedElements = new Map<number, number>();

  constructor(readonly graphName: string) {}

  /** A fresh value name `<hint>_<k>`. */
  fresh(hint: string): string {
    let n: string;
    do n = `${hint}_${this.counter++}`;
    while (this.names.has(n));
    this.names.add(n);
    return n;
  }

  private claim(name: string): string {
    if (this.names.has(name)) throw new Error(`ONNX builder: name "${name}" used twice`);
    this.names.add(name);
    return name;
  }

  addInput(name: string, elemType: number, shape: Dim[]): string {
    this.inputs.push(valueInfo(this.claim(name), elemType, shape));
    return name;
  }

  /** Declares an existing value as a graph output. */
  addOutput(name: string, elemType: number, shape: Dim[]): void {
    this.outputs.push(valueInfo(name, elemType, shape));
  }

  /** Adds an initializer (raw little-endian data) and returns its name. */
  initializer(
    name: string,
    dataType: number,
    dims: number[],
    data: Float32Array | Int8Array | Uint16Array | BigInt64Array,
  ): string {
    const count = dims.reduce((a, b) => a * b, 1);
    if (count !== data.length)
      throw new Error(`initializer ${name}: dims [${dims}] need ${count} values, got ${data.length}`);
    this.initializers.push(onnx.TensorProto.create({ name: this.claim(name), dataType, dims, rawData: bytesOf(data) }));
    this.storedElements.set(dataType, (this.storedElements.get(dataType) ?? 0) + count);
    return name;
  }

  floatConst(name: string, dims: number[], data: Float32Array): string {
    return this.initializer(name, DType.FLOAT, dims, data);
  }

  int64Const(name: string, values: number[]): string {
    return this.initializer(name, DType.INT64, [values.length], BigInt64Array.from(values.map(BigInt)));
  }

  /** Adds a node; returns its output names (fresh ones derived from `hint` unless given). */
  node(
    opType: string,
    inputs: string[],
    attrs: Record<string, AttrValue> = {},
    nOut = 1,
    hint = opType.toLowerCase(),
    outputs?: string[],
  ): string[] {
    const outs = outputs ? outputs.map((o) => this.claim(o)) : Array.from({ length: nOut }, () => this.fresh(hint));
    this.nodes.push(
      onnx.NodeProto.create({
        opType,
        input: inputs,
        output: outs,
        name: `${hint}/${opType}_${this.nodes.length}`,
        attribute: Object.entries(attrs).map(([k, v]) => attribute(k, v)),
      }),
    );
    return outs;
  }

  /** Single-output shorthand of `node`. */
  op(opType: string, inputs: string[], attrs: Record<string, AttrValue> = {}, hint?: string): string {
    return this.node(opType, inputs, attrs, 1, hint)[0];
  }

  get nodeCount(): number {
    return this.nodes.length;
  }

  build(meta: {
    producer: string;
    producerVersion?: string;
    docString?: string;
    metadata?: Record<string, string>;
  }): OnnxModel {
    return onnx.ModelProto.create({
      irVersion: IR_VERSION,
      opsetImport: [{ domain: '', version: OPSET }],
      producerName: meta.producer,
      producerVersion: meta.producerVersion ?? '1',
      docString: meta.docString ?? '',
      metadataProps: Object.entries(meta.metadata ?? {}).map(([key, value]) => ({ key, value })),
      graph: onnx.GraphProto.create({
        name: this.graphName,
        node: this.nodes,
        initializer: this.initializers,
        input: this.inputs,
        output: this.outputs,
      }),
    });
  }
}

function valueInfo(name: string, elemType: number, shape: Dim[]) {
  return onnx.ValueInfoProto.create({
    name,
    type: {
      tensorType: {
        elemType,
        shape: { dim: shape.map((d) => (typeof d === 'number' ? { dimValue: d } : { dimParam: d })) },
      },
    },
  });
}

function attribute(name: string, v: AttrValue) {
  const T = onnx.AttributeProto.AttributeType;
  if (typeof v === 'number') {
    if (!Number.isInteger(v)) throw new Error(`attribute ${name}: use {float: x} for floats`);
    return onnx.AttributeProto.create({ name, type: T.INT, i: v });
  }
  if (typeof v === 'string')
    return onnx.AttributeProto.create({ name, type: T.STRING, s: new TextEncoder().encode(v) });
  if (Array.isArray(v)) return onnx.AttributeProto.create({ name, type: T.INTS, ints: v });
  if ('float' in v) return onnx.AttributeProto.create({ name, type: T.FLOAT, f: v.float });
  return onnx.AttributeProto.create({ name, type: T.FLOATS, floats: v.floats });
}

export function encodeModel(model: OnnxModel): Uint8Array {
  return onnx.ModelProto.encode(model).finish();
}

export function decodeModel(bytes: Uint8Array): OnnxModel {
  return onnx.ModelProto.decode(bytes);
}

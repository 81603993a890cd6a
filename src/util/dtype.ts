// Little-endian bytes of a NumPy dtype → a typed array over an aligned copy (data inside .npy
// headers and pickles sits at arbitrary offsets, so a view in place would be misaligned).
export type DtypeArray = Float32Array | Float64Array | BigInt64Array | Int32Array | Int8Array | Uint8Array | Buffer;

export function typedArrayFromBytes(dtype: string, bytes: Uint8Array): DtypeArray {
  const copy = new Uint8Array(bytes.length);
  copy.set(bytes);
  switch (dtype) {
    case '<f4':
      return new Float32Array(copy.buffer);
    case '<f8':
      return new Float64Array(copy.buffer);
    case '<i8':
      return new BigInt64Array(copy.buffer);
    case '<i4':
      return new Int32Array(copy.buffer);
    case '|i1':
      return new Int8Array(copy.buffer);
    case '|u1':
    case '|b1':
      return copy;
    default:
      return Buffer.from(copy.buffer); // |S<n> and other byte strings
  }
}

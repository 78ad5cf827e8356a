import type { Instance } from "../registry/instance.js";

type Join = (parts: readonly Uint8Array[]) => Uint8Array;

/**
 * An encoded answer cut around the two places that name the recommended instance, so one
 * template per service state and audience serves every recommendation round robin makes:
 * `head + first(rec) + middle + second(rec) + tail`, with each candidate's pieces encoded once.
 *
 * All parts live in one buffer of their own: at 100k instances there are tens of thousands of
 * templates, and a Uint8Array per part (or a slice of Buffer's shared pool, which keeps the whole
 * 8 KB pool slab alive) would cost several times the bytes of the answers themselves.
 */
export class SplicedAnswer {
  private readonly packed: PackedParts;

  /**
   * @param segments head, middle and tail: the answer's parts that do not depend on the recommendation
   * @param candidates every instance that may be recommended while this template lives
   * @param piecesOf the two recommendation-dependent parts for an instance
   * @param join assembles head, first piece, middle, second piece, tail into the answer
   */
  constructor(
    segments: readonly [Uint8Array, Uint8Array, Uint8Array],
    private readonly candidates: readonly Instance[],
    private readonly piecesOf: (recommended: Instance) => readonly [Uint8Array, Uint8Array],
    private readonly join: Join,
  ) {
    this.packed = new PackedParts([...segments, ...candidates.flatMap((instance) => piecesOf(instance))]);
  }

  /** The whole answer recommending `recommended`. */
  with(recommended: Instance): Uint8Array {
    const { packed } = this;
    const at = this.candidates.indexOf(recommended);
    if (at >= 0) {
      const first = 3 + 2 * at;
      return this.join([
        packed.part(0),
        packed.part(first),
        packed.part(1),
        packed.part(first + 1),
        packed.part(2),
      ]);
    }
    // Not a candidate the template was built for (the caller's key says it cannot happen): still right.
    const [first, second] = this.piecesOf(recommended);
    return this.join([packed.part(0), first, packed.part(1), second, packed.part(2)]);
  }
}

/** Byte strings laid end to end in one buffer that owns its memory. */
class PackedParts {
  private readonly bytes: Buffer;
  /** Where part i ends; it starts where part i - 1 ends. */
  private readonly ends: number[];

  constructor(parts: readonly Uint8Array[]) {
    this.ends = [];
    let length = 0;
    for (const part of parts) {
      length += part.byteLength;
      this.ends.push(length);
    }
    this.bytes = Buffer.allocUnsafeSlow(length);
    parts.forEach((part, i) => this.bytes.set(part, i === 0 ? 0 : this.ends[i - 1]));
  }

  part(index: number): Uint8Array {
    return this.bytes.subarray(index === 0 ? 0 : this.ends[index - 1], this.ends[index]);
  }
}

/** Concatenates protobuf binary encodings: fields encoded apart and laid end to end form one message. */
export function concatBytes(parts: readonly Uint8Array[]): Uint8Array {
  let length = 0;
  for (const part of parts) length += part.byteLength;
  const out = Buffer.allocUnsafe(length);
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.byteLength;
  }
  return out;
}

const openBrace = 0x7b;
const closeBrace = 0x7d;
const comma = 0x2c;

/**
 * Merges compact JSON objects (`{"a":1}`, `{}`, `{"b":2}` → `{"a":1,"b":2}`), byte for byte what
 * JSON.stringify gives for one object with the keys in that order.
 */
export function joinJsonObjectBytes(parts: readonly Uint8Array[]): Uint8Array {
  // Each part contributes its inside (without braces) and, when not empty, one separator.
  let length = 1;
  for (const part of parts) if (part.byteLength > 2) length += part.byteLength - 1;
  const out = Buffer.allocUnsafe(Math.max(length, 2));
  out[0] = openBrace;
  let offset = 1;
  for (const part of parts) {
    if (part.byteLength <= 2) continue;
    if (offset > 1) out[offset++] = comma;
    out.set(part.subarray(1, part.byteLength - 1), offset);
    offset += part.byteLength - 2;
  }
  out[offset] = closeBrace;
  return out;
}

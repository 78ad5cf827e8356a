import type { Instance } from "../registry/instance.js";

/**
 * An encoded answer cut around the two places that name the recommended instance, so one
 * template per service state and audience serves every recommendation round robin makes:
 * `head + first(rec) + middle + second(rec) + tail`. Pieces are encoded once per instance.
 */
export class SplicedAnswer<P> {
  private readonly pieces = new Map<string, readonly [P, P]>();

  /**
   * @param segments head, middle and tail: the answer's parts that do not depend on the recommendation
   * @param piecesOf the two recommendation-dependent parts for an instance
   * @param join assembles head, first piece, middle, second piece, tail into the answer
   */
  constructor(
    private readonly segments: readonly [P, P, P],
    private readonly piecesOf: (recommended: Instance) => readonly [P, P],
    private readonly join: (parts: readonly P[]) => P,
  ) {}

  /**
   * Encodes the pieces of every instance that may be recommended now, so a template is complete
   * after its first use: without it, a round robin over a large registry keeps building pieces
   * (and promoting them to the old generation) long after every service was asked for once.
   */
  prepare(candidates: readonly Instance[]): this {
    for (const instance of candidates) {
      if (!this.pieces.has(instance.id)) this.pieces.set(instance.id, this.piecesOf(instance));
    }
    return this;
  }

  /** The whole answer recommending `recommended`. */
  with(recommended: Instance): P {
    let pieces = this.pieces.get(recommended.id);
    if (pieces === undefined) {
      pieces = this.piecesOf(recommended);
      this.pieces.set(recommended.id, pieces);
    }
    const [head, middle, tail] = this.segments;
    return this.join([head, pieces[0], middle, pieces[1], tail]);
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

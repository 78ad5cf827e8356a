import type { Instance } from "../registry/instance.js";

/**
 * How one encoding lays out an answer cut around its two recommendation fields. Each part is
 * encoded on its own as a message (or object) with only its fields set.
 */
export interface SpliceFormat {
  /** The answer's constant bytes before, between and after the two recommendation fields. */
  frame(
    head: Uint8Array,
    middle: Uint8Array,
    tail: Uint8Array,
  ): readonly [Uint8Array, Uint8Array, Uint8Array];
  /** A recommendation field as it goes into the answer: its key (or tag and length), then its value. */
  field(piece: Uint8Array): { readonly bytes: Uint8Array; readonly valueStart: number };
}

/** Protobuf binary: fields encoded apart and laid end to end form one message. */
export const protobufBinary: SpliceFormat = {
  frame: (head, middle, tail) => [head, middle, tail],
  // A length-delimited field: tag, length, value (an absent field encodes to nothing).
  field: (piece) => ({
    bytes: piece,
    valueStart: piece.byteLength === 0 ? 0 : skipVarint(piece, skipVarint(piece, 0)),
  }),
};

const openBrace = Buffer.from("{");
const closeBrace = Buffer.from("}");
const comma = Buffer.from(",");
const colon = 0x3a;

/**
 * Compact JSON objects merged into one (`{"a":1}`, `{}`, `{"b":2}` → `{"a":1,"b":2}`), byte for
 * byte what JSON.stringify gives for one object with the keys in that order. The head must hold
 * a key (the service name does), so every later part joins with a comma.
 */
export const compactJsonObject: SpliceFormat = {
  frame(head, middle, tail) {
    const [h, m, t] = [inside(head), inside(middle), inside(tail)];
    if (h.byteLength === 0) throw new Error("a spliced JSON answer needs a key before the recommendation");
    return [
      Buffer.concat([openBrace, h]),
      m.byteLength === 0 ? m : Buffer.concat([comma, m]),
      Buffer.concat(t.byteLength === 0 ? [closeBrace] : [comma, t, closeBrace]),
    ];
  },
  field(piece) {
    const body = inside(piece);
    if (body.byteLength === 0) return { bytes: body, valueStart: 0 };
    // `,"key":value`; the keys are field names, which hold no colon.
    const bytes = Buffer.concat([comma, body]);
    return { bytes, valueStart: bytes.indexOf(colon) + 1 };
  },
};

/** Bytes per candidate in the range table: four ranges (key and value of each field), two uint32 each. */
const rangeRowBytes = 32;

/**
 * An encoded answer cut around the two fields that name the recommended instance, so one
 * template per service state and audience serves every recommendation round robin makes:
 * `A + first(rec) + B + second(rec) + C`, each candidate's fields encoded once.
 *
 * At 100k instances there are tens of thousands of templates, so a template is one buffer of its
 * own: the frame A B C, then the few bytes it does not already hold, then a table of where each
 * candidate's fields are. A recommended field's value (the endpoint URL, the endpoint message)
 * is also an element of a list in the frame, so the table points there rather than copying it:
 * a template costs about one answer, not one answer plus a copy of every endpoint.
 */
export class SplicedAnswer {
  private readonly bytes: Buffer;
  private readonly frameEnds: readonly [number, number, number];
  private readonly tableAt: number;

  /**
   * @param segments head, middle and tail: the answer's parts that do not depend on the recommendation
   * @param candidates every instance that may be recommended while this template lives
   * @param piecesOf the two recommendation-dependent parts for an instance
   */
  constructor(
    segments: readonly [Uint8Array, Uint8Array, Uint8Array],
    private readonly candidates: readonly Instance[],
    private readonly piecesOf: (recommended: Instance) => readonly [Uint8Array, Uint8Array],
    private readonly format: SpliceFormat,
  ) {
    const [a, b, c] = format.frame(...segments);
    this.frameEnds = [a.byteLength, a.byteLength + b.byteLength, a.byteLength + b.byteLength + c.byteLength];
    const builder = new TemplateBuilder(Buffer.concat([a, b, c]));
    const table = candidates.flatMap((candidate) =>
      piecesOf(candidate).flatMap((piece, field) => {
        const { bytes, valueStart } = format.field(piece);
        return [
          ...builder.place(bytes.subarray(0, valueStart)),
          ...builder.place(bytes.subarray(valueStart), field),
        ];
      }),
    );
    this.tableAt = builder.length;
    this.bytes = Buffer.allocUnsafeSlow(builder.length + table.length * 4);
    builder.copyTo(this.bytes);
    for (const [i, offset] of table.entries()) this.bytes.writeUInt32LE(offset, this.tableAt + i * 4);
  }

  /** What the template holds, in bytes. */
  get byteLength(): number {
    return this.bytes.byteLength;
  }

  /** The whole answer recommending `recommended`. */
  with(recommended: Instance): Uint8Array {
    const at = this.candidateIndex(recommended);
    if (at < 0) return this.withFields(recommended);
    const { bytes } = this;
    const [aEnd, bEnd, cEnd] = this.frameEnds;
    // The row: key and value ranges of the first field, then of the second (read one by one:
    // this runs per request, and an array of them would be garbage on every call).
    const row = this.tableAt + at * rangeRowBytes;
    const k1 = bytes.readUInt32LE(row);
    const k1End = bytes.readUInt32LE(row + 4);
    const v1 = bytes.readUInt32LE(row + 8);
    const v1End = bytes.readUInt32LE(row + 12);
    const k2 = bytes.readUInt32LE(row + 16);
    const k2End = bytes.readUInt32LE(row + 20);
    const v2 = bytes.readUInt32LE(row + 24);
    const v2End = bytes.readUInt32LE(row + 28);
    const out = Buffer.allocUnsafe(cEnd + k1End - k1 + v1End - v1 + k2End - k2 + v2End - v2);
    let offset = bytes.copy(out, 0, 0, aEnd);
    offset += bytes.copy(out, offset, k1, k1End);
    offset += bytes.copy(out, offset, v1, v1End);
    offset += bytes.copy(out, offset, aEnd, bEnd);
    offset += bytes.copy(out, offset, k2, k2End);
    offset += bytes.copy(out, offset, v2, v2End);
    bytes.copy(out, offset, bEnd, cEnd);
    return out;
  }

  /**
   * The candidate's row: the same object, or one with its id. A heartbeat replaces an instance's
   * snapshot without changing anything the answer holds, and a tier audience's template keeps the
   * list it was built from, so the id finds the row the object no longer does.
   */
  private candidateIndex(recommended: Instance): number {
    const at = this.candidates.indexOf(recommended);
    return at >= 0 ? at : this.candidates.findIndex((candidate) => candidate.id === recommended.id);
  }

  /** Not a candidate the template was built for (the caller's key says it cannot happen): still right. */
  private withFields(recommended: Instance): Uint8Array {
    const [first, second] = this.piecesOf(recommended).map((piece) => this.format.field(piece).bytes);
    const [aEnd, bEnd, cEnd] = this.frameEnds;
    const { bytes } = this;
    return Buffer.concat([
      bytes.subarray(0, aEnd),
      first!,
      bytes.subarray(aEnd, bEnd),
      second!,
      bytes.subarray(bEnd, cEnd),
    ]);
  }
}

/** Lays out a template's bytes: the frame, then whatever is placed and not found in it. */
class TemplateBuilder {
  private readonly extra: Uint8Array[] = [];
  private readonly placed = new Map<string, [number, number]>();
  /** Per field, where the last value was found: candidates come in list order, so the next one is further on. */
  private readonly cursors: number[] = [];
  length: number;

  constructor(private readonly frame: Buffer) {
    this.length = frame.byteLength;
  }

  /** Where `bytes` are in the template: in the frame when it holds them, else added once. */
  place(bytes: Uint8Array, field?: number): [number, number] {
    if (bytes.byteLength === 0) return [0, 0];
    if (field !== undefined) {
      const from = this.cursors[field] ?? 0;
      let at = this.frame.indexOf(bytes, from);
      if (at < 0 && from > 0) at = this.frame.indexOf(bytes);
      if (at >= 0) {
        this.cursors[field] = at + bytes.byteLength;
        return [at, at + bytes.byteLength];
      }
    }
    const key = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("latin1");
    let range = this.placed.get(key);
    if (range === undefined) {
      range = [this.length, this.length + bytes.byteLength];
      this.placed.set(key, range);
      this.extra.push(bytes);
      this.length += bytes.byteLength;
    }
    return range;
  }

  copyTo(target: Buffer): void {
    let offset = 0;
    for (const part of [this.frame, ...this.extra]) {
      target.set(part, offset);
      offset += part.byteLength;
    }
  }
}

/** The inside of a compact JSON object: its bytes without the braces. */
function inside(object: Uint8Array): Uint8Array {
  return object.subarray(1, object.byteLength - 1);
}

/** The offset just past the varint at `offset`. */
function skipVarint(bytes: Uint8Array, offset: number): number {
  let at = offset;
  while (at < bytes.byteLength && (bytes[at]! & 0x80) !== 0) at++;
  return at + 1;
}

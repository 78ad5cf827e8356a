/**
 * A 64-bit string hash as 16 hex digits: two 32-bit FNV-1a lanes with different offsets.
 * Not cryptographic; ids only need to be the same in every process and rarely collide.
 */
export function hash64(text: string): string {
  let a = 0x811c9dc5;
  let b = 0x01000193 ^ 0x9e3779b9;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    a = Math.imul(a ^ c, 0x01000193);
    b = Math.imul(b ^ c, 0x5bd1e995);
    b ^= b >>> 15;
  }
  return hex32(a) + hex32(b);
}

function hex32(n: number): string {
  return (n >>> 0).toString(16).padStart(8, "0");
}

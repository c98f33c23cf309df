// Helpers shared by the X16S functions (32-bit words; byte order of a word in a
// message is little-endian: word i holds bytes 4i..4i+4, byte 4i lowest).

fn bswap32(x: u32) -> u32 {
    return (x << 24u) | ((x << 8u) & 0x00ff0000u) | ((x >> 8u) & 0x0000ff00u) | (x >> 24u);
}
fn rotl32(x: u32, n: u32) -> u32 { return (x << n) | (x >> ((32u - n) & 31u)); }
fn rotr32(x: u32, n: u32) -> u32 { return (x >> n) | (x << ((32u - n) & 31u)); }

// A big-endian 64-bit word from message words i and i+1 (bytes 4i..4i+8).
fn w64_be(lo_word: u32, hi_word: u32) -> w64 { return w64c(bswap32(lo_word), bswap32(hi_word)); }
// A little-endian 64-bit word from message words i and i+1.
fn w64_le(lo_word: u32, hi_word: u32) -> w64 { return w64c(hi_word, lo_word); }

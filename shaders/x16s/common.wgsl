// Helpers shared by the X16S functions (32-bit words; byte order of a word in a
// message is little-endian: word i holds bytes 4i..4i+4, byte 4i lowest).

fn bswap32(x: u32) -> u32 {
    return (x << 24u) | ((x << 8u) & 0x00ff0000u) | ((x >> 8u) & 0x0000ff00u) | (x >> 24u);
}
fn rotl32(x: u32, n: u32) -> u32 { return (x << n) | (x >> ((32u - n) & 31u)); }
fn rotr32(x: u32, n: u32) -> u32 { return (x >> n) | (x << ((32u - n) & 31u)); }

// Look-up tables read at data-dependent indices (AES, Grøstl, Whirlpool, Fugue) live in
// workgroup memory, which a GPU serves from 32 banks of 4 bytes: invocations of a warp
// reading different entries in one bank wait for each other, and random indices make
// that the common case (a Grøstl that read one copy ran 3.4x slower on an H200 than the
// same kernel with all lanes reading alike). So each table is stored once per bank
// group, interleaved: entry x of copy c sits at x * copies + c, and each invocation
// reads the copy of its lane, so that a warp's lanes never share a bank whatever their
// indices. 4-byte entries take 32 copies, 8-byte entries 16 (they span two banks); the
// host sets BANK32_COPIES and BANK64_COPIES (powers of two) to fewer where the
// adapter's workgroup memory is under 32 KiB. The kernel sets the lane before hashing
// (local_invocation_index: lanes of a warp are consecutive invocations).
var<private> x16s_lane: u32;

// Where the invocation's copy of entry x of a banked table of 4-byte entries is.
fn bank32(x: u32) -> u32 { return x * BANK32_COPIES + (x16s_lane % BANK32_COPIES); }
// Where the invocation's copy of entry x of a banked table of 8-byte entries is.
fn bank64(x: u32) -> u32 { return x * BANK64_COPIES + (x16s_lane % BANK64_COPIES); }

// A big-endian 64-bit word from message words i and i+1 (bytes 4i..4i+8).
fn w64_be(lo_word: u32, hi_word: u32) -> w64 { return w64c(bswap32(lo_word), bswap32(hi_word)); }
// A little-endian 64-bit word from message words i and i+1.
fn w64_le(lo_word: u32, hi_word: u32) -> w64 { return w64c(hi_word, lo_word); }

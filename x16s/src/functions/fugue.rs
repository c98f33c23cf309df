//! Fugue-512 (Halevi, Hall, Jutla: "The Hash Function Fugue", v2.0), as in sphlib.
//!
//! The state is 36 columns of four bytes, each held as a big-endian `u32`. Rotations of
//! the state are never performed: a column index is read relative to a moving offset,
//! which is a compile-time constant inside the message rounds.

use core::marker::PhantomData;

use crate::aes::{SBOX, gf_mul};

#[cfg(target_arch = "x86_64")]
mod aes_ni;

/// Columns in the Fugue-512 state.
const COLUMNS: usize = 36;

/// Initial value of the last 16 columns (spec §4.3, Fugue-512 IV); the first 20 are zero.
const IV: [u32; 16] = [
    0x8807a57e, 0xe616af75, 0xc5d3e4db, 0xac9ab027, 0xd915f117, 0xb6eecc54, 0x06e8020b, 0x4a92efd1,
    0xaac6e2c9, 0xddb21398, 0xcae65838, 0x437f203f, 0x25ea78e7, 0x951fddd6, 0xda6ed11d, 0xe13e3567,
];

/// Super-mix tables: `MIX[r][x]` is the AES S-box of `x` times column `r` of the Fugue
/// matrix M (spec §2.3.1, first column `(1, 1, 7, 4)`), packed big-endian and rotated
/// so that row `r` of the input lands in place.
const MIX: [[u32; 256]; 4] = {
    let mut t = [[0u32; 256]; 4];
    let mut x = 0;
    while x < 256 {
        let s = SBOX[x];
        let col = u32::from_be_bytes([s, s, gf_mul(s, 7), gf_mul(s, 4)]);
        let mut r = 0;
        while r < 4 {
            t[r][x] = col.rotate_right(8 * r as u32);
            r += 1;
        }
        x += 1;
    }
    t
};

/// Fugue-512 digest of `data` (Fugue 2.0 with 512-bit output, as in sphlib's
/// `sph_fugue512` and the X16R family).
///
/// On x86-64 processors with AES-NI and SSSE3, SMIX uses them (detected at run time);
/// everywhere else, and as the reference, it uses precomputed tables.
pub fn fugue512(data: &[u8]) -> [u8; 64] {
    #[cfg(target_arch = "x86_64")]
    if crate::cpu::has_aes_ni() {
        return aes_ni::digest(data);
    }
    digest::<Columns<Tables>, Tables>(data)
}

/// The state through the message rounds and the first phase of G, where every step
/// rotates it by three columns: the round function R per input word, and the steps of
/// G's first phase four at a time. `W` is the index of the word modulo 3 (see
/// [`offset`]).
trait Rounds {
    /// The initial state (spec §4.3).
    fn start() -> Self;
    /// R for one input word: TIX, then [`Rounds::mix4`].
    fn absorb<const W: usize>(&mut self, word: u32);
    /// Four times ROR3, CMIX, SMIX.
    fn mix4<const W: usize>(&mut self);
    /// The physical columns: logical column `i` at `(offset(words, 0) + i) % 36` after
    /// `words` words (G's steps count as a third of a word each).
    fn columns(&self) -> [u32; COLUMNS];
}

/// The state as 36 columns in memory, with the given SMIX.
struct Columns<M>([u32; COLUMNS], PhantomData<M>);

impl<M: Mix> Rounds for Columns<M> {
    #[inline(always)]
    fn start() -> Self {
        let mut state = [0u32; COLUMNS];
        state[COLUMNS - IV.len()..].copy_from_slice(&IV);
        Self(state, PhantomData)
    }
    #[inline(always)]
    fn absorb<const W: usize>(&mut self, word: u32) {
        absorb::<M, W>(&mut self.0, word);
    }
    #[inline(always)]
    fn mix4<const W: usize>(&mut self) {
        mix4::<M, W>(&mut self.0);
    }
    #[inline(always)]
    fn columns(&self) -> [u32; COLUMNS] {
        self.0
    }
}

/// SMIX (spec §2.3) on the four state columns at `cols`: S-box every byte, then apply
/// the super-mix matrix N.
trait Mix {
    fn smix(s: &mut [u32; COLUMNS], cols: [usize; 4]);
}

/// SMIX from the super-mix tables [`MIX`].
struct Tables;

/// Fugue-512 with the given state for the rounds that rotate by three columns and the
/// given SMIX for the rest.
#[inline(always)]
fn digest<R: Rounds, M: Mix>(data: &[u8]) -> [u8; 64] {
    let mut state = R::start();

    // Three input words rotate the state by 3 × 12 = 36 columns, back to the start.
    let mut triples = data.chunks_exact(12);
    for triple in &mut triples {
        state.absorb::<0>(be_word(&triple[..4]));
        state.absorb::<1>(be_word(&triple[4..8]));
        state.absorb::<2>(be_word(&triple[8..]));
    }

    // Tail: the remaining whole words, the last partial word zero-padded, then the
    // 64-bit big-endian message length in bits (spec §4.1 padding).
    let rest = triples.remainder();
    let bits = (data.len() as u64).wrapping_mul(8);
    let mut tail = [0u8; 20];
    let padded = rest.len().div_ceil(4) * 4;
    tail[..rest.len()].copy_from_slice(rest);
    tail[padded..padded + 8].copy_from_slice(&bits.to_be_bytes());
    for (i, word) in tail[..padded + 8].chunks_exact(4).enumerate() {
        match i % 3 {
            0 => state.absorb::<0>(be_word(word)),
            1 => state.absorb::<1>(be_word(word)),
            _ => state.absorb::<2>(be_word(word)),
        }
    }
    // G (spec §4.2). Its first phase, 32 rounds of ROR3, CMIX, SMIX, is eight `mix4`.
    let words = padded / 4 + 2;
    for w in words..words + 8 {
        match w % 3 {
            0 => state.mix4::<0>(),
            1 => state.mix4::<1>(),
            _ => state.mix4::<2>(),
        }
    }
    let mut state = state.columns();
    state.rotate_left(offset((words + 8) % 3, 0));
    finalize::<M>(&mut state);

    let mut out = [0u8; 64];
    let columns = [1, 2, 3, 4, 9, 10, 11, 12, 18, 19, 20, 21, 27, 28, 29, 30];
    for (chunk, column) in out.chunks_exact_mut(4).zip(columns) {
        chunk.copy_from_slice(&state[column].to_be_bytes());
    }
    out
}

fn be_word(bytes: &[u8]) -> u32 {
    u32::from_be_bytes([bytes[0], bytes[1], bytes[2], bytes[3]])
}

/// Physical index of logical column `i` after `shift` columns of right rotation, in a
/// state whose logical column 0 sat at physical 0 `word` input words ago.
const fn offset(word: usize, shift: usize) -> usize {
    (2 * COLUMNS - 12 * word - shift) % COLUMNS
}

/// The round function R for one input word (spec §4.2, Fugue-512): TIX, then four
/// times ROR3, CMIX, SMIX. `W` is the index of the word modulo 3, which fixes where the
/// logical state starts.
#[inline(always)]
fn absorb<M: Mix, const W: usize>(s: &mut [u32; COLUMNS], word: u32) {
    let at = |i: usize| (offset(W, 0) + i) % COLUMNS;
    // TIX.
    s[at(22)] ^= s[at(0)];
    s[at(0)] = word;
    s[at(8)] ^= word;
    s[at(1)] ^= s[at(24)];
    s[at(4)] ^= s[at(27)];
    s[at(7)] ^= s[at(30)];
    mix4::<M, W>(s);
}

/// Four times ROR3, CMIX, SMIX: the end of R, and a quarter of a round of G's first
/// phase. As in [`absorb`], `W` fixes where the logical state starts.
#[inline(always)]
fn mix4<M: Mix, const W: usize>(s: &mut [u32; COLUMNS]) {
    cmix_smix::<M, W, 3>(s);
    cmix_smix::<M, W, 6>(s);
    cmix_smix::<M, W, 9>(s);
    cmix_smix::<M, W, 12>(s);
}

/// CMIX then SMIX once the state has been rotated right by `SHIFT` columns.
#[inline(always)]
fn cmix_smix<M: Mix, const W: usize, const SHIFT: usize>(s: &mut [u32; COLUMNS]) {
    let at = |i: usize| (offset(W, SHIFT) + i) % COLUMNS;
    for j in 0..3 {
        let x = s[at(4 + j)];
        s[at(j)] ^= x;
        s[at(18 + j)] ^= x;
    }
    M::smix(s, [at(0), at(1), at(2), at(3)]);
}

/// The state seen through a rotation: logical column `i` is physical `(i + offset) % 36`,
/// so that rotating the state only moves the offset.
struct Rotated<'a> {
    columns: &'a mut [u32; COLUMNS],
    offset: usize,
}

impl Rotated<'_> {
    /// Physical index of logical column `i < 36`.
    #[inline(always)]
    fn at(&self, i: usize) -> usize {
        let j = self.offset + i;
        if j >= COLUMNS { j - COLUMNS } else { j }
    }

    /// ROR`n`: rotates the state right by `n < 36` columns.
    #[inline(always)]
    fn rotate_right(&mut self, n: usize) {
        self.offset = self.at(COLUMNS - n);
    }

    #[inline(always)]
    fn xor_from_0(&mut self, columns: [usize; 4]) {
        let x = self.columns[self.at(0)];
        for c in columns {
            let at = self.at(c);
            self.columns[at] ^= x;
        }
    }

    #[inline(always)]
    fn smix<M: Mix>(&mut self) {
        let cols = [0, 1, 2, 3].map(|i| self.at(i));
        M::smix(self.columns, cols);
    }
}

/// The second phase of the final rounds G (spec §4.2): 13 rounds of four column-XOR,
/// ROR9/ROR9/ROR9/ROR8, SMIX steps, on the logical state.
#[inline(always)]
fn finalize<M: Mix>(s: &mut [u32; COLUMNS]) {
    let mut state = Rotated {
        columns: s,
        offset: 0,
    };
    // Columns XORed with column 0 before each rotation of a final round.
    const STEPS: [([usize; 4], usize); 4] = [
        ([4, 9, 18, 27], 9),
        ([4, 10, 18, 27], 9),
        ([4, 10, 19, 27], 9),
        ([4, 10, 19, 28], 8),
    ];
    for _ in 0..13 {
        for (columns, rotation) in STEPS {
            state.xor_from_0(columns);
            state.rotate_right(rotation);
            state.smix::<M>();
        }
    }
    state.xor_from_0(STEPS[0].0);
    let offset = state.offset;
    s.rotate_left(offset);
}

impl Mix for Tables {
    /// The super-mix N is M on the diagonal plus row-transposed M off it (spec §2.3).
    #[inline(always)]
    fn smix(s: &mut [u32; COLUMNS], cols: [usize; 4]) {
        // t[j][row]: S-box of byte `row` of column `j`, times column `row` of M.
        let t: [[u32; 4]; 4] = core::array::from_fn(|j| {
            let w = s[cols[j]];
            core::array::from_fn(|row| MIX[row][(w >> (24 - 8 * row)) as u8 as usize])
        });
        // Diagonal blocks: column j gets all its own products; off-diagonal: row `row`
        // gathers the products of the other columns.
        let c = t.map(|tj| tj[0] ^ tj[1] ^ tj[2] ^ tj[3]);
        let r: [u32; 4] =
            core::array::from_fn(|row| t[0][row] ^ t[1][row] ^ t[2][row] ^ t[3][row] ^ t[row][row]);
        const BYTE: [u32; 4] = [0xff00_0000, 0x00ff_0000, 0x0000_ff00, 0x0000_00ff];
        for (k, &col) in cols.iter().enumerate() {
            let mut x = 0;
            for b in 0..4 {
                x |= (c[(k + b) % 4] ^ r[b].rotate_left(8 * k as u32)) & BYTE[b];
            }
            s[col] = x;
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn portable_matches_dispatched() {
        super::super::assert_portable_matches_dispatched(
            super::digest::<super::Columns<super::Tables>, super::Tables>,
            super::fugue512,
        );
    }
}

//! [`Lanes`]: eight 32-bit words operated on together, the rows of the SIMD-512 and
//! Hamsi-512 states.
//! On x86-64 they are two SSE2 registers (SSE2 is part of the x86-64 baseline, so no
//! detection is needed); elsewhere, wasm included, a plain array. Both backends offer
//! the same operations: conversions, shifts and rotations, lane permutations and
//! `+ & | ^ !`.

#[cfg(target_arch = "x86_64")]
pub(crate) use sse2::Lanes;

#[cfg(not(target_arch = "x86_64"))]
pub(crate) use portable::Lanes;

#[cfg(any(test, not(target_arch = "x86_64")))]
mod portable {
    use core::ops::{Add, BitAnd, BitOr, BitXor, Not};

    /// Eight 32-bit lanes.
    #[derive(Clone, Copy)]
    pub(crate) struct Lanes([u32; 8]);

    impl Lanes {
        #[inline(always)]
        pub(crate) fn from_array(words: [u32; 8]) -> Self {
            Self(words)
        }

        #[inline(always)]
        pub(crate) fn to_array(self) -> [u32; 8] {
            self.0
        }

        /// Every lane rotated left by `n` bits, `0 < n < 32`.
        #[inline(always)]
        pub(crate) fn rotate_left(self, n: u32) -> Self {
            Self(self.0.map(|x| x.rotate_left(n)))
        }

        /// Every lane shifted left by `n < 32` bits.
        #[inline(always)]
        pub(crate) fn shl(self, n: u32) -> Self {
            Self(self.0.map(|x| x << n))
        }

        /// Lane `i` takes lane `i ^ mask`, for `mask < 8`.
        #[inline(always)]
        pub(crate) fn permute(self, mask: usize) -> Self {
            Self(core::array::from_fn(|i| self.0[i ^ mask]))
        }

        /// Lane `i` takes lane `(i + k) % 8`.
        #[inline(always)]
        pub(crate) fn rotate_lanes(self, k: usize) -> Self {
            Self(core::array::from_fn(|i| self.0[(i + k) % 8]))
        }

        #[inline(always)]
        fn zip(self, other: Self, f: impl Fn(u32, u32) -> u32) -> Self {
            Self(core::array::from_fn(|i| f(self.0[i], other.0[i])))
        }
    }

    /// Lane-wise wrapping addition.
    impl Add for Lanes {
        type Output = Self;
        #[inline(always)]
        fn add(self, other: Self) -> Self {
            self.zip(other, u32::wrapping_add)
        }
    }

    impl BitAnd for Lanes {
        type Output = Self;
        #[inline(always)]
        fn bitand(self, other: Self) -> Self {
            self.zip(other, |x, y| x & y)
        }
    }

    impl BitOr for Lanes {
        type Output = Self;
        #[inline(always)]
        fn bitor(self, other: Self) -> Self {
            self.zip(other, |x, y| x | y)
        }
    }

    impl BitXor for Lanes {
        type Output = Self;
        #[inline(always)]
        fn bitxor(self, other: Self) -> Self {
            self.zip(other, |x, y| x ^ y)
        }
    }

    impl Not for Lanes {
        type Output = Self;
        #[inline(always)]
        fn not(self) -> Self {
            Self(self.0.map(|x| !x))
        }
    }
}

// SAFETY (every `unsafe` block in this module): it only calls SSE2 intrinsics, and
// SSE2 is enabled on every x86-64 target (checked below).
#[cfg(target_arch = "x86_64")]
mod sse2 {
    use core::arch::x86_64::{
        __m128i, _mm_add_epi32, _mm_and_si128, _mm_cvtsi32_si128, _mm_cvtsi128_si32, _mm_or_si128,
        _mm_set_epi32, _mm_set1_epi32, _mm_shuffle_epi32, _mm_sll_epi32, _mm_slli_si128,
        _mm_srl_epi32, _mm_srli_si128, _mm_xor_si128,
    };
    use core::ops::{Add, BitAnd, BitOr, BitXor, Not};

    const _: () = assert!(cfg!(target_feature = "sse2"));

    /// Eight 32-bit lanes: lanes 0..4 in the first register, 4..8 in the second.
    #[derive(Clone, Copy)]
    pub(crate) struct Lanes([__m128i; 2]);

    impl Lanes {
        #[inline(always)]
        pub(crate) fn from_array(words: [u32; 8]) -> Self {
            let w = words.map(|x| x as i32);
            // SAFETY: see the top of the module.
            unsafe {
                Self([
                    _mm_set_epi32(w[3], w[2], w[1], w[0]),
                    _mm_set_epi32(w[7], w[6], w[5], w[4]),
                ])
            }
        }

        #[inline(always)]
        pub(crate) fn to_array(self) -> [u32; 8] {
            // SAFETY: see the top of the module.
            let lanes = |x: __m128i| unsafe {
                [
                    _mm_cvtsi128_si32(x),
                    _mm_cvtsi128_si32(_mm_shuffle_epi32::<0b01>(x)),
                    _mm_cvtsi128_si32(_mm_shuffle_epi32::<0b10>(x)),
                    _mm_cvtsi128_si32(_mm_shuffle_epi32::<0b11>(x)),
                ]
            };
            let ([a, b, c, d], [e, f, g, h]) = (lanes(self.0[0]), lanes(self.0[1]));
            [a, b, c, d, e, f, g, h].map(|v| v as u32)
        }

        /// Every lane rotated left by `n` bits, `0 < n < 32`.
        #[inline(always)]
        pub(crate) fn rotate_left(self, n: u32) -> Self {
            // SAFETY: see the top of the module.
            unsafe {
                let left = _mm_cvtsi32_si128(n as i32);
                let right = _mm_cvtsi32_si128(32 - n as i32);
                Self(
                    self.0
                        .map(|x| _mm_or_si128(_mm_sll_epi32(x, left), _mm_srl_epi32(x, right))),
                )
            }
        }

        /// Every lane shifted left by `n < 32` bits.
        #[inline(always)]
        pub(crate) fn shl(self, n: u32) -> Self {
            // SAFETY: see the top of the module.
            unsafe {
                let count = _mm_cvtsi32_si128(n as i32);
                Self(self.0.map(|x| _mm_sll_epi32(x, count)))
            }
        }

        /// Lane `i` takes lane `(i + k) % 8`.
        #[inline(always)]
        pub(crate) fn rotate_lanes(self, k: usize) -> Self {
            let [lo, hi] = if k % 8 < 4 {
                self.0
            } else {
                [self.0[1], self.0[0]]
            };
            // Lanes k..k+4 of the pair (x, y), for k < 4.
            // SAFETY: see the top of the module.
            let window = |x: __m128i, y: __m128i| unsafe {
                match k % 4 {
                    0 => x,
                    1 => _mm_or_si128(_mm_srli_si128::<4>(x), _mm_slli_si128::<12>(y)),
                    2 => _mm_or_si128(_mm_srli_si128::<8>(x), _mm_slli_si128::<8>(y)),
                    _ => _mm_or_si128(_mm_srli_si128::<12>(x), _mm_slli_si128::<4>(y)),
                }
            };
            Self([window(lo, hi), window(hi, lo)])
        }

        /// Lane `i` takes lane `i ^ mask`, for `mask < 8`.
        #[inline(always)]
        pub(crate) fn permute(self, mask: usize) -> Self {
            // Bit 2 of the mask swaps the registers, bits 0 and 1 permute within them.
            let [lo, hi] = if mask & 4 == 0 {
                self.0
            } else {
                [self.0[1], self.0[0]]
            };
            // SAFETY: see the top of the module.
            let within = |x: __m128i| unsafe {
                match mask & 3 {
                    0 => x,
                    1 => _mm_shuffle_epi32::<0b10_11_00_01>(x),
                    2 => _mm_shuffle_epi32::<0b01_00_11_10>(x),
                    _ => _mm_shuffle_epi32::<0b00_01_10_11>(x),
                }
            };
            Self([within(lo), within(hi)])
        }

        #[inline(always)]
        fn zip(self, other: Self, f: unsafe fn(__m128i, __m128i) -> __m128i) -> Self {
            // SAFETY: `f` is one of the SSE2 intrinsics below; see the top of the module.
            unsafe { Self([f(self.0[0], other.0[0]), f(self.0[1], other.0[1])]) }
        }
    }

    /// Lane-wise wrapping addition.
    impl Add for Lanes {
        type Output = Self;
        #[inline(always)]
        fn add(self, other: Self) -> Self {
            self.zip(other, _mm_add_epi32)
        }
    }

    impl BitAnd for Lanes {
        type Output = Self;
        #[inline(always)]
        fn bitand(self, other: Self) -> Self {
            self.zip(other, _mm_and_si128)
        }
    }

    impl BitOr for Lanes {
        type Output = Self;
        #[inline(always)]
        fn bitor(self, other: Self) -> Self {
            self.zip(other, _mm_or_si128)
        }
    }

    impl BitXor for Lanes {
        type Output = Self;
        #[inline(always)]
        fn bitxor(self, other: Self) -> Self {
            self.zip(other, _mm_xor_si128)
        }
    }

    impl Not for Lanes {
        type Output = Self;
        #[inline(always)]
        fn not(self) -> Self {
            // SAFETY: see the top of the module.
            self ^ Self([unsafe { _mm_set1_epi32(-1) }; 2])
        }
    }
}

#[cfg(all(test, target_arch = "x86_64"))]
mod tests {
    use super::{portable, sse2};

    /// The SSE2 backend computes exactly what the portable one does.
    #[test]
    fn backends_agree() {
        let mut seed = 0x9e37_79b9_u32;
        let mut next = || {
            seed ^= seed << 13;
            seed ^= seed >> 17;
            seed ^= seed << 5;
            seed
        };
        for _ in 0..100 {
            let (x, y) = ([(); 8].map(|()| next()), [(); 8].map(|()| next()));
            let (px, py) = (
                portable::Lanes::from_array(x),
                portable::Lanes::from_array(y),
            );
            let (sx, sy) = (sse2::Lanes::from_array(x), sse2::Lanes::from_array(y));
            assert_eq!((sx + sy).to_array(), (px + py).to_array());
            assert_eq!((sx & sy).to_array(), (px & py).to_array());
            assert_eq!((sx | sy).to_array(), (px | py).to_array());
            assert_eq!((sx ^ sy).to_array(), (px ^ py).to_array());
            assert_eq!((!sx).to_array(), (!px).to_array());
            for n in 1..32 {
                assert_eq!(sx.rotate_left(n).to_array(), px.rotate_left(n).to_array());
                assert_eq!(sx.shl(n).to_array(), px.shl(n).to_array());
            }
            for k in 0..8 {
                assert_eq!(sx.permute(k).to_array(), px.permute(k).to_array());
                assert_eq!(sx.rotate_lanes(k).to_array(), px.rotate_lanes(k).to_array());
            }
        }
    }
}

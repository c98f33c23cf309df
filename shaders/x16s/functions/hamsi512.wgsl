// Hamsi-512 (Küçük, "The Hash Function Hamsi", SHA-3 round 2), as in sphlib: the
// MSG_BYTES-byte message in 8-byte blocks, then a padding block and the length block.
//
// Words are kept four to a vec4 and indexed only by constants, so that the state stays
// in registers: the 4 x 8 state s_0..s_31 of the permutation (spec §2.1.2) is
// array<vec4<u32>, 8> with s_(4i)..s_(4i+3) at index i, i.e. row r (s_(8r)..s_(8r+7))
// is indices 2r (columns 0-3) and 2r + 1 (columns 4-7).

// Sixteen words, four to a vec4: a message expansion, a chaining value, or (a, b, c, d)
// word quadruples of the S-box or of L, one per lane.
alias Hamsi512Words = array<vec4<u32>, 4>;

// Initial chaining value (spec §2.3): the big-endian words of
// "steelpark Arenberg 10, bus 2446, B-3001 Leuven-Heverlee, Belgium".
const HAMSI512_IV = Hamsi512Words(
    vec4<u32>(0x73746565u, 0x6c706172u, 0x6b204172u, 0x656e6265u), vec4<u32>(0x72672031u, 0x302c2062u, 0x75732032u, 0x3434362cu),
    vec4<u32>(0x20422d33u, 0x30303120u, 0x4c657576u, 0x656e2d48u), vec4<u32>(0x65766572u, 0x6c65652cu, 0x2042656cu, 0x6769756du)
);

// Round constants of the permutation P (spec §2.1.2, alpha for Hamsi-512), s_0..s_31.
const HAMSI512_ALPHA_P = array<vec4<u32>, 8>(
    vec4<u32>(0xff00f0f0u, 0xccccaaaau, 0xf0f0ccccu, 0xff00aaaau), vec4<u32>(0xccccaaaau, 0xf0f0ff00u, 0xaaaaccccu, 0xf0f0ff00u),
    vec4<u32>(0xf0f0ccccu, 0xaaaaff00u, 0xccccff00u, 0xaaaaf0f0u), vec4<u32>(0xaaaaf0f0u, 0xff00ccccu, 0xccccf0f0u, 0xff00aaaau),
    vec4<u32>(0xccccaaaau, 0xff00f0f0u, 0xff00aaaau, 0xf0f0ccccu), vec4<u32>(0xf0f0ff00u, 0xccccaaaau, 0xf0f0ff00u, 0xaaaaccccu),
    vec4<u32>(0xaaaaff00u, 0xf0f0ccccu, 0xaaaaf0f0u, 0xccccff00u), vec4<u32>(0xff00ccccu, 0xaaaaf0f0u, 0xff00aaaau, 0xccccf0f0u)
);

// Round constants of the final permutation P_f (spec §2.1.2).
const HAMSI512_ALPHA_PF = array<vec4<u32>, 8>(
    vec4<u32>(0xcaf9639cu, 0x0ff0f9c0u, 0x639c0ff0u, 0xcaf9f9c0u), vec4<u32>(0x0ff0f9c0u, 0x639ccaf9u, 0xf9c00ff0u, 0x639ccaf9u),
    vec4<u32>(0x639c0ff0u, 0xf9c0caf9u, 0x0ff0caf9u, 0xf9c0639cu), vec4<u32>(0xf9c0639cu, 0xcaf90ff0u, 0x0ff0639cu, 0xcaf9f9c0u),
    vec4<u32>(0x0ff0f9c0u, 0xcaf9639cu, 0xcaf9f9c0u, 0x639c0ff0u), vec4<u32>(0x639ccaf9u, 0x0ff0f9c0u, 0x639ccaf9u, 0xf9c00ff0u),
    vec4<u32>(0xf9c0caf9u, 0x639c0ff0u, 0xf9c0639cu, 0x0ff0caf9u), vec4<u32>(0xcaf90ff0u, 0xf9c0639cu, 0xcaf9f9c0u, 0x0ff0639cu)
);

// Generator rows of the expansion code (spec §2.1.1, the Hamsi-512 generator matrix),
// one per message bit: row [i][j] is the image of bit j (least significant first) of
// block byte i, that is of bit 8i + j of the block read as a little-endian 64-bit number.
const HAMSI512_GENERATOR = array<array<Hamsi512Words, 8>, 8>(
    array<Hamsi512Words, 8>(
        Hamsi512Words(vec4<u32>(0xef0b0270u, 0x3afd0000u, 0x5dae0000u, 0x69490000u), vec4<u32>(0x9b0f3c06u, 0x4405b5f9u, 0x66140a51u, 0x924f5d0au),
                      vec4<u32>(0xc96b0030u, 0xe7250000u, 0x2f840000u, 0x264f0000u), vec4<u32>(0x08695bf9u, 0x6dfcf137u, 0x509f6984u, 0x9e69af68u)),
        Hamsi512Words(vec4<u32>(0xc96b0030u, 0xe7250000u, 0x2f840000u, 0x264f0000u), vec4<u32>(0x08695bf9u, 0x6dfcf137u, 0x509f6984u, 0x9e69af68u),
                      vec4<u32>(0x26600240u, 0xddd80000u, 0x722a0000u, 0x4f060000u), vec4<u32>(0x936667ffu, 0x29f944ceu, 0x368b63d5u, 0x0c26f262u)),
        Hamsi512Words(vec4<u32>(0x145a3c00u, 0xb9e90000u, 0x61270000u, 0xf1610000u), vec4<u32>(0xce613d6cu, 0xb0493d78u, 0x47a96720u, 0xe18e24c5u),
                      vec4<u32>(0x23671400u, 0xc8b90000u, 0xf4c70000u, 0xfb750000u), vec4<u32>(0x73cd2465u, 0xf8a6a549u, 0x02c40a3fu, 0xdc24e61fu)),
        Hamsi512Words(vec4<u32>(0x23671400u, 0xc8b90000u, 0xf4c70000u, 0xfb750000u), vec4<u32>(0x73cd2465u, 0xf8a6a549u, 0x02c40a3fu, 0xdc24e61fu),
                      vec4<u32>(0x373d2800u, 0x71500000u, 0x95e00000u, 0x0a140000u), vec4<u32>(0xbdac1909u, 0x48ef9831u, 0x456d6d1fu, 0x3daac2dau)),
        Hamsi512Words(vec4<u32>(0x54285c00u, 0xeaed0000u, 0xc5d60000u, 0xa1c50000u), vec4<u32>(0xb3a26770u, 0x94a5c4e1u, 0x6bb0419du, 0x551b3782u),
                      vec4<u32>(0x9cbb1800u, 0xb0d30000u, 0x92510000u, 0xed930000u), vec4<u32>(0x593a4345u, 0xe114d5f4u, 0x430633dau, 0x78cace29u)),
        Hamsi512Words(vec4<u32>(0x9cbb1800u, 0xb0d30000u, 0x92510000u, 0xed930000u), vec4<u32>(0x593a4345u, 0xe114d5f4u, 0x430633dau, 0x78cace29u),
                      vec4<u32>(0xc8934400u, 0x5a3e0000u, 0x57870000u, 0x4c560000u), vec4<u32>(0xea982435u, 0x75b11115u, 0x28b67247u, 0x2dd1f9abu)),
        Hamsi512Words(vec4<u32>(0x29449c00u, 0x64e70000u, 0xf24b0000u, 0xc2f30000u), vec4<u32>(0x0ede4e8fu, 0x56c23745u, 0xf3e04259u, 0x8d0d9ec4u),
                      vec4<u32>(0x466d0c00u, 0x08620000u, 0xdd5d0000u, 0xbadd0000u), vec4<u32>(0x6a927942u, 0x441f2b93u, 0x218ace6fu, 0xbf2c0be2u)),
        Hamsi512Words(vec4<u32>(0x466d0c00u, 0x08620000u, 0xdd5d0000u, 0xbadd0000u), vec4<u32>(0x6a927942u, 0x441f2b93u, 0x218ace6fu, 0xbf2c0be2u),
                      vec4<u32>(0x6f299000u, 0x6c850000u, 0x2f160000u, 0x782e0000u), vec4<u32>(0x644c37cdu, 0x12dd1cd6u, 0xd26a8c36u, 0x32219526u))
    ),
    array<Hamsi512Words, 8>(
        Hamsi512Words(vec4<u32>(0xf6800005u, 0x3443c000u, 0x24070000u, 0x8f3d0000u), vec4<u32>(0x21373bfbu, 0x0ab8d5aeu, 0xcdc58b19u, 0xd795ba31u),
                      vec4<u32>(0xa67f0001u, 0x71378000u, 0x19fc0000u, 0x96db0000u), vec4<u32>(0x3a8b6dfdu, 0xebcaaef3u, 0x2c6d478fu, 0xac8e6c88u)),
        Hamsi512Words(vec4<u32>(0xa67f0001u, 0x71378000u, 0x19fc0000u, 0x96db0000u), vec4<u32>(0x3a8b6dfdu, 0xebcaaef3u, 0x2c6d478fu, 0xac8e6c88u),
                      vec4<u32>(0x50ff0004u, 0x45744000u, 0x3dfb0000u, 0x19e60000u), vec4<u32>(0x1bbc5606u, 0xe1727b5du, 0xe1a8cc96u, 0x7b1bd6b9u)),
        Hamsi512Words(vec4<u32>(0xf7750009u, 0xcf3cc000u, 0xc3d60000u, 0x04920000u), vec4<u32>(0x029519a9u, 0xf8e836bau, 0x7a87f14eu, 0x9e16981au),
                      vec4<u32>(0xd46a0000u, 0x8dc8c000u, 0xa5af0000u, 0x4a290000u), vec4<u32>(0xfc4e427au, 0xc9b4866cu, 0x98369604u, 0xf746c320u)),
        Hamsi512Words(vec4<u32>(0xd46a0000u, 0x8dc8c000u, 0xa5af0000u, 0x4a290000u), vec4<u32>(0xfc4e427au, 0xc9b4866cu, 0x98369604u, 0xf746c320u),
                      vec4<u32>(0x231f0009u, 0x42f40000u, 0x66790000u, 0x4ebb0000u), vec4<u32>(0xfedb5bd3u, 0x315cb0d6u, 0xe2b1674au, 0x69505b3au)),
        Hamsi512Words(vec4<u32>(0x774400f0u, 0xf15a0000u, 0xf5b20000u, 0x34140000u), vec4<u32>(0x89377e8cu, 0x5a8bec25u, 0x0bc3cd1eu, 0xcf3775cbu),
                      vec4<u32>(0xf46c0050u, 0x96180000u, 0x14a50000u, 0x031f0000u), vec4<u32>(0x42947eb8u, 0x66bf7e19u, 0x9ca470d2u, 0x8a341574u)),
        Hamsi512Words(vec4<u32>(0xf46c0050u, 0x96180000u, 0x14a50000u, 0x031f0000u), vec4<u32>(0x42947eb8u, 0x66bf7e19u, 0x9ca470d2u, 0x8a341574u),
                      vec4<u32>(0x832800a0u, 0x67420000u, 0xe1170000u, 0x370b0000u), vec4<u32>(0xcba30034u, 0x3c34923cu, 0x9767bdccu, 0x450360bfu)),
        Hamsi512Words(vec4<u32>(0xe8870170u, 0x9d720000u, 0x12db0000u, 0xd4220000u), vec4<u32>(0xf2886b27u, 0xa921e543u, 0x4ef8b518u, 0x618813b1u),
                      vec4<u32>(0xb4370060u, 0x0c4c0000u, 0x56c20000u, 0x5cae0000u), vec4<u32>(0x94541f3fu, 0x3b3ef825u, 0x1b365f3du, 0xf3d45758u)),
        Hamsi512Words(vec4<u32>(0xb4370060u, 0x0c4c0000u, 0x56c20000u, 0x5cae0000u), vec4<u32>(0x94541f3fu, 0x3b3ef825u, 0x1b365f3du, 0xf3d45758u),
                      vec4<u32>(0x5cb00110u, 0x913e0000u, 0x44190000u, 0x888c0000u), vec4<u32>(0x66dc7418u, 0x921f1d66u, 0x55ceea25u, 0x925c44e9u))
    ),
    array<Hamsi512Words, 8>(
        Hamsi512Words(vec4<u32>(0x0c720000u, 0x49e50f00u, 0x42790000u, 0x5cea0000u), vec4<u32>(0x33aa301au, 0x15822514u, 0x95a34b7bu, 0xb44b0090u),
                      vec4<u32>(0xfe220000u, 0xa7580500u, 0x25d10000u, 0xf7600000u), vec4<u32>(0x893178dau, 0x1fd4f860u, 0x4ed0a315u, 0xa123ff9fu)),
        Hamsi512Words(vec4<u32>(0xfe220000u, 0xa7580500u, 0x25d10000u, 0xf7600000u), vec4<u32>(0x893178dau, 0x1fd4f860u, 0x4ed0a315u, 0xa123ff9fu),
                      vec4<u32>(0xf2500000u, 0xeebd0a00u, 0x67a80000u, 0xab8a0000u), vec4<u32>(0xba9b48c0u, 0x0a56dd74u, 0xdb73e86eu, 0x1568ff0fu)),
        Hamsi512Words(vec4<u32>(0x45180000u, 0xa5b51700u, 0xf96a0000u, 0x3b480000u), vec4<u32>(0x1ecc142cu, 0x231395d6u, 0x16bca6b0u, 0xdf33f4dfu),
                      vec4<u32>(0xb83d0000u, 0x16710600u, 0x379a0000u, 0xf5b10000u), vec4<u32>(0x228161acu, 0xae48f145u, 0x66241616u, 0xc5c1eb3eu)),
        Hamsi512Words(vec4<u32>(0xb83d0000u, 0x16710600u, 0x379a0000u, 0xf5b10000u), vec4<u32>(0x228161acu, 0xae48f145u, 0x66241616u, 0xc5c1eb3eu),
                      vec4<u32>(0xfd250000u, 0xb3c41100u, 0xcef00000u, 0xcef90000u), vec4<u32>(0x3c4d7580u, 0x8d5b6493u, 0x7098b0a6u, 0x1af21fe1u)),
        Hamsi512Words(vec4<u32>(0x75a40000u, 0xc28b2700u, 0x94a40000u, 0x90f50000u), vec4<u32>(0xfb7857e0u, 0x49ce0baeu, 0x1767c483u, 0xaedf667eu),
                      vec4<u32>(0xd1660000u, 0x1bbc0300u, 0x9eec0000u, 0xf6940000u), vec4<u32>(0x03024527u, 0xcf70fcf2u, 0xb4431b17u, 0x857f3c2bu)),
        Hamsi512Words(vec4<u32>(0xd1660000u, 0x1bbc0300u, 0x9eec0000u, 0xf6940000u), vec4<u32>(0x03024527u, 0xcf70fcf2u, 0xb4431b17u, 0x857f3c2bu),
                      vec4<u32>(0xa4c20000u, 0xd9372400u, 0x0a480000u, 0x66610000u), vec4<u32>(0xf87a12c7u, 0x86bef75cu, 0xa324df94u, 0x2ba05a55u)),
        Hamsi512Words(vec4<u32>(0x75c90003u, 0x0e10c000u, 0xd1200000u, 0xbaea0000u), vec4<u32>(0x8bc42f3eu, 0x8758b757u, 0xbb28761du, 0x00b72e2bu),
                      vec4<u32>(0xeecf0001u, 0x6f564000u, 0xf33e0000u, 0xa79e0000u), vec4<u32>(0xbdb57219u, 0xb711ebc5u, 0x4a3b40bau, 0xfeabf254u)),
        Hamsi512Words(vec4<u32>(0xeecf0001u, 0x6f564000u, 0xf33e0000u, 0xa79e0000u), vec4<u32>(0xbdb57219u, 0xb711ebc5u, 0x4a3b40bau, 0xfeabf254u),
                      vec4<u32>(0x9b060002u, 0x61468000u, 0x221e0000u, 0x1d740000u), vec4<u32>(0x36715d27u, 0x30495c92u, 0xf11336a7u, 0xfe1cdc7fu))
    ),
    array<Hamsi512Words, 8>(
        Hamsi512Words(vec4<u32>(0x86790000u, 0x3f390002u, 0xe19ae000u, 0x98560000u), vec4<u32>(0x9565670eu, 0x4e88c8eau, 0xd3dd4944u, 0x161ddab9u),
                      vec4<u32>(0x30b70000u, 0xe5d00000u, 0xf4f46000u, 0x42c40000u), vec4<u32>(0x63b83d6au, 0x78ba9460u, 0x21afa1eau, 0xb0a51834u)),
        Hamsi512Words(vec4<u32>(0x30b70000u, 0xe5d00000u, 0xf4f46000u, 0x42c40000u), vec4<u32>(0x63b83d6au, 0x78ba9460u, 0x21afa1eau, 0xb0a51834u),
                      vec4<u32>(0xb6ce0000u, 0xdae90002u, 0x156e8000u, 0xda920000u), vec4<u32>(0xf6dd5a64u, 0x36325c8au, 0xf272e8aeu, 0xa6b8c28du)),
        Hamsi512Words(vec4<u32>(0x14190000u, 0x23ca003cu, 0x50df0000u, 0x44b60000u), vec4<u32>(0x1b6c67b0u, 0x3cf3ac75u, 0x61e610b0u, 0xdbcadb80u),
                      vec4<u32>(0xe3430000u, 0x3a4e0014u, 0xf2c60000u, 0xaa4e0000u), vec4<u32>(0xdb1e42a6u, 0x256bbe15u, 0x123db156u, 0x3a4e99d7u)),
        Hamsi512Words(vec4<u32>(0xe3430000u, 0x3a4e0014u, 0xf2c60000u, 0xaa4e0000u), vec4<u32>(0xdb1e42a6u, 0x256bbe15u, 0x123db156u, 0x3a4e99d7u),
                      vec4<u32>(0xf75a0000u, 0x19840028u, 0xa2190000u, 0xeef80000u), vec4<u32>(0xc0722516u, 0x19981260u, 0x73dba1e6u, 0xe1844257u)),
        Hamsi512Words(vec4<u32>(0x54500000u, 0x0671005cu, 0x25ae0000u, 0x6a1e0000u), vec4<u32>(0x2ea54edfu, 0x664e8512u, 0xbfba18c3u, 0x7e715d17u),
                      vec4<u32>(0xbc8d0000u, 0xfc3b0018u, 0x19830000u, 0xd10b0000u), vec4<u32>(0xae1878c4u, 0x42a69856u, 0x0012da37u, 0x2c3b504eu)),
        Hamsi512Words(vec4<u32>(0xbc8d0000u, 0xfc3b0018u, 0x19830000u, 0xd10b0000u), vec4<u32>(0xae1878c4u, 0x42a69856u, 0x0012da37u, 0x2c3b504eu),
                      vec4<u32>(0xe8dd0000u, 0xfa4a0044u, 0x3c2d0000u, 0xbb150000u), vec4<u32>(0x80bd361bu, 0x24e81d44u, 0xbfa8c2f4u, 0x524a0d59u)),
        Hamsi512Words(vec4<u32>(0x69510000u, 0xd4e1009cu, 0xc3230000u, 0xac2f0000u), vec4<u32>(0xe4950baeu, 0xcea415dcu, 0x87ec287cu, 0xbce1a3ceu),
                      vec4<u32>(0xc6730000u, 0xaf8d000cu, 0xa4c10000u, 0x218d0000u), vec4<u32>(0x23111587u, 0x7913512fu, 0x1d28ac88u, 0x378dd173u)),
        Hamsi512Words(vec4<u32>(0xc6730000u, 0xaf8d000cu, 0xa4c10000u, 0x218d0000u), vec4<u32>(0x23111587u, 0x7913512fu, 0x1d28ac88u, 0x378dd173u),
                      vec4<u32>(0xaf220000u, 0x7b6c0090u, 0x67e20000u, 0x8da20000u), vec4<u32>(0xc7841e29u, 0xb7b744f3u, 0x9ac484f4u, 0x8b6c72bdu))
    ),
    array<Hamsi512Words, 8>(
        Hamsi512Words(vec4<u32>(0xcc140000u, 0xa5630000u, 0x5ab90780u, 0x3b500000u), vec4<u32>(0x4bd013ffu, 0x879b3418u, 0x694348c1u, 0xca5a87feu),
                      vec4<u32>(0x819e0000u, 0xec570000u, 0x66320280u, 0x95f30000u), vec4<u32>(0x5da92802u, 0x48f43cbcu, 0xe65aa22du, 0x8e67b7fau)),
        Hamsi512Words(vec4<u32>(0x819e0000u, 0xec570000u, 0x66320280u, 0x95f30000u), vec4<u32>(0x5da92802u, 0x48f43cbcu, 0xe65aa22du, 0x8e67b7fau),
                      vec4<u32>(0x4d8a0000u, 0x49340000u, 0x3c8b0500u, 0xaea30000u), vec4<u32>(0x16793bfdu, 0xcf6f08a4u, 0x8f19eaecu, 0x443d3004u)),
        Hamsi512Words(vec4<u32>(0x78230000u, 0x12fc0000u, 0xa93a0b80u, 0x90a50000u), vec4<u32>(0x713e2879u, 0x7ee98924u, 0xf08ca062u, 0x636f8babu),
                      vec4<u32>(0x02af0000u, 0xb7280000u, 0xba1c0300u, 0x56980000u), vec4<u32>(0xba8d45d3u, 0x8048c667u, 0xa95c149au, 0xf4f6ea7bu)),
        Hamsi512Words(vec4<u32>(0x02af0000u, 0xb7280000u, 0xba1c0300u, 0x56980000u), vec4<u32>(0xba8d45d3u, 0x8048c667u, 0xa95c149au, 0xf4f6ea7bu),
                      vec4<u32>(0x7a8c0000u, 0xa5d40000u, 0x13260880u, 0xc63d0000u), vec4<u32>(0xcbb36daau, 0xfea14f43u, 0x59d0b4f8u, 0x979961d0u)),
        Hamsi512Words(vec4<u32>(0xac480000u, 0x1ba60000u, 0x45fb1380u, 0x03430000u), vec4<u32>(0x5a85316au, 0x1fb250b6u, 0xfe72c7feu, 0x91e478f6u),
                      vec4<u32>(0x1e4e0000u, 0xdecf0000u, 0x6df80180u, 0x77240000u), vec4<u32>(0xec47079eu, 0xf4a0694eu, 0xcda31812u, 0x98aa496eu)),
        Hamsi512Words(vec4<u32>(0x1e4e0000u, 0xdecf0000u, 0x6df80180u, 0x77240000u), vec4<u32>(0xec47079eu, 0xf4a0694eu, 0xcda31812u, 0x98aa496eu),
                      vec4<u32>(0xb2060000u, 0xc5690000u, 0x28031200u, 0x74670000u), vec4<u32>(0xb6c236f4u, 0xeb1239f8u, 0x33d1dfecu, 0x094e3198u)),
        Hamsi512Words(vec4<u32>(0xaec30000u, 0x9c4f0001u, 0x79d1e000u, 0x2c150000u), vec4<u32>(0x45cc75b3u, 0x6650b736u, 0xab92f78fu, 0xa312567bu),
                      vec4<u32>(0xdb250000u, 0x09290000u, 0x49aac000u, 0x81e10000u), vec4<u32>(0xcafe6b59u, 0x42793431u, 0x43566b76u, 0xe86cba2eu)),
        Hamsi512Words(vec4<u32>(0xdb250000u, 0x09290000u, 0x49aac000u, 0x81e10000u), vec4<u32>(0xcafe6b59u, 0x42793431u, 0x43566b76u, 0xe86cba2eu),
                      vec4<u32>(0x75e60000u, 0x95660001u, 0x307b2000u, 0xadf40000u), vec4<u32>(0x8f321eeau, 0x24298307u, 0xe8c49cf9u, 0x4b7eec55u))
    ),
    array<Hamsi512Words, 8>(
        Hamsi512Words(vec4<u32>(0x58430000u, 0x807e0000u, 0x78330001u, 0xc66b3800u), vec4<u32>(0xe7375cdcu, 0x79ad3fddu, 0xac73fe6fu, 0x3a4479b1u),
                      vec4<u32>(0x1d5a0000u, 0x2b720000u, 0x488d0000u, 0xaf611800u), vec4<u32>(0x25cb2ec5u, 0xc879bfd0u, 0x81a20429u, 0x1e7536a6u)),
        Hamsi512Words(vec4<u32>(0x1d5a0000u, 0x2b720000u, 0x488d0000u, 0xaf611800u), vec4<u32>(0x25cb2ec5u, 0xc879bfd0u, 0x81a20429u, 0x1e7536a6u),
                      vec4<u32>(0x45190000u, 0xab0c0000u, 0x30be0001u, 0x690a2000u), vec4<u32>(0xc2fc7219u, 0xb1d4800du, 0x2dd1fa46u, 0x24314f17u)),
        Hamsi512Words(vec4<u32>(0xa53b0000u, 0x14260000u, 0x4e30001eu, 0x7cae0000u), vec4<u32>(0x8f9e0dd5u, 0x78dfaa3du, 0xf73168d8u, 0x0b1b4946u),
                      vec4<u32>(0x07ed0000u, 0xb2500000u, 0x8774000au, 0x970d0000u), vec4<u32>(0x437223aeu, 0x48c76ea4u, 0xf4786222u, 0x9075b1ceu)),
        Hamsi512Words(vec4<u32>(0x07ed0000u, 0xb2500000u, 0x8774000au, 0x970d0000u), vec4<u32>(0x437223aeu, 0x48c76ea4u, 0xf4786222u, 0x9075b1ceu),
                      vec4<u32>(0xa2d60000u, 0xa6760000u, 0xc9440014u, 0xeba30000u), vec4<u32>(0xccec2e7bu, 0x3018c499u, 0x03490afau, 0x9b6ef888u)),
        Hamsi512Words(vec4<u32>(0x88980000u, 0x1f940000u, 0x7fcf002eu, 0xfb4e0000u), vec4<u32>(0xf158079au, 0x61ae9167u, 0xa895706cu, 0xe6107494u),
                      vec4<u32>(0x0bc20000u, 0xdb630000u, 0x7e88000cu, 0x15860000u), vec4<u32>(0x91fd48f3u, 0x7581bb43u, 0xf460449eu, 0xd8b61463u)),
        Hamsi512Words(vec4<u32>(0x0bc20000u, 0xdb630000u, 0x7e88000cu, 0x15860000u), vec4<u32>(0x91fd48f3u, 0x7581bb43u, 0xf460449eu, 0xd8b61463u),
                      vec4<u32>(0x835a0000u, 0xc4f70000u, 0x01470022u, 0xeec80000u), vec4<u32>(0x60a54f69u, 0x142f2a24u, 0x5cf534f2u, 0x3ea660f7u)),
        Hamsi512Words(vec4<u32>(0x52500000u, 0x29540000u, 0x6a61004eu, 0xf0ff0000u), vec4<u32>(0x9a317eecu, 0x452341ceu, 0xcf568fe5u, 0x5303130fu),
                      vec4<u32>(0x538d0000u, 0xa9fc0000u, 0x9ef70006u, 0x56ff0000u), vec4<u32>(0x0ae4004eu, 0x92c5cdf9u, 0xa9444018u, 0x7f975691u)),
        Hamsi512Words(vec4<u32>(0x538d0000u, 0xa9fc0000u, 0x9ef70006u, 0x56ff0000u), vec4<u32>(0x0ae4004eu, 0x92c5cdf9u, 0xa9444018u, 0x7f975691u),
                      vec4<u32>(0x01dd0000u, 0x80a80000u, 0xf4960048u, 0xa6000000u), vec4<u32>(0x90d57ea2u, 0xd7e68c37u, 0x6612cffdu, 0x2c94459eu))
    ),
    array<Hamsi512Words, 8>(
        Hamsi512Words(vec4<u32>(0xe6280000u, 0x4c4b0000u, 0xa8550000u, 0xd3d002e0u), vec4<u32>(0xd86130b8u, 0x98a7b0dau, 0x289506b4u, 0xd75a4897u),
                      vec4<u32>(0xf0c50000u, 0x59230000u, 0x45820000u, 0xe18d00c0u), vec4<u32>(0x3b6d0631u, 0xc2ed5699u, 0xcbe0fe1cu, 0x56a7b19fu)),
        Hamsi512Words(vec4<u32>(0xf0c50000u, 0x59230000u, 0x45820000u, 0xe18d00c0u), vec4<u32>(0x3b6d0631u, 0xc2ed5699u, 0xcbe0fe1cu, 0x56a7b19fu),
                      vec4<u32>(0x16ed0000u, 0x15680000u, 0xedd70000u, 0x325d0220u), vec4<u32>(0xe30c3689u, 0x5a4ae643u, 0xe375f8a8u, 0x81fdf908u)),
        Hamsi512Words(vec4<u32>(0xb4310000u, 0x77330000u, 0xb15d0000u, 0x7fd004e0u), vec4<u32>(0x78a26138u, 0xd116c35du, 0xd256d489u, 0x4e6f74deu),
                      vec4<u32>(0xe3060000u, 0xbdc10000u, 0x87130000u, 0xbff20060u), vec4<u32>(0x2eba0a1au, 0x8db53751u, 0x73c5ab06u, 0x5bd61539u)),
        Hamsi512Words(vec4<u32>(0xe3060000u, 0xbdc10000u, 0x87130000u, 0xbff20060u), vec4<u32>(0x2eba0a1au, 0x8db53751u, 0x73c5ab06u, 0x5bd61539u),
                      vec4<u32>(0x57370000u, 0xcaf20000u, 0x364e0000u, 0xc0220480u), vec4<u32>(0x56186b22u, 0x5ca3f40cu, 0xa1937f8fu, 0x15b961e7u)),
        Hamsi512Words(vec4<u32>(0x02f20000u, 0xa2810000u, 0x873f0000u, 0xe36c7800u), vec4<u32>(0x1e1d74efu, 0x073d2bd6u, 0xc4c23237u, 0x7f32259eu),
                      vec4<u32>(0xbadd0000u, 0x13ad0000u, 0xb7e70000u, 0xf7282800u), vec4<u32>(0xdf45144du, 0x361ac33au, 0xea5a8d14u, 0x2a2c18f0u)),
        Hamsi512Words(vec4<u32>(0xbadd0000u, 0x13ad0000u, 0xb7e70000u, 0xf7282800u), vec4<u32>(0xdf45144du, 0x361ac33au, 0xea5a8d14u, 0x2a2c18f0u),
                      vec4<u32>(0xb82f0000u, 0xb12c0000u, 0x30d80000u, 0x14445000u), vec4<u32>(0xc15860a2u, 0x3127e8ecu, 0x2e98bf23u, 0x551e3d6eu)),
        Hamsi512Words(vec4<u32>(0x1e6c0000u, 0xc4420000u, 0x8a2e0000u, 0xbcb6b800u), vec4<u32>(0x2c4413b6u, 0x8bfdd3dau, 0x6a0c1bc8u, 0xb99dc2ebu),
                      vec4<u32>(0x92560000u, 0x1eda0000u, 0xea510000u, 0xe8b13000u), vec4<u32>(0xa93556a5u, 0xebfb6199u, 0xb15c2254u, 0x33c5244fu)),
        Hamsi512Words(vec4<u32>(0x92560000u, 0x1eda0000u, 0xea510000u, 0xe8b13000u), vec4<u32>(0xa93556a5u, 0xebfb6199u, 0xb15c2254u, 0x33c5244fu),
                      vec4<u32>(0x8c3a0000u, 0xda980000u, 0x607f0000u, 0x54078800u), vec4<u32>(0x85714513u, 0x6006b243u, 0xdb50399cu, 0x8a58e6a4u))
    ),
    array<Hamsi512Words, 8>(
        Hamsi512Words(vec4<u32>(0x033d0000u, 0x08b30000u, 0xf33a0000u, 0x3ac20007u), vec4<u32>(0x51298a50u, 0x6b6e661fu, 0x0ea5cfe3u, 0xe6da7ffeu),
                      vec4<u32>(0xa8da0000u, 0x96be0000u, 0x5c1d0000u, 0x07da0002u), vec4<u32>(0x7d669583u, 0x1f98708au, 0xbb668808u, 0xda878000u)),
        Hamsi512Words(vec4<u32>(0xa8da0000u, 0x96be0000u, 0x5c1d0000u, 0x07da0002u), vec4<u32>(0x7d669583u, 0x1f98708au, 0xbb668808u, 0xda878000u),
                      vec4<u32>(0xabe70000u, 0x9e0d0000u, 0xaf270000u, 0x3d180005u), vec4<u32>(0x2c4f1fd3u, 0x74f61695u, 0xb5c347ebu, 0x3c5dfffeu)),
        Hamsi512Words(vec4<u32>(0x01930000u, 0xe7820000u, 0xedfb0000u, 0xcf0c000bu), vec4<u32>(0x8dd08d58u, 0xbca3b42eu, 0x063661e1u, 0x536f9e7bu),
                      vec4<u32>(0x92280000u, 0xdc850000u, 0x57fa0000u, 0x56dc0003u), vec4<u32>(0xbae92316u, 0x5aefa30cu, 0x90cef752u, 0x7b1675d7u)),
        Hamsi512Words(vec4<u32>(0x92280000u, 0xdc850000u, 0x57fa0000u, 0x56dc0003u), vec4<u32>(0xbae92316u, 0x5aefa30cu, 0x90cef752u, 0x7b1675d7u),
                      vec4<u32>(0x93bb0000u, 0x3b070000u, 0xba010000u, 0x99d00008u), vec4<u32>(0x3739ae4eu, 0xe64c1722u, 0x96f896b3u, 0x2879ebacu)),
        Hamsi512Words(vec4<u32>(0x5fa80000u, 0x56030000u, 0x43ae0000u, 0x64f30013u), vec4<u32>(0x257e86bfu, 0x1311944eu, 0x541e95bfu, 0x8ea4db69u),
                      vec4<u32>(0x00440000u, 0x7f480000u, 0xda7c0000u, 0x2a230001u), vec4<u32>(0x3badc9ccu, 0xa9b69c87u, 0x030a9e60u, 0xbe0a679eu)),
        Hamsi512Words(vec4<u32>(0x00440000u, 0x7f480000u, 0xda7c0000u, 0x2a230001u), vec4<u32>(0x3badc9ccu, 0xa9b69c87u, 0x030a9e60u, 0xbe0a679eu),
                      vec4<u32>(0x5fec0000u, 0x294b0000u, 0x99d20000u, 0x4ed00012u), vec4<u32>(0x1ed34f73u, 0xbaa708c9u, 0x57140bdfu, 0x30aebcf7u)),
        Hamsi512Words(vec4<u32>(0xee930000u, 0xd6070000u, 0x92c10000u, 0x2b9801e0u), vec4<u32>(0x9451287cu, 0x3b6cfb57u, 0x45312374u, 0x201f6a64u),
                      vec4<u32>(0x7b280000u, 0x57420000u, 0xa9e50000u, 0x634300a0u), vec4<u32>(0x9edb442fu, 0x6d9995bbu, 0x27f83b03u, 0xc7ff60f0u)),
        Hamsi512Words(vec4<u32>(0x7b280000u, 0x57420000u, 0xa9e50000u, 0x634300a0u), vec4<u32>(0x9edb442fu, 0x6d9995bbu, 0x27f83b03u, 0xc7ff60f0u),
                      vec4<u32>(0x95bb0000u, 0x81450000u, 0x3b240000u, 0x48db0140u), vec4<u32>(0x0a8a6c53u, 0x56f56eecu, 0x62c91877u, 0xe7e00a94u))
    )
);

// Nothing to prepare: the expansion reads the generator rows as constants of the code.
fn hamsi512_prepare(lid: u32) {}

// Adds generator row g to m if bit 0 of x is set.
fn hamsi512_bit(m: Hamsi512Words, x: u32, g: Hamsi512Words) -> Hamsi512Words {
    let mask = vec4<u32>(0u - (x & 1u));
    return Hamsi512Words(m[0] ^ (g[0] & mask), m[1] ^ (g[1] & mask), m[2] ^ (g[2] & mask), m[3] ^ (g[3] & mask));
}

// Adds the generator rows g of the set bits of byte x (bits 0-7 of x) to m, each row
// indexed by a constant (a run-time index would copy the table).
fn hamsi512_byte(m: Hamsi512Words, x: u32, g: array<Hamsi512Words, 8>) -> Hamsi512Words {
    var e = hamsi512_bit(m, x, g[0]);
    e = hamsi512_bit(e, x >> 1u, g[1]);
    e = hamsi512_bit(e, x >> 2u, g[2]);
    e = hamsi512_bit(e, x >> 3u, g[3]);
    e = hamsi512_bit(e, x >> 4u, g[4]);
    e = hamsi512_bit(e, x >> 5u, g[5]);
    e = hamsi512_bit(e, x >> 6u, g[6]);
    return hamsi512_bit(e, x >> 7u, g[7]);
}

// Message expansion (spec §2.1.1) of the block whose little-endian words are lo, hi:
// the XOR of the generator rows of its set bits.
fn hamsi512_expand(lo: u32, hi: u32) -> Hamsi512Words {
    var m = hamsi512_byte(Hamsi512Words(), lo, HAMSI512_GENERATOR[0]);
    m = hamsi512_byte(m, lo >> 8u, HAMSI512_GENERATOR[1]);
    m = hamsi512_byte(m, lo >> 16u, HAMSI512_GENERATOR[2]);
    m = hamsi512_byte(m, lo >> 24u, HAMSI512_GENERATOR[3]);
    m = hamsi512_byte(m, hi, HAMSI512_GENERATOR[4]);
    m = hamsi512_byte(m, hi >> 8u, HAMSI512_GENERATOR[5]);
    m = hamsi512_byte(m, hi >> 16u, HAMSI512_GENERATOR[6]);
    return hamsi512_byte(m, hi >> 24u, HAMSI512_GENERATOR[7]);
}

// The Serpent S-box S0, bitsliced over four words (spec §2.1.2, substitution), as sphlib.
fn hamsi512_sbox(q: Hamsi512Words) -> Hamsi512Words {
    var a = q[0]; var b = q[1]; var c = q[2]; var d = q[3];
    var t = a;
    a &= c; a ^= d;
    c ^= b; c ^= a;
    d |= t; d ^= b;
    t ^= c;
    b = d;
    d |= t; d ^= a;
    a &= b;
    t ^= a;
    b ^= d; b ^= t;
    return Hamsi512Words(c, d, b, ~t);
}

// Each lane rotated left by n bits (0 < n < 32).
fn hamsi512_rotl(x: vec4<u32>, n: u32) -> vec4<u32> {
    return (x << vec4<u32>(n)) | (x >> vec4<u32>(32u - n));
}

// The Serpent linear transformation L (spec §2.1.2, diffusion).
fn hamsi512_linear(q: Hamsi512Words) -> Hamsi512Words {
    let a = hamsi512_rotl(q[0], 13u);
    let c = hamsi512_rotl(q[2], 3u);
    let b = hamsi512_rotl(q[1] ^ a ^ c, 1u);
    let d = hamsi512_rotl(q[3] ^ c ^ (a << vec4<u32>(3u)), 7u);
    return Hamsi512Words(
        hamsi512_rotl(a ^ b ^ d, 5u), b, hamsi512_rotl(c ^ d ^ (b << vec4<u32>(7u)), 22u), d
    );
}

// One round of P or P_f (spec §2.1.2) with the constants alpha and round counter rc.
fn hamsi512_round(s: array<vec4<u32>, 8>, alpha: array<vec4<u32>, 8>, rc: u32) -> array<vec4<u32>, 8> {
    // Constant addition (the round counter into s_1), then substitution on the columns
    // (s_i, s_(i+8), s_(i+16), s_(i+24)): the lanes of the four rows.
    let lo = hamsi512_sbox(Hamsi512Words(
        s[0] ^ alpha[0] ^ vec4<u32>(0u, rc, 0u, 0u), s[2] ^ alpha[2], s[4] ^ alpha[4], s[6] ^ alpha[6]
    ));
    let hi = hamsi512_sbox(Hamsi512Words(s[1] ^ alpha[1], s[3] ^ alpha[3], s[5] ^ alpha[5], s[7] ^ alpha[7]));
    // Diffusion: L on the diagonals (s_i, s_(8+(i+1)%8), s_(16+(i+2)%8), s_(24+(i+3)%8)),
    // the lanes of the rows once row r is rotated left by r words ...
    let dl = hamsi512_linear(Hamsi512Words(
        lo[0], vec4<u32>(lo[1].yzw, hi[1].x), vec4<u32>(lo[2].zw, hi[2].xy), vec4<u32>(lo[3].w, hi[3].xyz)
    ));
    let dh = hamsi512_linear(Hamsi512Words(
        hi[0], vec4<u32>(hi[1].yzw, lo[1].x), vec4<u32>(hi[2].zw, lo[2].xy), vec4<u32>(hi[3].w, lo[3].xyz)
    ));
    // ... and rotated back,
    var r = array<vec4<u32>, 8>(
        dl[0], dh[0],
        vec4<u32>(dh[1].w, dl[1].xyz), vec4<u32>(dl[1].w, dh[1].xyz),
        vec4<u32>(dh[2].zw, dl[2].xy), vec4<u32>(dl[2].zw, dh[2].xy),
        vec4<u32>(dh[3].yzw, dl[3].x), vec4<u32>(dl[3].yzw, dh[3].x)
    );
    // then L on the quadruples (s_0, s_2, s_5, s_7), (s_16, s_19, s_21, s_22),
    // (s_9, s_11, s_12, s_14) and (s_25, s_26, s_28, s_31), one per lane.
    let x = hamsi512_linear(Hamsi512Words(
        vec4<u32>(r[0].x, r[4].x, r[2].y, r[6].y), vec4<u32>(r[0].z, r[4].w, r[2].w, r[6].z),
        vec4<u32>(r[1].y, r[5].y, r[3].x, r[7].x), vec4<u32>(r[1].w, r[5].z, r[3].z, r[7].w)
    ));
    r[0].x = x[0].x; r[0].z = x[1].x; r[1].y = x[2].x; r[1].w = x[3].x;
    r[4].x = x[0].y; r[4].w = x[1].y; r[5].y = x[2].y; r[5].z = x[3].y;
    r[2].y = x[0].z; r[2].w = x[1].z; r[3].x = x[2].z; r[3].z = x[3].z;
    r[6].y = x[0].w; r[6].z = x[1].w; r[7].x = x[2].w; r[7].w = x[3].w;
    return r;
}

// The compression function (spec §2.2) on the block lo, hi: P (6 rounds), or P_f
// (12 rounds) for the last block.
fn hamsi512_compress(h: ptr<function, Hamsi512Words>, lo: u32, hi: u32, last: bool) {
    let m = hamsi512_expand(lo, hi);
    let c = *h;
    // Concatenation of message and chaining words (spec §2.2, Hamsi-512):
    // m0 m1 c0 c1 m2 m3 c2 c3 | c4 c5 m4 m5 c6 c7 m6 m7 | m8 .. | c12 ..
    var s = array<vec4<u32>, 8>(
        vec4<u32>(m[0].xy, c[0].xy), vec4<u32>(m[0].zw, c[0].zw),
        vec4<u32>(c[1].xy, m[1].xy), vec4<u32>(c[1].zw, m[1].zw),
        vec4<u32>(m[2].xy, c[2].xy), vec4<u32>(m[2].zw, c[2].zw),
        vec4<u32>(c[3].xy, m[3].xy), vec4<u32>(c[3].zw, m[3].zw)
    );
    var alpha = HAMSI512_ALPHA_P;
    if (last) { alpha = HAMSI512_ALPHA_PF; }
    for (var r = 0u; r < select(6u, 12u, last); r++) { s = hamsi512_round(s, alpha, r); }
    // Truncation to rows 0 and 2 of the state, and feed-forward.
    *h = Hamsi512Words(c[0] ^ s[0], c[1] ^ s[1], c[2] ^ s[4], c[3] ^ s[5]);
}

fn hamsi512_hash(msg: ptr<function, array<u32, 20>>) -> array<u32, 16> {
    var h = HAMSI512_IV;
    // The message blocks, then (spec §2.4) the padding block (a 1 bit and zeros, as
    // MSG_BYTES is a multiple of 8) and the 64-bit big-endian length in bits,
    // compressed with P_f. One call site, so that the compression is compiled once.
    let blocks = MSG_BYTES / 8u;
    for (var k = 0u; k < blocks + 2u; k++) {
        var lo = 0x80u;
        var hi = 0u;
        if (k < blocks) {
            lo = (*msg)[2u * k];
            hi = (*msg)[2u * k + 1u];
        } else if (k > blocks) {
            lo = 0u;
            hi = bswap32(MSG_BYTES * 8u);
        }
        hamsi512_compress(&h, lo, hi, k > blocks);
    }

    // The chaining words, big-endian.
    var out: array<u32, 16>;
    for (var i = 0u; i < 16u; i++) { out[i] = bswap32(h[i / 4u][i % 4u]); }
    return out;
}

#include "textflag.h"

// AVX2/FMA and AVX-512 kernels for realFFT32 (fft.go) on split real/imaginary arrays, eight
// or sixteen points per register; the AVX-512 ones are the AVX2 ones on Z registers. Each
// mirrors the pure-Go kernel of the same name with Generic; the Go side guarantees the lengths
// and indices they rely on.

// Lane reversals for splitAVX2 and splitAVX512.
DATA fftRev<>+0(SB)/4, $7
DATA fftRev<>+4(SB)/4, $6
DATA fftRev<>+8(SB)/4, $5
DATA fftRev<>+12(SB)/4, $4
DATA fftRev<>+16(SB)/4, $3
DATA fftRev<>+20(SB)/4, $2
DATA fftRev<>+24(SB)/4, $1
DATA fftRev<>+28(SB)/4, $0
GLOBL fftRev<>(SB), RODATA|NOPTR, $32

DATA fftRev16<>+0(SB)/4, $15
DATA fftRev16<>+4(SB)/4, $14
DATA fftRev16<>+8(SB)/4, $13
DATA fftRev16<>+12(SB)/4, $12
DATA fftRev16<>+16(SB)/4, $11
DATA fftRev16<>+20(SB)/4, $10
DATA fftRev16<>+24(SB)/4, $9
DATA fftRev16<>+28(SB)/4, $8
DATA fftRev16<>+32(SB)/4, $7
DATA fftRev16<>+36(SB)/4, $6
DATA fftRev16<>+40(SB)/4, $5
DATA fftRev16<>+44(SB)/4, $4
DATA fftRev16<>+48(SB)/4, $3
DATA fftRev16<>+52(SB)/4, $2
DATA fftRev16<>+56(SB)/4, $1
DATA fftRev16<>+60(SB)/4, $0
GLOBL fftRev16<>(SB), RODATA|NOPTR, $64

// CMULADD sets (dr, di) += (ar, ai)·(br, bi).
#define CMULADD(ar, ai, br, bi, dr, di) \
	VFMADD231PS ar, br, dr; \
	VFNMADD231PS ai, bi, dr; \
	VFMADD231PS ar, bi, di; \
	VFMADD231PS ai, br, di

// CMUL sets (dr, di) = (wr, wi)·(br, bi); wr and wi may be memory operands.
#define CMUL(wr, wi, br, bi, dr, di, t) \
	VMOVUPS wr, t; \
	VMULPS t, br, dr; \
	VMULPS t, bi, di; \
	VMOVUPS wi, t; \
	VFNMADD231PS t, bi, dr; \
	VFMADD231PS t, br, di

// func loadAVX2(re, im, x, wre, wim []float32, rev []int32, lanes *[5][8]float32)
TEXT ·loadAVX2(SB), NOSPLIT, $0-152
	MOVQ re_base+0(FP), DI
	MOVQ im_base+24(FP), SI
	MOVQ x_base+48(FP), DX
	MOVQ wre_base+72(FP), R8
	MOVQ wim_base+96(FP), R9
	MOVQ rev_base+120(FP), R10
	MOVQ lanes+144(FP), R11
	MOVQ re_len+8(FP), CX
	VMOVUPS 0(R11), Y15  // L = 1: ±1
	VMOVUPS 32(R11), Y14 // L = 2: ±W_4^j
	VMOVUPS 64(R11), Y13
	VMOVUPS 96(R11), Y12 // L = 4: ±W_8^j
	VMOVUPS 128(R11), Y11
	XORQ AX, AX

loadBlock:
	CMPQ AX, CX
	JGE  loadDone
	VMOVDQU (R10)(AX*4), Y0
	VPCMPEQD Y1, Y1, Y1
	VGATHERDPS Y1, (DX)(Y0*8), Y2
	VPCMPEQD Y1, Y1, Y1
	VGATHERDPS Y1, 4(DX)(Y0*8), Y3
	VMULPS (R8)(AX*4), Y2, Y2
	VMULPS (R9)(AX*4), Y3, Y3
	// L = 1: pairs of neighbouring lanes, lo + (±1)·hi.
	VMOVSLDUP Y2, Y4
	VMOVSHDUP Y2, Y5
	VFMADD231PS Y15, Y5, Y4
	VMOVSLDUP Y3, Y6
	VMOVSHDUP Y3, Y7
	VFMADD231PS Y15, Y7, Y6
	// L = 2: lanes 0,1 with 2,3 in each 128-bit half.
	VPERMILPS $0x44, Y4, Y0
	VPERMILPS $0xEE, Y4, Y1
	VPERMILPS $0x44, Y6, Y2
	VPERMILPS $0xEE, Y6, Y3
	CMULADD(Y14, Y13, Y1, Y3, Y0, Y2)
	// L = 4: the two 128-bit halves.
	VPERM2F128 $0x00, Y0, Y0, Y4
	VPERM2F128 $0x11, Y0, Y0, Y5
	VPERM2F128 $0x00, Y2, Y2, Y6
	VPERM2F128 $0x11, Y2, Y2, Y7
	CMULADD(Y12, Y11, Y5, Y7, Y4, Y6)
	VMOVUPS Y4, (DI)(AX*4)
	VMOVUPS Y6, (SI)(AX*4)
	ADDQ $8, AX
	JMP  loadBlock

loadDone:
	VZEROUPPER
	RET

// func radix4AVX2(re, im, tw []float32, l int)
TEXT ·radix4AVX2(SB), NOSPLIT, $0-80
	MOVQ re_base+0(FP), DI
	MOVQ im_base+24(FP), SI
	MOVQ tw_base+48(FP), DX
	MOVQ l+72(FP), BX
	SHLQ $2, BX           // quarter span in bytes
	LEAQ (BX)(BX*1), R13  // 2 quarters
	LEAQ (R13)(BX*1), R14 // 3 quarters
	LEAQ (BX)(BX*4), AX   // 5 rows of twiddles
	MOVQ re_len+8(FP), CX
	SHLQ $2, CX
	XORQ R8, R8 // block start, bytes

r4Block:
	CMPQ R8, CX
	JGE  r4Done
	LEAQ (DI)(R8*1), R10
	LEAQ (SI)(R8*1), R11
	MOVQ DX, R9
	LEAQ (DX)(BX*1), R12

r4Loop:
	VMOVUPS (R10)(BX*1), Y0
	VMOVUPS (R11)(BX*1), Y1
	CMUL((R9), (R9)(BX*1), Y0, Y1, Y2, Y3, Y8)      // x1 = W^{2j}·q1
	VMOVUPS (R10)(R13*1), Y0
	VMOVUPS (R11)(R13*1), Y1
	CMUL((R9)(R13*1), (R9)(R14*1), Y0, Y1, Y4, Y5, Y8) // x2 = W^j·q2
	VMOVUPS (R10)(R14*1), Y0
	VMOVUPS (R11)(R14*1), Y1
	CMUL((R9)(BX*4), (R9)(AX*1), Y0, Y1, Y6, Y7, Y8)   // x3 = W^{3j}·q3
	VMOVUPS (R10), Y0
	VMOVUPS (R11), Y1
	VADDPS Y2, Y0, Y8  // p = x0 + x1
	VADDPS Y3, Y1, Y9
	VSUBPS Y2, Y0, Y0  // q = x0 − x1
	VSUBPS Y3, Y1, Y1
	VADDPS Y6, Y4, Y10 // r = x2 + x3
	VADDPS Y7, Y5, Y11
	VSUBPS Y6, Y4, Y4  // t = x2 − x3
	VSUBPS Y7, Y5, Y5
	VADDPS Y10, Y8, Y12
	VADDPS Y11, Y9, Y13
	VMOVUPS Y12, (R10)
	VMOVUPS Y13, (R11)
	VSUBPS Y10, Y8, Y8
	VSUBPS Y11, Y9, Y9
	VMOVUPS Y8, (R10)(R13*1)
	VMOVUPS Y9, (R11)(R13*1)
	VADDPS Y5, Y0, Y10 // q − i·t
	VSUBPS Y4, Y1, Y11
	VMOVUPS Y10, (R10)(BX*1)
	VMOVUPS Y11, (R11)(BX*1)
	VSUBPS Y5, Y0, Y0  // q + i·t
	VADDPS Y4, Y1, Y1
	VMOVUPS Y0, (R10)(R14*1)
	VMOVUPS Y1, (R11)(R14*1)
	ADDQ $32, R9
	ADDQ $32, R10
	ADDQ $32, R11
	CMPQ R9, R12
	JLT  r4Loop
	LEAQ (R8)(BX*4), R8
	JMP  r4Block

r4Done:
	VZEROUPPER
	RET

// func radix2AVX2(re, im, tw []float32, l int)
TEXT ·radix2AVX2(SB), NOSPLIT, $0-80
	MOVQ re_base+0(FP), DI
	MOVQ im_base+24(FP), SI
	MOVQ tw_base+48(FP), DX
	MOVQ l+72(FP), BX
	SHLQ $2, BX // half span in bytes
	MOVQ re_len+8(FP), CX
	SHLQ $2, CX
	XORQ R8, R8

r2Block:
	CMPQ R8, CX
	JGE  r2Done
	LEAQ (DI)(R8*1), R10
	LEAQ (SI)(R8*1), R11
	MOVQ DX, R9
	LEAQ (DX)(BX*1), R12

r2Loop:
	VMOVUPS (R10)(BX*1), Y0
	VMOVUPS (R11)(BX*1), Y1
	CMUL((R9), (R9)(BX*1), Y0, Y1, Y2, Y3, Y8) // t = W^j·b
	VMOVUPS (R10), Y4
	VMOVUPS (R11), Y5
	VADDPS Y2, Y4, Y6
	VADDPS Y3, Y5, Y7
	VSUBPS Y2, Y4, Y4
	VSUBPS Y3, Y5, Y5
	VMOVUPS Y6, (R10)
	VMOVUPS Y7, (R11)
	VMOVUPS Y4, (R10)(BX*1)
	VMOVUPS Y5, (R11)(BX*1)
	ADDQ $32, R9
	ADDQ $32, R10
	ADDQ $32, R11
	CMPQ R9, R12
	JLT  r2Loop
	LEAQ (R8)(BX*2), R8
	JMP  r2Block

r2Done:
	VZEROUPPER
	RET

// func splitAVX2(dst, re, im, sre, sim []float32, scale, floor float32)
TEXT ·splitAVX2(SB), NOSPLIT, $0-128
	MOVQ dst_base+0(FP), DI
	MOVQ re_base+24(FP), SI
	MOVQ im_base+48(FP), DX
	MOVQ sre_base+72(FP), R10
	MOVQ sim_base+96(FP), R11
	VBROADCASTSS scale+120(FP), Y14
	VBROADCASTSS floor+124(FP), Y13
	VMOVDQU fftRev<>(SB), Y15
	MOVQ $1, R8  // k
	MOVQ re_len+32(FP), R9
	SUBQ $8, R9  // M − k − 7: the first of the eight mirrored bins

splitLoop:
	CMPQ R9, $1
	JLT  splitDone
	VMOVUPS (SI)(R8*4), Y0 // a
	VMOVUPS (DX)(R8*4), Y1
	VPERMPS (SI)(R9*4), Y15, Y2 // b = Z[M−k], lanes reversed
	VPERMPS (DX)(R9*4), Y15, Y3
	VSUBPS Y2, Y0, Y4 // d = a − b*
	VADDPS Y3, Y1, Y5
	VADDPS Y2, Y0, Y6 // a + b*
	VSUBPS Y3, Y1, Y7
	VMOVUPS (R10)(R8*4), Y8
	VMOVUPS (R11)(R8*4), Y9
	VFNMADD231PS Y8, Y4, Y6 // − s·d
	VFMADD231PS Y9, Y5, Y6
	VFNMADD231PS Y9, Y4, Y7
	VFNMADD231PS Y8, Y5, Y7
	VMULPS Y6, Y6, Y6
	VFMADD231PS Y7, Y7, Y6
	VMULPS Y14, Y6, Y6
	VCMPPS $5, Y13, Y6, Y0 // not below the floor (NaN passes, as in Go)
	VANDPS Y0, Y6, Y6
	VMOVUPS Y6, (DI)(R8*4)
	ADDQ $8, R8
	SUBQ $8, R9
	JMP  splitLoop

splitDone:
	VZEROUPPER
	RET

// func radix4AVX512(re, im, tw []float32, l int)
TEXT ·radix4AVX512(SB), NOSPLIT, $0-80
	MOVQ re_base+0(FP), DI
	MOVQ im_base+24(FP), SI
	MOVQ tw_base+48(FP), DX
	MOVQ l+72(FP), BX
	SHLQ $2, BX           // quarter span in bytes
	LEAQ (BX)(BX*1), R13  // 2 quarters
	LEAQ (R13)(BX*1), R14 // 3 quarters
	LEAQ (BX)(BX*4), AX   // 5 rows of twiddles
	MOVQ re_len+8(FP), CX
	SHLQ $2, CX
	XORQ R8, R8 // block start, bytes

r4BlockZ:
	CMPQ R8, CX
	JGE  r4DoneZ
	LEAQ (DI)(R8*1), R10
	LEAQ (SI)(R8*1), R11
	MOVQ DX, R9
	LEAQ (DX)(BX*1), R12

r4LoopZ:
	VMOVUPS (R10)(BX*1), Z0
	VMOVUPS (R11)(BX*1), Z1
	CMUL((R9), (R9)(BX*1), Z0, Z1, Z2, Z3, Z8)      // x1 = W^{2j}·q1
	VMOVUPS (R10)(R13*1), Z0
	VMOVUPS (R11)(R13*1), Z1
	CMUL((R9)(R13*1), (R9)(R14*1), Z0, Z1, Z4, Z5, Z8) // x2 = W^j·q2
	VMOVUPS (R10)(R14*1), Z0
	VMOVUPS (R11)(R14*1), Z1
	CMUL((R9)(BX*4), (R9)(AX*1), Z0, Z1, Z6, Z7, Z8)   // x3 = W^{3j}·q3
	VMOVUPS (R10), Z0
	VMOVUPS (R11), Z1
	VADDPS Z2, Z0, Z8  // p = x0 + x1
	VADDPS Z3, Z1, Z9
	VSUBPS Z2, Z0, Z0  // q = x0 − x1
	VSUBPS Z3, Z1, Z1
	VADDPS Z6, Z4, Z10 // r = x2 + x3
	VADDPS Z7, Z5, Z11
	VSUBPS Z6, Z4, Z4  // t = x2 − x3
	VSUBPS Z7, Z5, Z5
	VADDPS Z10, Z8, Z12
	VADDPS Z11, Z9, Z13
	VMOVUPS Z12, (R10)
	VMOVUPS Z13, (R11)
	VSUBPS Z10, Z8, Z8
	VSUBPS Z11, Z9, Z9
	VMOVUPS Z8, (R10)(R13*1)
	VMOVUPS Z9, (R11)(R13*1)
	VADDPS Z5, Z0, Z10 // q − i·t
	VSUBPS Z4, Z1, Z11
	VMOVUPS Z10, (R10)(BX*1)
	VMOVUPS Z11, (R11)(BX*1)
	VSUBPS Z5, Z0, Z0  // q + i·t
	VADDPS Z4, Z1, Z1
	VMOVUPS Z0, (R10)(R14*1)
	VMOVUPS Z1, (R11)(R14*1)
	ADDQ $64, R9
	ADDQ $64, R10
	ADDQ $64, R11
	CMPQ R9, R12
	JLT  r4LoopZ
	LEAQ (R8)(BX*4), R8
	JMP  r4BlockZ

r4DoneZ:
	VZEROUPPER
	RET

// func radix2AVX512(re, im, tw []float32, l int)
TEXT ·radix2AVX512(SB), NOSPLIT, $0-80
	MOVQ re_base+0(FP), DI
	MOVQ im_base+24(FP), SI
	MOVQ tw_base+48(FP), DX
	MOVQ l+72(FP), BX
	SHLQ $2, BX // half span in bytes
	MOVQ re_len+8(FP), CX
	SHLQ $2, CX
	XORQ R8, R8

r2BlockZ:
	CMPQ R8, CX
	JGE  r2DoneZ
	LEAQ (DI)(R8*1), R10
	LEAQ (SI)(R8*1), R11
	MOVQ DX, R9
	LEAQ (DX)(BX*1), R12

r2LoopZ:
	VMOVUPS (R10)(BX*1), Z0
	VMOVUPS (R11)(BX*1), Z1
	CMUL((R9), (R9)(BX*1), Z0, Z1, Z2, Z3, Z8) // t = W^j·b
	VMOVUPS (R10), Z4
	VMOVUPS (R11), Z5
	VADDPS Z2, Z4, Z6
	VADDPS Z3, Z5, Z7
	VSUBPS Z2, Z4, Z4
	VSUBPS Z3, Z5, Z5
	VMOVUPS Z6, (R10)
	VMOVUPS Z7, (R11)
	VMOVUPS Z4, (R10)(BX*1)
	VMOVUPS Z5, (R11)(BX*1)
	ADDQ $64, R9
	ADDQ $64, R10
	ADDQ $64, R11
	CMPQ R9, R12
	JLT  r2LoopZ
	LEAQ (R8)(BX*2), R8
	JMP  r2BlockZ

r2DoneZ:
	VZEROUPPER
	RET

// func splitAVX512(dst, re, im, sre, sim []float32, scale, floor float32)
TEXT ·splitAVX512(SB), NOSPLIT, $0-128
	MOVQ dst_base+0(FP), DI
	MOVQ re_base+24(FP), SI
	MOVQ im_base+48(FP), DX
	MOVQ sre_base+72(FP), R10
	MOVQ sim_base+96(FP), R11
	VBROADCASTSS scale+120(FP), Z14
	VBROADCASTSS floor+124(FP), Z13
	VMOVDQU32 fftRev16<>(SB), Z15
	MOVQ $1, R8  // k
	MOVQ re_len+32(FP), R9
	SUBQ $16, R9 // M − k − 15: the first of the sixteen mirrored bins

splitLoopZ:
	CMPQ R9, $1
	JLT  splitDoneZ
	VMOVUPS (SI)(R8*4), Z0 // a
	VMOVUPS (DX)(R8*4), Z1
	VPERMPS (SI)(R9*4), Z15, Z2 // b = Z[M−k], lanes reversed
	VPERMPS (DX)(R9*4), Z15, Z3
	VSUBPS Z2, Z0, Z4 // d = a − b*
	VADDPS Z3, Z1, Z5
	VADDPS Z2, Z0, Z6 // a + b*
	VSUBPS Z3, Z1, Z7
	VMOVUPS (R10)(R8*4), Z8
	VMOVUPS (R11)(R8*4), Z9
	VFNMADD231PS Z8, Z4, Z6 // − s·d
	VFMADD231PS Z9, Z5, Z6
	VFNMADD231PS Z9, Z4, Z7
	VFNMADD231PS Z8, Z5, Z7
	VMULPS Z6, Z6, Z6
	VFMADD231PS Z7, Z7, Z6
	VMULPS Z14, Z6, Z6
	VCMPPS $5, Z13, Z6, K1 // not below the floor (NaN passes, as in Go)
	VMOVAPS.Z Z6, K1, Z0
	VMOVUPS Z0, (DI)(R8*4)
	ADDQ $16, R8
	SUBQ $16, R9
	JMP  splitLoopZ

splitDoneZ:
	VZEROUPPER
	RET

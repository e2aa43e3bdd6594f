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

// CMUL sets (dr, di) = (wr, wi)·(br, bi); wr and wi may be memory operands.
#define CMUL(wr, wi, br, bi, dr, di, t) \
	VMOVUPS wr, t; \
	VMULPS t, br, dr; \
	VMULPS t, bi, di; \
	VMOVUPS wi, t; \
	VFNMADD231PS t, bi, dr; \
	VFMADD231PS t, br, di

// √½ in float32, for W_8 and W_8³.
DATA fftC<>+0(SB)/4, $0x3f3504f3
GLOBL fftC<>(SB), RODATA|NOPTR, $4

// LOADV sets (re, im) to eight consecutive complex points of x (xlo, xhi: 16 floats) times the
// window (wlo, whi). The deinterleave within 128-bit halves leaves the points in lane order
// 0 1 4 5 2 3 6 7, which only changes which block each lane is stored to.
#define LOADV(xlo, xhi, wlo, whi, re, im, t) \
	VMOVUPS xlo, re; \
	VMOVUPS xhi, t; \
	VMULPS wlo, re, re; \
	VMULPS whi, t, t; \
	VSHUFPS $0xDD, t, re, im; \
	VSHUFPS $0x88, t, re, re

// FOURPOINT does the radix-2 stages L = 1, 2 on the points (Y0, Y1) … (Y6, Y7), by way of
// Y8–Y15, and stores the results in the scratch rows p … p+3.
#define FOURPOINT(p) \
	VADDPS Y2, Y0, Y8; \
	VADDPS Y3, Y1, Y9; \
	VSUBPS Y2, Y0, Y10; \
	VSUBPS Y3, Y1, Y11; \
	VADDPS Y6, Y4, Y12; \
	VADDPS Y7, Y5, Y13; \
	VSUBPS Y6, Y4, Y14; \
	VSUBPS Y7, Y5, Y15; \
	VADDPS Y12, Y8, Y0; \
	VADDPS Y13, Y9, Y1; \
	VSUBPS Y12, Y8, Y4; \
	VSUBPS Y13, Y9, Y5; \
	VADDPS Y15, Y10, Y2; \
	VSUBPS Y14, Y11, Y3; \
	VSUBPS Y15, Y10, Y6; \
	VADDPS Y14, Y11, Y7; \
	VMOVUPS Y0, (32*p)(SP); \
	VMOVUPS Y1, (256+32*p)(SP); \
	VMOVUPS Y2, (32*p+32)(SP); \
	VMOVUPS Y3, (256+32*p+32)(SP); \
	VMOVUPS Y4, (32*p+64)(SP); \
	VMOVUPS Y5, (256+32*p+64)(SP); \
	VMOVUPS Y6, (32*p+96)(SP); \
	VMOVUPS Y7, (256+32*p+96)(SP)

// TRANSPOSE8 transposes the 8×8 floats in Y0–Y7 into Y8–Y15 (row i of the result is lane i).
#define TRANSPOSE8 \
	VUNPCKLPS Y1, Y0, Y8; \
	VUNPCKHPS Y1, Y0, Y9; \
	VUNPCKLPS Y3, Y2, Y10; \
	VUNPCKHPS Y3, Y2, Y11; \
	VUNPCKLPS Y5, Y4, Y12; \
	VUNPCKHPS Y5, Y4, Y13; \
	VUNPCKLPS Y7, Y6, Y14; \
	VUNPCKHPS Y7, Y6, Y15; \
	VSHUFPS $0x44, Y10, Y8, Y0; \
	VSHUFPS $0xEE, Y10, Y8, Y1; \
	VSHUFPS $0x44, Y11, Y9, Y2; \
	VSHUFPS $0xEE, Y11, Y9, Y3; \
	VSHUFPS $0x44, Y14, Y12, Y4; \
	VSHUFPS $0xEE, Y14, Y12, Y5; \
	VSHUFPS $0x44, Y15, Y13, Y6; \
	VSHUFPS $0xEE, Y15, Y13, Y7; \
	VPERM2F128 $0x20, Y4, Y0, Y8; \
	VPERM2F128 $0x20, Y5, Y1, Y9; \
	VPERM2F128 $0x20, Y6, Y2, Y10; \
	VPERM2F128 $0x20, Y7, Y3, Y11; \
	VPERM2F128 $0x31, Y4, Y0, Y12; \
	VPERM2F128 $0x31, Y5, Y1, Y13; \
	VPERM2F128 $0x31, Y6, Y2, Y14; \
	VPERM2F128 $0x31, Y7, Y3, Y15

// STOREBLOCKS loads scratch rows off … off+224 (the eight outputs of one part), transposes
// them and stores lane i's block at (CX) or (AX) (odd lanes) plus 0, 1, 2 or 3 rows of M/8.
#define STOREBLOCKS(off) \
	VMOVUPS (off)(SP), Y0; \
	VMOVUPS (off+32)(SP), Y1; \
	VMOVUPS (off+64)(SP), Y2; \
	VMOVUPS (off+96)(SP), Y3; \
	VMOVUPS (off+128)(SP), Y4; \
	VMOVUPS (off+160)(SP), Y5; \
	VMOVUPS (off+192)(SP), Y6; \
	VMOVUPS (off+224)(SP), Y7; \
	TRANSPOSE8; \
	VMOVUPS Y8, (CX); \
	VMOVUPS Y9, (AX); \
	VMOVUPS Y10, (CX)(R13*1); \
	VMOVUPS Y11, (AX)(R13*1); \
	VMOVUPS Y12, (CX)(R13*2); \
	VMOVUPS Y13, (AX)(R13*2); \
	VMOVUPS Y14, (CX)(R14*1); \
	VMOVUPS Y15, (AX)(R14*1)

// func loadAVX2(re, im, x, win []float32, rev []int32)
//
// Block g (points 8g … 8g+7 of the bit-reversed array) holds the inputs rev(g') + s·M/8,
// s = 0 … 7 in bit-reversed order, where rev(g') is g reversed in log2(M)−3 bits. Eight
// consecutive r0 … r0+7 of those are eight blocks spaced M/64 apart, so one iteration loads
// eight contiguous rows (one per s), does the eight-point DFTs down the rows and transposes.
// The scratch frame holds the 8 + 8 rows between the halves of the work.
TEXT ·loadAVX2(SB), $512-120
	MOVQ re_base+0(FP), DI
	MOVQ im_base+24(FP), SI
	MOVQ x_base+48(FP), DX
	MOVQ win_base+72(FP), R8
	MOVQ rev_base+96(FP), R10
	MOVQ re_len+8(FP), R11 // M floats = M/8 complex points: the stride s, in bytes
	MOVQ R11, R13
	SHRQ $1, R13           // M/8 floats in bytes: blocks g and g + M/64
	LEAQ (R13)(R13*2), R14 // 3·M/8 floats in bytes
	XORQ R12, R12          // 8·r0

loadIter:
	CMPQ R12, R11
	JGE  loadDone
	LEAQ (DX)(R12*1), BX
	LEAQ (R8)(R12*1), R9
	LEAQ (BX)(R11*4), CX
	LEAQ (R9)(R11*4), AX
	// Points 0–3 of each block: s = 0, 4, 2, 6.
	LOADV((BX), 32(BX), (R9), 32(R9), Y0, Y1, Y8)
	LOADV((BX)(R11*4), 32(BX)(R11*4), (R9)(R11*4), 32(R9)(R11*4), Y2, Y3, Y8)
	LOADV((BX)(R11*2), 32(BX)(R11*2), (R9)(R11*2), 32(R9)(R11*2), Y4, Y5, Y8)
	LOADV((BX)(R14*4), 32(BX)(R14*4), (R9)(R14*4), 32(R9)(R14*4), Y6, Y7, Y8)
	FOURPOINT(0)
	// Points 4–7: s = 1, 5, 3, 7.
	LOADV((BX)(R11*1), 32(BX)(R11*1), (R9)(R11*1), 32(R9)(R11*1), Y0, Y1, Y8)
	LOADV((CX)(R11*1), 32(CX)(R11*1), (AX)(R11*1), 32(AX)(R11*1), Y2, Y3, Y8)
	LOADV((BX)(R14*2), 32(BX)(R14*2), (R9)(R14*2), 32(R9)(R14*2), Y4, Y5, Y8)
	LOADV((CX)(R14*2), 32(CX)(R14*2), (AX)(R14*2), 32(AX)(R14*2), Y6, Y7, Y8)
	FOURPOINT(4)
	// L = 4: row q with row q+4 times 1, W_8, −i, W_8³.
	VBROADCASTSS fftC<>(SB), Y15
	VMOVUPS 0(SP), Y8 // q = 0
	VMOVUPS 256(SP), Y9
	VMOVUPS 128(SP), Y0
	VMOVUPS 384(SP), Y1
	VADDPS Y0, Y8, Y10
	VADDPS Y1, Y9, Y11
	VSUBPS Y0, Y8, Y8
	VSUBPS Y1, Y9, Y9
	VMOVUPS Y10, 0(SP)
	VMOVUPS Y11, 256(SP)
	VMOVUPS Y8, 128(SP)
	VMOVUPS Y9, 384(SP)
	VMOVUPS 32(SP), Y8 // q = 1: W_8·(x, y) = c(x + y, y − x)
	VMOVUPS 288(SP), Y9
	VMOVUPS 160(SP), Y0
	VMOVUPS 416(SP), Y1
	VADDPS Y1, Y0, Y12
	VSUBPS Y0, Y1, Y13
	VMULPS Y15, Y12, Y12
	VMULPS Y15, Y13, Y13
	VADDPS Y12, Y8, Y10
	VADDPS Y13, Y9, Y11
	VSUBPS Y12, Y8, Y8
	VSUBPS Y13, Y9, Y9
	VMOVUPS Y10, 32(SP)
	VMOVUPS Y11, 288(SP)
	VMOVUPS Y8, 160(SP)
	VMOVUPS Y9, 416(SP)
	VMOVUPS 64(SP), Y8 // q = 2: −i·(x, y) = (y, −x)
	VMOVUPS 320(SP), Y9
	VMOVUPS 192(SP), Y0
	VMOVUPS 448(SP), Y1
	VADDPS Y1, Y8, Y10
	VSUBPS Y0, Y9, Y11
	VSUBPS Y1, Y8, Y8
	VADDPS Y0, Y9, Y9
	VMOVUPS Y10, 64(SP)
	VMOVUPS Y11, 320(SP)
	VMOVUPS Y8, 192(SP)
	VMOVUPS Y9, 448(SP)
	VMOVUPS 96(SP), Y8 // q = 3: W_8³·(x, y) = (c(y − x), −c(x + y))
	VMOVUPS 352(SP), Y9
	VMOVUPS 224(SP), Y0
	VMOVUPS 480(SP), Y1
	VSUBPS Y0, Y1, Y12
	VADDPS Y1, Y0, Y13
	VMULPS Y15, Y12, Y12
	VMULPS Y15, Y13, Y13 // −imaginary part
	VADDPS Y12, Y8, Y10
	VSUBPS Y13, Y9, Y11
	VSUBPS Y12, Y8, Y8
	VADDPS Y13, Y9, Y9
	VMOVUPS Y10, 96(SP)
	VMOVUPS Y11, 352(SP)
	VMOVUPS Y8, 224(SP)
	VMOVUPS Y9, 480(SP)
	// Transpose into the eight blocks: lane i goes 0 4 1 5 2 6 3 7 rows of M/8 past rev(r0).
	MOVLQSX (R10), BX
	LEAQ (DI)(BX*4), CX
	LEAQ (CX)(R13*4), AX
	STOREBLOCKS(0)
	LEAQ (SI)(BX*4), CX
	LEAQ (CX)(R13*4), AX
	STOREBLOCKS(256)
	ADDQ $64, R12
	ADDQ $32, R10
	JMP  loadIter

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

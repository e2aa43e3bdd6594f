#include "textflag.h"

// Inner products for the polyphase resampler: for each b,
// dst[do[b]] = Σ_{i<k} coef[co[b]+i]·x[xo[b]+i]. Four vector accumulators per output hide
// the FMA latency; outputs that share a coefficient row are paired so the row is loaded
// once for two of them (loads, not FMAs, are the bottleneck). k must be a multiple of the
// vector width; the Go side guarantees every index is in range.

// SUMY adds ya+yb+yc+yd into lane 0 of xa, the low half of ya; xb is the low half of yb.
// All four are clobbered.
#define SUMY(ya, yb, yc, yd, xa, xb) \
	VADDPS yb, ya, ya; \
	VADDPS yd, yc, yc; \
	VADDPS yc, ya, ya; \
	VEXTRACTF128 $1, ya, xb; \
	VADDPS xb, xa, xa; \
	VMOVHLPS xa, xa, xb; \
	VADDPS xb, xa, xa; \
	VMOVSHDUP xa, xb; \
	VADDSS xb, xa, xa

// SUMZ is SUMY for Z registers; ya and yb are the low halves of za and zb.
#define SUMZ(za, zb, zc, zd, ya, yb, xa, xb) \
	VADDPS zb, za, za; \
	VADDPS zd, zc, zc; \
	VADDPS zc, za, za; \
	VEXTRACTF32X8 $1, za, yb; \
	VADDPS yb, ya, ya; \
	VEXTRACTF128 $1, ya, xb; \
	VADDPS xb, xa, xa; \
	VMOVHLPS xa, xa, xb; \
	VADDPS xb, xa, xa; \
	VMOVSHDUP xa, xb; \
	VADDSS xb, xa, xa

// func convolveFMA(dst, coef, x []float32, co, xo, do []int32, k int)
TEXT ·convolveFMA(SB), NOSPLIT, $0-152
	MOVQ dst_base+0(FP), DI
	MOVQ coef_base+24(FP), SI
	MOVQ x_base+48(FP), DX
	MOVQ co_base+72(FP), R8
	MOVQ xo_base+96(FP), R9
	MOVQ k+144(FP), R10
	SHLQ $2, R10 // taps in bytes
	XORQ R11, R11

fmaOutput:
	CMPQ R11, co_len+80(FP)
	JGE  fmaDone
	MOVLQSX (R8)(R11*4), AX
	MOVLQSX (R9)(R11*4), BX
	// Two outputs that share a coefficient row (same phase) are computed together,
	// loading the row once for both.
	LEAQ 1(R11), R12
	CMPQ R12, co_len+80(FP)
	JGE  fmaSingle
	MOVLQSX (R8)(R12*4), R13
	CMPQ R13, AX
	JNE  fmaSingle
	MOVLQSX (R9)(R12*4), CX
	LEAQ (SI)(AX*4), AX
	LEAQ (DX)(BX*4), BX
	LEAQ (DX)(CX*4), CX
	VXORPS Y0, Y0, Y0
	VXORPS Y1, Y1, Y1
	VXORPS Y2, Y2, Y2
	VXORPS Y3, Y3, Y3
	VXORPS Y4, Y4, Y4
	VXORPS Y5, Y5, Y5
	VXORPS Y6, Y6, Y6
	VXORPS Y7, Y7, Y7
	XORQ R12, R12

fmaPair4:
	LEAQ 128(R12), R13
	CMPQ R13, R10
	JGT  fmaPair1
	VMOVUPS (AX)(R12*1), Y8
	VMOVUPS 32(AX)(R12*1), Y9
	VMOVUPS 64(AX)(R12*1), Y10
	VMOVUPS 96(AX)(R12*1), Y11
	VFMADD231PS (BX)(R12*1), Y8, Y0
	VFMADD231PS (CX)(R12*1), Y8, Y4
	VFMADD231PS 32(BX)(R12*1), Y9, Y1
	VFMADD231PS 32(CX)(R12*1), Y9, Y5
	VFMADD231PS 64(BX)(R12*1), Y10, Y2
	VFMADD231PS 64(CX)(R12*1), Y10, Y6
	VFMADD231PS 96(BX)(R12*1), Y11, Y3
	VFMADD231PS 96(CX)(R12*1), Y11, Y7
	MOVQ R13, R12
	JMP  fmaPair4

fmaPair1:
	CMPQ R12, R10
	JGE  fmaPairSum
	VMOVUPS (AX)(R12*1), Y8
	VFMADD231PS (BX)(R12*1), Y8, Y0
	VFMADD231PS (CX)(R12*1), Y8, Y4
	ADDQ $32, R12
	JMP  fmaPair1

fmaPairSum:
	SUMY(Y0, Y1, Y2, Y3, X0, X1)
	SUMY(Y4, Y5, Y6, Y7, X4, X5)
	MOVQ do_base+120(FP), R13
	MOVLQSX (R13)(R11*4), R12
	VMOVSS X0, (DI)(R12*4)
	MOVLQSX 4(R13)(R11*4), R12
	VMOVSS X4, (DI)(R12*4)
	ADDQ $2, R11
	JMP  fmaOutput

fmaSingle:
	LEAQ (SI)(AX*4), AX
	LEAQ (DX)(BX*4), BX
	VXORPS Y0, Y0, Y0
	VXORPS Y1, Y1, Y1
	VXORPS Y2, Y2, Y2
	VXORPS Y3, Y3, Y3
	XORQ R12, R12

fmaSingle4:
	LEAQ 128(R12), R13
	CMPQ R13, R10
	JGT  fmaSingle1
	VMOVUPS (AX)(R12*1), Y8
	VMOVUPS 32(AX)(R12*1), Y9
	VMOVUPS 64(AX)(R12*1), Y10
	VMOVUPS 96(AX)(R12*1), Y11
	VFMADD231PS (BX)(R12*1), Y8, Y0
	VFMADD231PS 32(BX)(R12*1), Y9, Y1
	VFMADD231PS 64(BX)(R12*1), Y10, Y2
	VFMADD231PS 96(BX)(R12*1), Y11, Y3
	MOVQ R13, R12
	JMP  fmaSingle4

fmaSingle1:
	CMPQ R12, R10
	JGE  fmaSingleSum
	VMOVUPS (AX)(R12*1), Y8
	VFMADD231PS (BX)(R12*1), Y8, Y0
	ADDQ $32, R12
	JMP  fmaSingle1

fmaSingleSum:
	SUMY(Y0, Y1, Y2, Y3, X0, X1)
	MOVQ do_base+120(FP), R13
	MOVLQSX (R13)(R11*4), R12
	VMOVSS X0, (DI)(R12*4)
	INCQ R11
	JMP  fmaOutput

fmaDone:
	VZEROUPPER
	RET

// func convolveAVX512(dst, coef, x []float32, co, xo, do []int32, k int)
TEXT ·convolveAVX512(SB), NOSPLIT, $0-152
	MOVQ dst_base+0(FP), DI
	MOVQ coef_base+24(FP), SI
	MOVQ x_base+48(FP), DX
	MOVQ co_base+72(FP), R8
	MOVQ xo_base+96(FP), R9
	MOVQ k+144(FP), R10
	SHLQ $2, R10 // taps in bytes
	XORQ R11, R11

avxOutput:
	CMPQ R11, co_len+80(FP)
	JGE  avxDone
	MOVLQSX (R8)(R11*4), AX
	MOVLQSX (R9)(R11*4), BX
	// Two outputs that share a coefficient row (same phase) are computed together,
	// loading the row once for both.
	LEAQ 1(R11), R12
	CMPQ R12, co_len+80(FP)
	JGE  avxSingle
	MOVLQSX (R8)(R12*4), R13
	CMPQ R13, AX
	JNE  avxSingle
	MOVLQSX (R9)(R12*4), CX
	LEAQ (SI)(AX*4), AX
	LEAQ (DX)(BX*4), BX
	LEAQ (DX)(CX*4), CX
	VXORPS Z0, Z0, Z0
	VXORPS Z1, Z1, Z1
	VXORPS Z2, Z2, Z2
	VXORPS Z3, Z3, Z3
	VXORPS Z4, Z4, Z4
	VXORPS Z5, Z5, Z5
	VXORPS Z6, Z6, Z6
	VXORPS Z7, Z7, Z7
	XORQ R12, R12

avxPair4:
	LEAQ 256(R12), R13
	CMPQ R13, R10
	JGT  avxPair1
	VMOVUPS (AX)(R12*1), Z8
	VMOVUPS 64(AX)(R12*1), Z9
	VMOVUPS 128(AX)(R12*1), Z10
	VMOVUPS 192(AX)(R12*1), Z11
	VFMADD231PS (BX)(R12*1), Z8, Z0
	VFMADD231PS (CX)(R12*1), Z8, Z4
	VFMADD231PS 64(BX)(R12*1), Z9, Z1
	VFMADD231PS 64(CX)(R12*1), Z9, Z5
	VFMADD231PS 128(BX)(R12*1), Z10, Z2
	VFMADD231PS 128(CX)(R12*1), Z10, Z6
	VFMADD231PS 192(BX)(R12*1), Z11, Z3
	VFMADD231PS 192(CX)(R12*1), Z11, Z7
	MOVQ R13, R12
	JMP  avxPair4

avxPair1:
	CMPQ R12, R10
	JGE  avxPairSum
	VMOVUPS (AX)(R12*1), Z8
	VFMADD231PS (BX)(R12*1), Z8, Z0
	VFMADD231PS (CX)(R12*1), Z8, Z4
	ADDQ $64, R12
	JMP  avxPair1

avxPairSum:
	SUMZ(Z0, Z1, Z2, Z3, Y0, Y1, X0, X1)
	SUMZ(Z4, Z5, Z6, Z7, Y4, Y5, X4, X5)
	MOVQ do_base+120(FP), R13
	MOVLQSX (R13)(R11*4), R12
	VMOVSS X0, (DI)(R12*4)
	MOVLQSX 4(R13)(R11*4), R12
	VMOVSS X4, (DI)(R12*4)
	ADDQ $2, R11
	JMP  avxOutput

avxSingle:
	LEAQ (SI)(AX*4), AX
	LEAQ (DX)(BX*4), BX
	VXORPS Z0, Z0, Z0
	VXORPS Z1, Z1, Z1
	VXORPS Z2, Z2, Z2
	VXORPS Z3, Z3, Z3
	XORQ R12, R12

avxSingle4:
	LEAQ 256(R12), R13
	CMPQ R13, R10
	JGT  avxSingle1
	VMOVUPS (AX)(R12*1), Z8
	VMOVUPS 64(AX)(R12*1), Z9
	VMOVUPS 128(AX)(R12*1), Z10
	VMOVUPS 192(AX)(R12*1), Z11
	VFMADD231PS (BX)(R12*1), Z8, Z0
	VFMADD231PS 64(BX)(R12*1), Z9, Z1
	VFMADD231PS 128(BX)(R12*1), Z10, Z2
	VFMADD231PS 192(BX)(R12*1), Z11, Z3
	MOVQ R13, R12
	JMP  avxSingle4

avxSingle1:
	CMPQ R12, R10
	JGE  avxSingleSum
	VMOVUPS (AX)(R12*1), Z8
	VFMADD231PS (BX)(R12*1), Z8, Z0
	ADDQ $64, R12
	JMP  avxSingle1

avxSingleSum:
	SUMZ(Z0, Z1, Z2, Z3, Y0, Y1, X0, X1)
	MOVQ do_base+120(FP), R13
	MOVLQSX (R13)(R11*4), R12
	VMOVSS X0, (DI)(R12*4)
	INCQ R11
	JMP  avxOutput

avxDone:
	VZEROUPPER
	RET

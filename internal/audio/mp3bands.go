package audio

// Layer III tables from ISO/IEC 11172-3 (MPEG-1) and 13818-3 (MPEG-2 LSF).

// mp3SfbLong and mp3SfbShort are the scale factor band boundaries in spectral lines (short:
// lines of one window), by [MPEG-1, MPEG-2][rate index of the header].
var mp3SfbLong = [2][3][23]int{
	{
		{0, 4, 8, 12, 16, 20, 24, 30, 36, 44, 52, 62, 74, 90, 110, 134, 162, 196, 238, 288, 342, 418, 576},
		{0, 4, 8, 12, 16, 20, 24, 30, 36, 42, 50, 60, 72, 88, 106, 128, 156, 190, 230, 276, 330, 384, 576},
		{0, 4, 8, 12, 16, 20, 24, 30, 36, 44, 54, 66, 82, 102, 126, 156, 194, 240, 296, 364, 448, 550, 576},
	},
	{
		{0, 6, 12, 18, 24, 30, 36, 44, 54, 66, 80, 96, 116, 140, 168, 200, 238, 284, 336, 396, 464, 522, 576},
		{0, 6, 12, 18, 24, 30, 36, 44, 54, 66, 80, 96, 114, 136, 162, 194, 232, 278, 332, 394, 464, 540, 576},
		{0, 6, 12, 18, 24, 30, 36, 44, 54, 66, 80, 96, 116, 140, 168, 200, 238, 284, 336, 396, 464, 522, 576},
	},
}

var mp3SfbShort = [2][3][14]int{
	{
		{0, 4, 8, 12, 16, 22, 30, 40, 52, 66, 84, 106, 136, 192},
		{0, 4, 8, 12, 16, 22, 28, 38, 50, 64, 80, 100, 126, 192},
		{0, 4, 8, 12, 16, 22, 30, 42, 58, 78, 104, 138, 180, 192},
	},
	{
		{0, 4, 8, 12, 18, 24, 32, 42, 56, 74, 100, 132, 174, 192},
		{0, 4, 8, 12, 18, 26, 36, 48, 62, 80, 104, 136, 180, 192},
		{0, 4, 8, 12, 18, 26, 36, 48, 62, 80, 104, 134, 174, 192},
	},
}

// mp3Slen gives the bit lengths of MPEG-1 scale factors (bands 0–10 and 11–20) for each
// scalefac_compress.
var mp3Slen = [2][16]int{
	{0, 0, 0, 0, 3, 1, 1, 1, 2, 2, 2, 3, 3, 3, 4, 4},
	{0, 1, 2, 3, 0, 1, 2, 3, 1, 2, 3, 1, 2, 3, 2, 3},
}

// mp3Pretab is the pre-emphasis added to long-block scale factors when preflag is set.
var mp3Pretab = [22]int{0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 3, 3, 3, 2, 0}

// mp3LSFBands is how many scale factors each of the four slen parts holds in MPEG-2, by
// scalefac_compress range and by block kind (long, short, mixed); short counts are bands × 3
// windows. (The intensity-stereo rows are not here: such streams go to the fallback decoder.)
var mp3LSFBands = [3][3][4]int{
	{{6, 5, 5, 5}, {9, 9, 9, 9}, {6, 9, 9, 9}},
	{{6, 5, 7, 3}, {9, 9, 12, 6}, {6, 9, 12, 6}},
	{{11, 10, 0, 0}, {18, 18, 0, 0}, {15, 18, 0, 0}},
}

// mp3Linbits is how many extra bits follow a value of 15 in each big-value table.
var mp3Linbits = [32]int{16: 1, 2, 3, 4, 6, 8, 10, 13, 4, 5, 6, 7, 8, 9, 11, 13}

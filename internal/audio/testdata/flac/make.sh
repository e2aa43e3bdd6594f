#!/bin/sh
# Writes the FLAC streams the decoder is checked against (TestFLACMatchesReference): ffmpeg's
# encoder with each channel mode, predictor kind, sample size, coded block size and sample rate.
# The streams are committed; rerun only to add a case. Made with ffmpeg 5.1 (Debian 12).
set -eu
cd "$(dirname "$0")"
ff() { ffmpeg -hide_banner -loglevel error -y -fflags +bitexact -flags:a +bitexact "$@"; }
music="sine=f=220:r=44100:d=0.3,volume=0.5[a];anoisesrc=r=44100:d=0.3:a=0.1:c=pink[b];[a][b]amix=inputs=2"
ff -filter_complex "$music,pan=stereo|c0=c0|c1=0.7*c0" -sample_fmt s16 -c:a flac -compression_level 5 stereo16_level5.flac
ff -filter_complex "$music,pan=stereo|c0=c0|c1=0.5*c0" -sample_fmt s16 -c:a flac -compression_level 0 -ch_mode left_side stereo16_fixed_leftside.flac
ff -filter_complex "$music,pan=stereo|c0=c0|c1=0.9*c0" -sample_fmt s16 -c:a flac -compression_level 8 -ch_mode right_side stereo16_rightside.flac
ff -filter_complex "$music,aresample=96000,pan=stereo|c0=c0|c1=0.6*c0" -sample_fmt s32 -bits_per_raw_sample 24 -c:a flac -compression_level 12 -ch_mode mid_side stereo24_96k_lpc32_midside.flac
ff -f lavfi -i "anoisesrc=r=44100:d=0.2:a=1:c=white" -sample_fmt s16 -c:a flac -exact_rice_parameters 1 mono16_white_noise.flac
ff -f lavfi -i "sine=f=330:r=48000:d=0.2" -filter_complex "pan=5.1|c0=c0|c1=0.5*c0|c2=0.25*c0|c3=0.1*c0|c4=0.8*c0|c5=0.3*c0" -c:a flac six16.flac
ff -filter_complex "$music,aformat=sample_fmts=u8,aformat=sample_fmts=s16" -sample_fmt s16 -c:a flac mono16_wasted_bits.flac
ff -f lavfi -i "anullsrc=r=12000:cl=mono" -t 0.1 -c:a flac mono16_silence_12k.flac
ff -f lavfi -i "sine=f=440:r=11025:d=0.3" -frame_size 1000 -c:a flac mono16_11025_block1000.flac
ff -f lavfi -i "sine=f=440:r=22050:d=0.1" -frame_size 100 -c:a flac mono16_block100.flac

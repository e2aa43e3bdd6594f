#!/bin/sh
# Writes the MP3 streams the Layer III decoder is checked against (TestMP3MatchesFFmpeg): LAME
# through ffmpeg at each MPEG-1 and MPEG-2 rate, mono, stereo and joint stereo, CBR and VBR,
# with and without the bit reservoir. The signal mixes tones, pink noise and clicks every 0.15 s,
# so every stream has short and transition blocks as well as long ones. The streams are
# committed; rerun only to add a case. Made with ffmpeg 5.1 and LAME 3.100 (Debian 12).
set -eu
cd "$(dirname "$0")"
ff() { ffmpeg -hide_banner -loglevel error -y -fflags +bitexact -flags:a +bitexact "$@"; }
sig() { # rate, channels
	ff -f lavfi -i "aevalsrc=0.25*sin(2*PI*330*t)+0.6*sin(2*PI*1200*t)*exp(-60*mod(t\,0.15))+0.1*sin(2*PI*55*t)|0.2*sin(2*PI*495*t)+0.5*sin(2*PI*2500*t)*exp(-80*mod(t+0.05\,0.15)):s=$1:d=0.8" \
		-f lavfi -i "anoisesrc=r=$1:d=0.8:a=0.08:c=pink" \
		-filter_complex "[0][1]amix=inputs=2:normalize=0,pan=$2" -f wav sig.wav
}
sig 44100 "stereo|c0=c0|c1=c1"
ff -i sig.wav -c:a libmp3lame -q:a 2 mpeg1_44k_joint_vbr.mp3
ff -i sig.wav -c:a libmp3lame -b:a 320k -joint_stereo 0 mpeg1_44k_stereo_320.mp3
ff -i sig.wav -c:a libmp3lame -b:a 96k -reservoir 0 mpeg1_44k_joint_96_noreservoir.mp3
sig 48000 "stereo|c0=c0|c1=c1"
ff -i sig.wav -c:a libmp3lame -b:a 128k mpeg1_48k_joint_128.mp3
sig 32000 "mono|c0=c0"
ff -i sig.wav -c:a libmp3lame -b:a 64k mpeg1_32k_mono_64.mp3
sig 22050 "stereo|c0=c0|c1=c1"
ff -i sig.wav -c:a libmp3lame -b:a 64k mpeg2_22k_joint_64.mp3
sig 24000 "mono|c0=c0"
ff -i sig.wav -c:a libmp3lame -q:a 4 mpeg2_24k_mono_vbr.mp3
sig 16000 "stereo|c0=c0|c1=c1"
ff -i sig.wav -c:a libmp3lame -b:a 48k -joint_stereo 0 mpeg2_16k_stereo_48.mp3
rm sig.wav

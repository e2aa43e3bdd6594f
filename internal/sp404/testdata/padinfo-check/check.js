// check.js parses the PAD_INFO.BIN named on the command line with
// @uttori/audio-padinfo and prints its pads as JSON on stdout. The Go tests
// use it as a parser written by someone else, so a misreading of the format
// in our writer cannot hide behind a matching misreading in our reader.
'use strict';

const fs = require('fs');
const { AudioPadInfo } = require('@uttori/audio-padinfo');

const file = process.argv[2];
if (!file) {
  process.stderr.write('usage: node check.js PAD_INFO.BIN\n');
  process.exit(2);
}
const info = AudioPadInfo.fromFile(fs.readFileSync(file));
process.stdout.write(JSON.stringify(info.pads));
process.stdout.write('\n');

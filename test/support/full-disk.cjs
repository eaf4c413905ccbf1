// Preloaded into a nashub child process with --require: every file whose path contains NASHUB_FULL_DISK_MATCH is
// opened on /dev/full instead, where each write fails with the kernel's ENOSPC: a real full disk for those files only.
const fs = require('node:fs');

const match = process.env.NASHUB_FULL_DISK_MATCH;
const openSync = fs.openSync;
fs.openSync = function openOnFullDisk(path, flags, mode) {
  if (match && String(path).includes(match)) return openSync.call(fs, '/dev/full', 'w');
  return openSync.call(fs, path, flags, mode);
};

// Preloaded into a child process by the memory test: reports the process's peak resident set size when it exits.
process.on('exit', () => {
  process.stderr.write(`peak-rss-kb ${process.resourceUsage().maxRSS}\n`);
});

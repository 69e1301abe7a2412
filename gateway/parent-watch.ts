/**
 * Preloaded (node --import) into each function process of process mode: exits when the gateway's stdin pipe
 * closes, so a gateway killed with -9 leaves no orphan function processes behind.
 */
if (!process.stdin.isTTY) {
  process.stdin.on('end', () => process.exit(0));
  process.stdin.on('error', () => process.exit(0));
  process.stdin.resume();
}

// Starts the app's Vite on 127.0.0.1 (any free port), in dev mode (`serve.mjs dev`) or previewing the build
// (`serve.mjs preview`), prints the page's URL as one line, and stops when stdin closes.
import { createServer, preview } from 'vite';

const mode = process.argv[2];
const server =
  mode === 'dev'
    ? await createServer({ server: { host: '127.0.0.1', port: 0 }, logLevel: 'error' })
    : await preview({ preview: { host: '127.0.0.1', port: 0 }, logLevel: 'error' });
if (mode === 'dev') await server.listen();
console.log(server.resolvedUrls.local[0]);
process.stdin.resume();
process.stdin.on('end', async () => {
  await server.close();
  process.exit(0);
});

// A minimal page to create the first administrator from the browser with the one-time setup link.
import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../platform/context.js';

const page = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>Abri — first administrator</title>
<style>body{font:16px/1.5 system-ui,sans-serif;max-width:28rem;margin:3rem auto;padding:0 1rem;color:#1b1b1b}
label{display:block;margin-top:1rem}input{width:100%;padding:.5rem;font:inherit;box-sizing:border-box}
button{margin-top:1.5rem;padding:.6rem 1.2rem;font:inherit;background:#1d4ed8;color:#fff;border:0;border-radius:4px}
#msg{margin-top:1rem}</style></head>
<body><main><h1>Create the first administrator</h1>
<p>This link works once. Choose the email and password of Abri's first administrator.</p>
<form id="f"><label for="email">Email</label><input id="email" type="email" autocomplete="username" required>
<label for="password">Password (10 characters or more)</label><input id="password" type="password" autocomplete="new-password" minlength="10" required>
<button type="submit">Create administrator</button></form><p id="msg" role="status"></p></main>
<script>
document.getElementById('f').addEventListener('submit', async (e) => {
  e.preventDefault();
  const r = await fetch('/api/v1/setup', { method: 'POST', headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ token: location.hash.slice(1), email: document.getElementById('email').value, password: document.getElementById('password').value }) });
  const body = await r.json();
  document.getElementById('msg').textContent = r.ok ? 'Done: you are logged in as ' + body.user.email + '.' : (body.detail || 'failed');
  if (r.ok) location.href = '/';
});
</script></body></html>`;

export function setupPage(server: FastifyInstance, _app: AppContext) {
  server.get('/setup', async (_req, reply) => reply.type('text/html; charset=utf-8').send(page));
}

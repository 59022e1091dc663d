import { pino, type Logger } from 'pino';

/** Structured JSON logs on stderr (stdout stays for command output). */
export function createLogger(level: string): Logger {
  return pino({ level, redact: { paths: ['*.password', '*.token', '*.secret', 'req.headers.authorization', 'req.headers.cookie'], censor: '[redacted]' } }, pino.destination(2));
}

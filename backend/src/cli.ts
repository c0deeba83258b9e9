// `npm run cli -- admin create --email <e> --password <p>` (PROTOCOL.md §10), and key rotation.
import { parseArgs } from 'node:util';
import { ClubpassError } from '@clubpass/shared';
import { pino } from 'pino';
import { systemClock } from './clock.js';
import { ConfigError, loadConfig } from './config/load-config.js';
import { registerAccount } from './domain/members/register-member.js';
import { emailSchema, passwordSchema } from './http/schemas.js';
import { openRuntime } from './runtime.js';

const USAGE = `Usage:
  npm run cli -- admin create --email <email> --password <password> [--given-name <n>] [--family-name <n>]
  npm run cli -- keys rotate

The database is the one DATABASE_URL names (default: ./data/clubpass.sqlite).`;

async function main(argv: string[]): Promise<number> {
  const { positionals, values } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      email: { type: 'string' },
      password: { type: 'string' },
      'given-name': { type: 'string' },
      'family-name': { type: 'string' },
      help: { type: 'boolean' },
    },
  });
  const command = positionals.join(' ');
  if (values.help || (command !== 'admin create' && command !== 'keys rotate')) {
    console.log(USAGE);
    return values.help ? 0 : 64;
  }
  const config = loadConfig(process.env, process.cwd());
  const runtime = await openRuntime(config, systemClock(), pino({ level: 'warn' }));
  try {
    if (command === 'keys rotate') {
      const jwk = await runtime.keyRing.rotate();
      console.log(`New signing key ${jwk.kid}; the previous key stays published until its credentials expire.`);
      return 0;
    }
    const email = emailSchema.safeParse(values.email ?? '');
    const password = passwordSchema.safeParse(values.password ?? '');
    if (!email.success || !password.success) {
      console.error('admin create needs --email <a valid address> and --password <8 to 256 characters>.');
      return 64;
    }
    const admin = await registerAccount(
      runtime.deps,
      {
        email: email.data,
        password: password.data,
        givenName: values['given-name'] ?? 'Club',
        familyName: values['family-name'] ?? 'Admin',
        phoneNumber: null,
        address: null,
      },
      'admin',
    );
    console.log(`Created admin ${admin.id} <${admin.email}>. Sign in with POST /v1/sessions.`);
    return 0;
  } finally {
    await runtime.close();
  }
}

try {
  process.exitCode = await main(process.argv.slice(2));
} catch (error) {
  if (error instanceof ConfigError) console.error(`clubpass: configuration error: ${error.message}`);
  else if (error instanceof ClubpassError) console.error(`clubpass: ${error.message}`);
  else console.error(error);
  process.exitCode = 1;
}

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

/** Bad arguments: what was wrong and the usage, on stderr, and exit status 64 (EX_USAGE). */
function usageError(message: string): number {
  console.error(`${message}\n\n${USAGE}`);
  return 64;
}

function parseArguments(argv: string[]) {
  return parseArgs({
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
}

async function main(argv: string[]): Promise<number> {
  let parsed: ReturnType<typeof parseArguments>;
  try {
    parsed = parseArguments(argv);
  } catch (error) {
    // An unknown option or an option without its value is a usage error, not a crash.
    return usageError(error instanceof Error ? error.message : String(error));
  }
  const { positionals, values } = parsed;
  const command = positionals.join(' ');
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  if (command !== 'admin create' && command !== 'keys rotate') {
    return usageError(command === '' ? 'No command given.' : `Unknown command "${command}".`);
  }
  // Arguments are checked before the database is opened: a typo creates nothing.
  const email = emailSchema.safeParse(values.email ?? '');
  const password = passwordSchema.safeParse(values.password ?? '');
  if (command === 'admin create' && (!email.success || !password.success)) {
    return usageError('admin create needs --email <a valid address> and --password <8 to 256 characters>.');
  }
  const config = loadConfig(process.env, process.cwd());
  const runtime = await openRuntime(config, systemClock(), pino({ level: 'warn' }));
  try {
    if (command === 'keys rotate') {
      const jwk = await runtime.keyRing.rotate();
      console.log(`New signing key ${jwk.kid}; the previous key stays published until its credentials expire.`);
      return 0;
    }
    if (!email.success || !password.success) return 64; // checked above
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

import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadConfig, type Config } from '@openmsk/config';
import { SecretBox, accountService, createDb, loadOrCreateMasterKey } from '@openmsk/db';

/**
 * First run: a `default` account with one access key and one API token, written to
 * <home>/credentials (AWS shared-credentials format, profile `openmsk`), <home>/config and <home>/token.
 * Later runs change nothing.
 */
export async function bootstrap(config: Config): Promise<{ created: boolean; accountId: string }> {
  const db = createDb(config.OPENMSK_DATABASE_URL, 2);
  try {
    const accounts = accountService(db, new SecretBox(loadOrCreateMasterKey(config.OPENMSK_HOME, config.OPENMSK_MASTER_KEY)));
    const existing = await accounts.findAccount('default');
    const credentials = join(config.OPENMSK_HOME, 'credentials');
    if (existing && existsSync(credentials)) return { created: false, accountId: existing.id };
    const account = existing ?? (await accounts.createAccount('default'));
    const key = await accounts.createAccessKey(account.id);
    const token = await accounts.createApiToken(account.id, 'default');
    mkdirSync(config.OPENMSK_HOME, { recursive: true, mode: 0o700 });
    writeFileSync(
      credentials,
      `[openmsk]\naws_access_key_id = ${key.accessKeyId}\naws_secret_access_key = ${key.secretAccessKey}\n`,
      { mode: 0o600 },
    );
    writeFileSync(join(config.OPENMSK_HOME, 'config'), `[profile openmsk]\nregion = ${config.OPENMSK_REGION}\noutput = json\n`);
    writeFileSync(join(config.OPENMSK_HOME, 'token'), `${token}\n`, { mode: 0o600 });
    return { created: true, accountId: account.id };
  } finally {
    await db.$disconnect();
  }
}

if (require.main === module) {
  const config = loadConfig();
  bootstrap(config)
    .then(({ created, accountId }) => {
      const where = config.OPENMSK_HOME;
      console.log(created
        ? `[bootstrap] created account ${accountId} (default); credentials in ${where}/credentials, API token in ${where}/token`
        : `[bootstrap] account ${accountId} (default) already set up; credentials in ${where}/credentials`);
    })
    .catch((e) => {
      console.error(`[bootstrap] ${e.message}`);
      process.exit(1);
    });
}

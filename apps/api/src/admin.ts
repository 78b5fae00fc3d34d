import { loadConfig } from '@openmsk/config';
import { SecretBox, accountCertificateAuthority, accountService, createDb, loadOrCreateMasterKey } from '@openmsk/db';
import { createActiveRootCa } from './acmpca/operations';

const USAGE = `usage: npm run admin -- <command>
  create-account <name>             a new account (12-digit id)
  create-access-key <account>       an access key pair for SigV4 (AWS CLI/SDK); account = id or name
  create-token <account> [name]     a bearer token for curl and Swagger UI
  list-accounts
  ca <account>                      the account's CA certificate (PEM), for clients of TLS listeners
  private-ca <account> <common-name> [region]
                                    an ACM Private CA root CA, ACTIVE in one call (EC P-256); prints its ARN`;

/** The admin command: accounts, access keys and tokens. Secrets are printed once and stored encrypted. */
async function main(argv: string[]) {
  const config = loadConfig();
  const db = createDb(config.OPENMSK_DATABASE_URL, 2);
  const box = new SecretBox(loadOrCreateMasterKey(config.OPENMSK_HOME, config.OPENMSK_MASTER_KEY));
  const accounts = accountService(db, box);
  const need = async (ref: string | undefined) => {
    const a = ref ? await accounts.findAccount(ref) : null;
    if (!a) throw new Error(`no account ${ref ?? '(missing)'}`);
    return a;
  };
  try {
    const [cmd, a1, a2] = argv;
    switch (cmd) {
      case 'create-account': {
        if (!a1) throw new Error(USAGE);
        const a = await accounts.createAccount(a1);
        console.log(JSON.stringify({ accountId: a.id, name: a.name }));
        break;
      }
      case 'create-access-key':
        console.log(JSON.stringify(await accounts.createAccessKey((await need(a1)).id)));
        break;
      case 'create-token':
        console.log(JSON.stringify({ token: await accounts.createApiToken((await need(a1)).id, a2 ?? 'admin') }));
        break;
      case 'ca':
        process.stdout.write((await accountCertificateAuthority(db, box, (await need(a1)).id)).certPem);
        break;
      case 'private-ca': {
        const [, , , region = config.OPENMSK_REGION] = argv;
        if (!a2) throw new Error(USAGE);
        const ctx = { principal: { accountId: (await need(a1)).id }, region, deps: { db, box } };
        const Subject = { CommonName: a2 };
        console.log(JSON.stringify(await createActiveRootCa(ctx, { CertificateAuthorityConfiguration: { KeyAlgorithm: 'EC_prime256v1', SigningAlgorithm: 'SHA256WITHECDSA', Subject } })));
        break;
      }
      case 'list-accounts':
        for (const a of await db.account.findMany({ orderBy: { createdAt: 'asc' } })) console.log(`${a.id}\t${a.name}`);
        break;
      default:
        throw new Error(USAGE);
    }
  } finally {
    await db.$disconnect();
  }
}

main(process.argv.slice(2)).catch((e) => {
  console.error(e.message);
  process.exit(1);
});

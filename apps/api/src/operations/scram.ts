import type { Handler } from '../context';
import * as scram from '../services/scram';

/** SASL/SCRAM secrets, by AWS operation name (services/scram.ts). */
export const scramHandlers: Record<string, Handler> = {
  BatchAssociateScramSecret: (ctx, input) => scram.batchAssociateScramSecret(ctx, input.ClusterArn, input.SecretArnList),
  BatchDisassociateScramSecret: (ctx, input) => scram.batchDisassociateScramSecret(ctx, input.ClusterArn, input.SecretArnList),
  ListScramSecrets: (ctx, input) => scram.listScramSecrets(ctx, input.ClusterArn, input),
};

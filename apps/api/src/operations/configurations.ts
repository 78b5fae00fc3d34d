import type { Handler } from '../context';
import * as configurations from '../services/configurations';

/** Configuration operations, by AWS operation name. */
export const configurationHandlers: Record<string, Handler> = {
  CreateConfiguration: (ctx, input) => configurations.createConfiguration(ctx, input as never),
  DescribeConfiguration: async (ctx, input) =>
    configurations.toConfiguration(ctx, await configurations.findConfiguration(ctx, input.Arn)),
  UpdateConfiguration: (ctx, input) => configurations.updateConfiguration(ctx, input.Arn, input as never),
  ListConfigurations: (ctx, input) => configurations.listConfigurations(ctx, input),
  ListConfigurationRevisions: (ctx, input) => configurations.listConfigurationRevisions(ctx, input.Arn, input),
  DescribeConfigurationRevision: (ctx, input) => configurations.describeConfigurationRevision(ctx, input.Arn, input.Revision),
  DeleteConfiguration: (ctx, input) => configurations.deleteConfiguration(ctx, input.Arn),
};

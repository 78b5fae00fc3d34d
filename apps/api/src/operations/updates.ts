import type {
  RebootBrokerRequest, UpdateBrokerCountRequest, UpdateBrokerStorageRequest, UpdateBrokerTypeRequest,
  UpdateClusterConfigurationRequest, UpdateClusterKafkaVersionRequest, UpdateMonitoringRequest, UpdateSecurityRequest, UpdateStorageRequest,
} from '@aws-sdk/client-kafka';
import type { Handler } from '../context';
import * as updates from '../services/updates';

/** Cluster update operations, by AWS operation name; each answers {ClusterArn, ClusterOperationArn}. */
export const updateHandlers: Record<string, Handler> = {
  UpdateClusterConfiguration: (ctx, input) => updates.updateClusterConfiguration(ctx, input as UpdateClusterConfigurationRequest),
  UpdateBrokerStorage: (ctx, input) => updates.updateBrokerStorage(ctx, input as UpdateBrokerStorageRequest),
  UpdateStorage: (ctx, input) => updates.updateStorage(ctx, input as UpdateStorageRequest),
  UpdateBrokerCount: (ctx, input) => updates.updateBrokerCount(ctx, input as UpdateBrokerCountRequest),
  UpdateBrokerType: (ctx, input) => updates.updateBrokerType(ctx, input as UpdateBrokerTypeRequest),
  RebootBroker: (ctx, input) => updates.rebootBroker(ctx, input as RebootBrokerRequest),
  UpdateClusterKafkaVersion: (ctx, input) => updates.updateClusterKafkaVersion(ctx, input as UpdateClusterKafkaVersionRequest),
  UpdateMonitoring: (ctx, input) => updates.updateMonitoring(ctx, input as UpdateMonitoringRequest),
  UpdateSecurity: (ctx, input) => updates.updateSecurity(ctx, input as UpdateSecurityRequest),
};

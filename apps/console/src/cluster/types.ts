import type { ClusterInfo } from '../api';

/** DescribeCluster's clusterInfo (wire names): ListClusters' fields and the ones a cluster page shows. */
export interface ClusterDetail extends ClusterInfo {
  currentVersion: string;
  currentBrokerSoftwareInfo?: { kafkaVersion?: string; configurationArn?: string; configurationRevision?: number };
  enhancedMonitoring?: string;
  encryptionInfo?: { encryptionInTransit?: { clientBroker?: string; inCluster?: boolean } };
  clientAuthentication?: {
    sasl?: { scram?: { enabled?: boolean }; iam?: { enabled?: boolean } };
    tls?: { enabled?: boolean; certificateAuthorityArnList?: string[] };
    unauthenticated?: { enabled?: boolean };
  };
  stateInfo?: { code?: string; message?: string };
  zookeeperConnectString?: string;
}

/**
 * What every tab of a cluster's page gets: the token, the cluster as DescribeCluster last answered (re-read every few
 * seconds), `onError` (true when it ended the session: a 401/403), the path below the tab (`/console/clusters/<arn>/
 * <tab>/<rest...>`) and `navigate` to change it, and `onOperation` to tell the page an action started an operation
 * (the page then shows the operations tab with it).
 */
export interface TabProps {
  token: string;
  cluster: ClusterDetail;
  onError: (e: unknown) => boolean;
  rest: string[];
  navigate: (rest: string[]) => void;
  onOperation: (operationArn: string) => void;
}

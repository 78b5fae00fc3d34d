import * as domain from '../src';

test('the package entry point exports every module', () => {
  for (const name of [
    'listKafkaVersions', 'findKafkaVersion', 'compatibleTargets', 'isKraft', 'findInstanceType', 'listInstanceTypes',
    'parseProperties', 'renderProperties', 'propertiesToMap',
    'validateServerProperties', 'allowedKeys',
    'clusterArn', 'configurationArn', 'clusterOperationArn', 'nodeArn', 'parseArn', 'newResourceId',
    'newCurrentVersion', 'isCurrentVersion',
    'validateCreateCluster', 'applyCreateDefaults', 'createClusterV2ToV1', 'assertConfigurationAllowsVersion',
    'validateCreateConfiguration', 'validateUpdateConfiguration', 'validateTags',
    'assertClusterState', 'assertCurrentVersion', 'assertSecurityCombination',
    'buildServerProperties', 'CONTROL_PLANE_KEYS',
  ]) {
    expect(domain).toHaveProperty(name);
  }
});

import {
  IAM_TOKEN_VALIDATOR_CLASS, INTERNAL_PRINCIPAL, brokerProperties, controllerProperties, nodeLayout, securityOf, type ClusterTopology, type PlacedNode, type SecuritySettings,
} from '../src/node-config';

function topology(kafkaVersion: string, security: SecuritySettings): ClusterTopology {
  let next = 9000;
  const nodes: PlacedNode[] = nodeLayout(kafkaVersion, 1, ['a'], security).map((n) => ({
    ...n,
    ports: Object.fromEntries(n.purposes.map((p) => [p, next++])),
  }));
  return { kafkaVersion, host: '127.0.0.1', security, nodes };
}

const scram = (unauthenticated: boolean): SecuritySettings => ({ clientBroker: 'TLS', inCluster: true, auth: { scram: true, unauthenticated } });
const msk = new Map([['allow.everyone.if.no.acl.found', 'true']]);

describe('listeners and authorizer from the client authentication', () => {
  test('an open cluster: no SASL listener, no authorizer, internal listeners without client certificates', () => {
    const t = topology('3.9.x', { clientBroker: 'TLS_PLAINTEXT', inCluster: true });
    const b = brokerProperties(t, t.nodes[0], msk);
    expect(b.get('listener.security.protocol.map')).toBe('CLIENT:PLAINTEXT,CLIENT_SECURE:SSL,REPLICATION:SSL');
    expect(b.has('authorizer.class.name')).toBe(false);
    expect(b.has('listener.name.replication.ssl.client.auth')).toBe(false);
  });

  test.each(['3.9.x', '3.9.x.kraft'])('SASL/SCRAM only (%s): a SASL_SSL listener and nothing unauthenticated', (v) => {
    const t = topology(v, scram(false));
    const broker = t.nodes[0];
    expect(broker.purposes).toEqual(['client_sasl_scram', 'replication', 'jmx_exporter', 'node_exporter']);
    const b = brokerProperties(t, broker, msk);
    expect(b.get('listeners')).toBe(`CLIENT_SASL_SCRAM://127.0.0.1:${broker.ports.client_sasl_scram},REPLICATION://127.0.0.1:${broker.ports.replication}`);
    expect(b.get('listener.name.client_sasl_scram.sasl.enabled.mechanisms')).toBe('SCRAM-SHA-512');
    expect(b.get('super.users')).toBe(INTERNAL_PRINCIPAL);
    expect(b.get('listener.name.replication.ssl.client.auth')).toBe('required');
    expect(b.get('authorizer.class.name')).toBe(v.endsWith('kraft') ? 'org.apache.kafka.metadata.authorizer.StandardAuthorizer' : 'kafka.security.authorizer.AclAuthorizer');
    expect(b.get('allow.everyone.if.no.acl.found')).toBe('true');
  });

  test('SASL/SCRAM with unauthenticated access keeps the TLS listener', () => {
    const t = topology('3.9.x', scram(true));
    expect(t.nodes[0].purposes).toEqual(['client_tls', 'client_sasl_scram', 'replication', 'jmx_exporter', 'node_exporter']);
  });

  test.each([[false, 'required'], [true, 'requested']])('mutual TLS (unauthenticated %s): the TLS listener asks client certificates of the cluster\'s CAs (%s)', (open, mode) => {
    const t = topology('3.9.x', { clientBroker: 'TLS', inCluster: true, auth: { scram: false, unauthenticated: open, mtls: true } });
    expect(t.nodes[0].purposes).toEqual(['client_tls', 'replication', 'jmx_exporter', 'node_exporter']);
    const b = brokerProperties(t, t.nodes[0], msk);
    expect(b.get('listener.name.client_secure.ssl.client.auth')).toBe(mode);
    expect(b.get('listener.name.client_secure.ssl.truststore.location')).toBe('/etc/kafka/tls/clients-ca.pem');
    expect(b.get('super.users')).toBe(INTERNAL_PRINCIPAL);
  });

  test('KRaft controllers run the same authorizer and require certificates on CONTROLLER', () => {
    const t = topology('3.9.x.kraft', scram(false));
    const c = controllerProperties(t, t.nodes.find((n) => n.role === 'controller')!, new Map([['allow.everyone.if.no.acl.found', 'false']]));
    expect(c.get('authorizer.class.name')).toBe('org.apache.kafka.metadata.authorizer.StandardAuthorizer');
    expect(c.get('listener.name.controller.ssl.client.auth')).toBe('required');
    expect(c.get('allow.everyone.if.no.acl.found')).toBe('false');
    expect(c.get('super.users')).toBe(INTERNAL_PRINCIPAL);
  });

  test('securityOf reads the desired state; no clientAuthentication means unauthenticated only', () => {
    const transit = { EncryptionInfo: { EncryptionInTransit: { ClientBroker: 'TLS' as const, InCluster: true } } };
    expect(securityOf(transit).auth).toEqual({ scram: false, unauthenticated: true, mtls: false, iam: false });
    expect(securityOf({ ...transit, ClientAuthentication: { Sasl: { Scram: { Enabled: true }, Iam: { Enabled: true } }, Tls: { Enabled: true }, Unauthenticated: { Enabled: false } } }).auth)
      .toEqual({ scram: true, unauthenticated: false, mtls: true, iam: true });
  });

  const iam: SecuritySettings = { clientBroker: 'TLS', inCluster: true, auth: { scram: false, unauthenticated: false, iam: true } };
  const verifier = { url: 'http://127.0.0.1:8090/openmsk/internal/iam-token', clusterId: '0f1e2d3c-4b5a-4968-8776-5a4b3c2d1e0f', accountId: '123456789012', credential: 'c2VjcmV0-_x' };

  test.each(['3.9.x', '3.9.x.kraft'])('IAM only (%s): an OAUTHBEARER SASL_SSL listener checked by openmsk\'s validator; the account is a super user', (v) => {
    const t = { ...topology(v, iam), iam: verifier };
    const broker = t.nodes[0];
    expect(broker.purposes).toEqual(['client_sasl_iam', 'replication', 'jmx_exporter', 'node_exporter']);
    const b = brokerProperties(t, broker, msk);
    expect(b.get('listeners')).toBe(`CLIENT_SASL_IAM://127.0.0.1:${broker.ports.client_sasl_iam},REPLICATION://127.0.0.1:${broker.ports.replication}`);
    expect(b.get('listener.security.protocol.map')?.split(',').slice(0, 2)).toEqual(['CLIENT_SASL_IAM:SASL_SSL', 'REPLICATION:SSL']);
    expect(b.get('listener.name.client_sasl_iam.sasl.enabled.mechanisms')).toBe('OAUTHBEARER');
    expect(b.get('listener.name.client_sasl_iam.oauthbearer.sasl.server.callback.handler.class')).toBe(IAM_TOKEN_VALIDATOR_CLASS);
    expect(b.get('listener.name.client_sasl_iam.oauthbearer.sasl.jaas.config')).toBe(
      'org.apache.kafka.common.security.oauthbearer.OAuthBearerLoginModule required unsecuredLoginStringClaim_sub="openmsk-broker" '
        + `openmskVerifyUrl="${verifier.url}" openmskClusterId="${verifier.clusterId}" openmskCredential="${verifier.credential}";`,
    );
    expect(b.get('listener.name.client_sasl_iam.oauthbearer.connections.max.reauth.ms')).toBe('900000');
    expect(b.get('super.users')).toBe(`${INTERNAL_PRINCIPAL};User:arn:aws:iam::123456789012:root`);
    expect(b.get('ssl.keystore.location')).toBe('/etc/kafka/tls/keystore.pem');
    if (v.endsWith('kraft')) {
      expect(controllerProperties(t, t.nodes.find((n) => n.role === 'controller')!, msk).get('super.users')).toBe(`${INTERNAL_PRINCIPAL};User:arn:aws:iam::123456789012:root`);
    }
  });

  test('IAM without its verifier, or with a value that would end a JAAS quote, is a programming error', () => {
    const t = topology('3.9.x', iam);
    expect(() => brokerProperties(t, t.nodes[0], msk)).toThrow(/needs its token verifier/);
    expect(() => brokerProperties({ ...t, iam: { ...verifier, credential: 'a"; evil=1' } }, t.nodes[0], msk)).toThrow(/unexpected character/);
  });
});

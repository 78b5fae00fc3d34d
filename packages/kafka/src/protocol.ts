/**
 * The two admin requests @platformatic/kafka's Admin client has no method for, at the protocol level:
 *
 * - ElectLeaders (API key 43): the client ships no encoder for it at all, so it is written here from Kafka's own
 *   message definition (clients/src/main/resources/common/message/ElectLeadersRequest.json and
 *   ElectLeadersResponse.json), version 2, the first flexible one, which every Kafka release openmsk runs supports
 *   (2.6 and later).
 * - DescribeQuorum (API key 55): the client ships the encoder (`describeQuorumV1`) but no Admin method; version 1
 *   (Kafka 3.3 and later) carries each voter's last caught-up time, which the roller's quorum check needs.
 */
import { Writer, createAPI, protocolErrors, protocolErrorsCodesById, type NullableString, type Reader } from '@platformatic/kafka';

export const ELECTION_TYPE = { PREFERRED: 0, UNCLEAN: 1 } as const;

export interface ElectLeadersPartitionResult {
  topic: string;
  partition: number;
  /** Kafka's error name, `NONE` when the election happened (ELECTION_NOT_NEEDED: the preferred leader leads). */
  error: string;
  message: NullableString;
}

export interface ElectLeadersResponse {
  throttleTimeMs: number;
  errorCode: number;
  results: ElectLeadersPartitionResult[];
}

export type ElectLeadersTopics = { topic: string; partitions: number[] }[] | null;

/*
  ElectLeaders Request (Version: 2) => election_type [topic_partitions] timeout_ms TAG_BUFFER
    election_type => INT8
    topic_partitions => topic [partitions] TAG_BUFFER   (nullable: null means every partition)
      topic => COMPACT_STRING
      partitions => INT32
    timeout_ms => INT32
*/
function createElectLeadersRequest(electionType: number, topics: ElectLeadersTopics, timeoutMs: number): Writer {
  return Writer.create()
    .appendInt8(electionType)
    .appendArray(topics, (w, t) => {
      w.appendString(t.topic).appendArray(t.partitions, (w, p) => w.appendInt32(p), true, false);
    })
    .appendInt32(timeoutMs)
    .appendTaggedFields();
}

/*
  ElectLeaders Response (Version: 2) => throttle_time_ms error_code [replica_election_results] TAG_BUFFER
    throttle_time_ms => INT32
    error_code => INT16
    replica_election_results => topic [partition_result] TAG_BUFFER
      topic => COMPACT_STRING
      partition_result => partition_id error_code error_message TAG_BUFFER
        partition_id => INT32
        error_code => INT16
        error_message => COMPACT_NULLABLE_STRING
*/
function parseElectLeadersResponse(_correlationId: number, _apiKey: number, _apiVersion: number, reader: Reader): ElectLeadersResponse {
  const throttleTimeMs = reader.readInt32();
  const errorCode = reader.readInt16();
  const results: ElectLeadersPartitionResult[] = [];
  reader.readArray((r) => {
    const topic = r.readString();
    r.readArray((r) => {
      const partition = r.readInt32();
      const code = r.readInt16();
      const message = r.readNullableString();
      results.push({ topic, partition, error: errorName(code), message });
    });
  });
  return { throttleTimeMs, errorCode, results };
}

export const electLeadersV2 = createAPI<[electionType: number, topics: ElectLeadersTopics, timeoutMs: number], ElectLeadersResponse>(
  43, 2, createElectLeadersRequest, parseElectLeadersResponse, true, true,
);

/** Kafka's name for a protocol error code (`NONE` for 0). */
export function errorName(code: number): string {
  if (code === 0) return 'NONE';
  const id = protocolErrorsCodesById[code];
  return id && protocolErrors[id] ? id : `ERROR_${code}`;
}

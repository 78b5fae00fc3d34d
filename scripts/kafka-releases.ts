// Prints the Apache Kafka releases of openmsk's version catalog, one per line (read by scripts/images.sh).
import { listKafkaVersions } from '@openmsk/domain';

console.log([...new Set(listKafkaVersions().map((v) => v.apacheVersion))].join(' '));

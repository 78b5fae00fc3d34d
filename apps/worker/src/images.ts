import { listKafkaVersions } from '@openmsk/domain';
import type { Db } from '@openmsk/db';
import { kafkaImage, type DockerRuntime } from '@openmsk/runtime';

/** Records which catalog releases have an image in the local engine, so the API offers only those. */
export async function recordImages(db: Db, docker: DockerRuntime): Promise<string[]> {
  const releases = [...new Set(listKafkaVersions().map((v) => v.apacheVersion))];
  const present: string[] = [];
  for (const release of releases) {
    const id = await docker.imageId(kafkaImage(release));
    if (id) {
      present.push(release);
      await db.kafkaImage.upsert({ where: { release }, update: { imageId: id, checkedAt: new Date() }, create: { release, imageId: id } });
    } else {
      await db.kafkaImage.deleteMany({ where: { release } });
    }
  }
  return present;
}

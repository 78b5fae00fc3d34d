import type { Handler } from '../context';
import * as topics from '../services/topics';

/** The Topics API, by AWS operation name (services/topics.ts). */
export const topicHandlers: Record<string, Handler> = {
  CreateTopic: (ctx, input) => topics.createTopic(ctx, input),
  DescribeTopic: (ctx, input) => topics.describeTopic(ctx, input),
  ListTopics: (ctx, input) => topics.listTopics(ctx, input),
  UpdateTopic: (ctx, input) => topics.updateTopic(ctx, input),
  DeleteTopic: (ctx, input) => topics.deleteTopic(ctx, input),
  DescribeTopicPartitions: (ctx, input) => topics.describeTopicPartitions(ctx, input),
};

import type { TabProps } from '../cluster/types';
import { MessageBrowser } from './MessageBrowser';
import { TopicList } from './TopicList';
import { TopicPage } from './TopicPage';

/**
 * The Topics tab: the list (rest = []), one topic (rest = [topic]) and a partition's latest messages
 * (rest = [topic, partition]). The Topics API answers only while the cluster is ACTIVE, so nothing is asked otherwise.
 */
export function TopicsTab(props: TabProps) {
  const { cluster, rest } = props;
  if (cluster.state !== 'ACTIVE') {
    return (
      <p className="notice topics-inactive" role="status">
        Topics can be read and changed while the cluster is ACTIVE; it is {cluster.state} now.
      </p>
    );
  }
  if (rest.length === 0) return <TopicList {...props} />;
  if (rest.length === 1) return <TopicPage key={rest[0]} {...props} topic={rest[0]} />;
  return <MessageBrowser key={`${rest[0]}/${rest[1]}`} {...props} topic={rest[0]} partitionText={rest[1]} />;
}

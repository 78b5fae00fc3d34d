import type { Handler } from '../context';
import { clusterHandlers } from './clusters';
import { configurationHandlers } from './configurations';
import { miscHandlers } from './misc';
import { scramHandlers } from './scram';
import { topicHandlers } from './topics';
import { updateHandlers } from './updates';

/** Every implemented MSK operation. The coverage table and /openapi.json are generated from these keys. */
export const HANDLERS: Record<string, Handler> = { ...clusterHandlers, ...configurationHandlers, ...miscHandlers, ...updateHandlers, ...topicHandlers, ...scramHandlers };

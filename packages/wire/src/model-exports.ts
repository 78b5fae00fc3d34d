/** Public surface of the model-derived wire layer (re-exported from index.ts by the package). */
export { OPERATIONS, ERROR_SHAPES, getOperation, requireOperation } from './model';
export type { Operation, Shape, StructureShape, Member, Location, TimestampFormat, ErrorShape } from './model';
export { matchRoute, allowedMethods } from './router';
export type { RouteMatch } from './router';
export { EncodedBody, decodeRequest, encodeListItem, encodeResponse, encodeWithList } from './codec';
export type { RawRequest } from './codec';
export { buildOpenApi } from './openapi';
export type { OpenApiOptions, OperationExample } from './openapi';
export { TAGS as OPENAPI_TAGS } from './openapi';
export { coverageTable } from './coverage';

import { MskError } from '../src/errors';
test('MskError carries the model status', () => {
  const e = new MskError('NotFoundException', 'gone', 'clusterArn');
  expect(e.status).toBe(404);
  expect(e.body()).toEqual({ message: 'gone', invalidParameter: 'clusterArn' });
});

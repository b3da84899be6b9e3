// The composer's waiting images on disk (draftImages.ts): what is saved comes back; an empty box keeps
// no file; a file that cannot be read back, or holds something else, gives an empty box and one line.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { FileDraftImages } from '../../../src/chat/draftImages';
import { tempDir } from '../../helpers/tmp';

const upload = { name: 'shot.png', dataUrl: 'data:image/png;base64,iVBORw0KGgo=' };
const scaled = {
  dataUrl: 'data:image/jpeg;base64,/9j/4A==',
  scaledFrom: { bytes: 9_000_000, width: 4000, height: 3000 },
};

describe('draft images on disk', () => {
  let dir: string;
  let warned: string[];
  const store = (file = path.join(dir, 'draft-images', 'sidebar.json')) =>
    new FileDraftImages(file, (line) => void warned.push(line));
  beforeEach(() => {
    dir = tempDir('dsr-drafts-');
    warned = [];
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('what is saved comes back, in order, through a new store (a reloaded window)', () => {
    store().save([upload, scaled]);
    assert.deepEqual(store().load(), [upload, scaled]);
    assert.deepEqual(fs.readdirSync(path.join(dir, 'draft-images')), ['sidebar.json'], 'no temporary file left');
    assert.deepEqual(warned, []);
  });

  it('nothing saved, or an empty box saved: nothing comes back, and no file is kept', () => {
    assert.deepEqual(store().load(), []);
    store().save([upload]);
    store().save([]);
    assert.equal(fs.existsSync(path.join(dir, 'draft-images', 'sidebar.json')), false);
    assert.deepEqual(store().load(), []);
    assert.deepEqual(warned, []);
  });

  it('a file cut short, or holding something other than images, gives an empty box and one line', () => {
    const file = path.join(dir, 'sidebar.json');
    for (const text of ['[{"dataUrl": "data:image/png;base', '[{"dataUrl": 42}]', '{"not": "a list"}']) {
      fs.writeFileSync(file, text);
      warned = [];
      assert.deepEqual(store(file).load(), []);
      assert.deepEqual(warned, ['Waiting images not read back: sidebar.json does not hold images.']);
    }
  });

  it('a place that cannot be written or read says so in one line, and throws nothing', () => {
    const blocker = path.join(dir, 'a-file');
    fs.writeFileSync(blocker, '');
    const file = path.join(blocker, 'sidebar.json');
    store(file).save([upload]);
    assert.equal(warned.length, 1);
    assert.match(warned[0]!, /^Waiting images not kept for a reload: .*(ENOTDIR|EEXIST)/);
    warned = [];
    fs.mkdirSync(path.join(dir, 'a-folder.json'));
    assert.deepEqual(store(path.join(dir, 'a-folder.json')).load(), []);
    assert.equal(warned.length, 1);
    assert.match(warned[0]!, /^Waiting images not read back: .*EISDIR/);
  });
});

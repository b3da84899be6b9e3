// The images of `deepseek-repo ask --image FILE`: each file read and checked before anything else
// happens (a whole PNG, JPEG, GIF or WebP by its bytes, within the limits of one question), so a
// missing file, one that is not an image, or one cut short fails with one line (exit 2) and nothing
// is packed or sent. The CLI has no canvas to scale an image down: one over the limit is refused.
// A conversation kept in FILE keeps its images beside it, in FILE.images/ (content-addressed files).
import * as fs from 'node:fs';
import * as path from 'node:path';
import { FileImageStore, type NewImage } from '../chat/imageStore';
import { checkNewImages } from '../chat/questionImages';
import { fileProblem } from './common';

/** Reads and checks the `--image` files (throws CommandError or ImageError, both one line and exit 2). */
export function readImageFiles(files: readonly string[]): NewImage[] {
  const images = files.map((file): NewImage => {
    let bytes: Uint8Array;
    try {
      bytes = fs.readFileSync(file);
    } catch (e) {
      throw fileProblem('read', file, e);
    }
    return { bytes, name: path.basename(file) };
  });
  checkNewImages(images, []); // the conversation's earlier images are checked with them when it is asked
  return images;
}

/** The image store of a conversation kept in `conversationFile`: the folder `<file>.images` beside it. */
export const imageStoreBeside = (conversationFile: string): FileImageStore =>
  new FileImageStore(`${path.resolve(conversationFile)}.images`);

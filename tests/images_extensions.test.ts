import assert from "node:assert/strict";
import { IMAGE_EXTENSIONS, isImageKey } from "../mod/images/extensions.ts";

Deno.test("IMAGE_EXTENSIONS lists the seven upstream image endings", () => {
  assert.deepEqual([...IMAGE_EXTENSIONS], [
    ".ntf",
    ".nitf",
    ".tif",
    ".tiff",
    ".png",
    ".jpg",
    ".jpeg",
  ]);
});

Deno.test("isImageKey matches image endings case-insensitively, keys and s3 URLs alike", () => {
  for (
    const key of [
      "small.tif",
      "a/b/SCENE.TIF",
      "x.TiFf",
      "s3://bucket/deep/chip.NITF",
      "tile.ntf",
      "t.png",
      "p.JPG",
      "q.jpeg",
    ]
  ) {
    assert.equal(isImageKey(key), true, key);
  }
});

Deno.test("isImageKey rejects other files, including image names with another suffix", () => {
  for (const key of ["notes.txt", "small.tif.aux.xml", "tif", "archive.tar.gz", "imagejpg", ""]) {
    assert.equal(isImageKey(key), false, key);
  }
});

import assert from "node:assert/strict";
import { projectVersion, ROOT, runDeno, taskPermissions } from "./dist_test_support.ts";

for (const flag of ["--version", "-V"]) {
  Deno.test(`osml-load ${flag} prints deno.json's version and exits 0`, async () => {
    const result = await runDeno(["run", ...await taskPermissions("run"), "main.ts", flag], {
      cwd: ROOT,
    });
    assert.equal(result.code, 0, result.stderr);
    assert.equal(result.stdout, `${await projectVersion()}\n`);
    assert.equal(result.stderr, "");
  });
}

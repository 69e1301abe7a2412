import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { parseDiff } from './diff-files.js';
import { reviewDiff, verdictOf } from './review-checks.js';

const DIFF = `diff --git a/src/pay.js b/src/pay.js
new file mode 100644
index 0000000..1111111
--- /dev/null
+++ b/src/pay.js
@@ -0,0 +1,4 @@
+// pays
+const key = 'AKIAJ7Q3XK5M2VPLRT4N';
+console.log('charging');
+export const pay = () => key;
diff --git a/k8s/app.yaml b/k8s/app.yaml
index 1..2 100644
--- a/k8s/app.yaml
+++ b/k8s/app.yaml
@@ -10,2 +10,2 @@ spec:
-          resources:
-            limits: {cpu: 500m}
+          securityContext:
+            privileged: true
diff --git a/assets/logo.png b/assets/logo.png
new file mode 100644
index 0000000..2222222
Binary files /dev/null and b/assets/logo.png differ
`;

test('a diff is split into files with new-file line numbers; binary files are marked', () => {
  const { files } = parseDiff(DIFF);
  assert.equal(files.map((f) => [f.path, f.status, f.binary]), [['src/pay.js', 'added', false], ['k8s/app.yaml', 'modified', false], ['assets/logo.png', 'added', true]]);
  assert.equal(files[1]!.added.map((a) => a.line), [10, 11]);
});

test('the rules find the secret at its file:line, the debug leftover, the privileged container, dropped limits, the binary, untested code', () => {
  const findings = reviewDiff(parseDiff(DIFF).files, { sizes: new Map([['assets/logo.png', 3 * 1024 * 1024]]) });
  const seen = findings.map((f) => `${f.severity} ${f.rule} ${f.file}${f.line ? `:${f.line}` : ''}`);
  assert.equal(seen, [
    'high secret/aws-access-key src/pay.js:2',
    'high risky-manifest k8s/app.yaml:11',
    'medium binary-file assets/logo.png',
    'medium large-file assets/logo.png',
    'medium risky-manifest k8s/app.yaml',
    'low debug-leftover src/pay.js:3',
    'low untested-change src/pay.js:1',
  ]);
  assert.not.match(JSON.stringify(findings), 'AKIAJ7Q3XK5M2VPLRT4N');
  assert.is(verdictOf(findings), 'request-changes');
});

test('placeholders are not secrets, and a clean change with its test is approved', () => {
  const diff = `diff --git a/src/a.js b/src/a.js\n--- a/src/a.js\n+++ b/src/a.js\n@@ -1 +1,2 @@\n+const password = "changeme-please";\n+export const x = 1;\ndiff --git a/test/a.test.js b/test/a.test.js\n--- a/test/a.test.js\n+++ b/test/a.test.js\n@@ -1 +1 @@\n+test('x', () => {});\n`;
  const findings = reviewDiff(parseDiff(diff).files, { sizes: new Map() });
  assert.equal(findings, []);
  assert.is(verdictOf(findings), 'approve');
});

test('parsing stops at the file limit and says how many files it left out', () => {
  const many = Array.from({ length: 5 }, (_, i) => `diff --git a/f${i}.js b/f${i}.js\n--- a/f${i}.js\n+++ b/f${i}.js\n@@ -0,0 +1 @@\n+x\n`).join('');
  const r = parseDiff(many, { maxFiles: 3 });
  assert.is(r.files.length, 3);
  assert.is(r.skippedFiles, 2);
});

test.run();

// The analyzer finds a tag from a `customElements.define()` call; the element registers itself through
// its own static `define()`, so its tag comes from the class's `@tagname` and this plugin adds the
// definition export the analyzer would otherwise have written.
const definitionFromTagName = () => ({
  name: 'definition-from-tagname',
  packageLinkPhase({customElementsManifest}) {
    for (const module of customElementsManifest.modules) {
      for (const declaration of module.declarations ?? []) {
        if (!declaration.customElement || !declaration.tagName) continue
        module.exports ??= []
        if (module.exports.some((entry) => entry.kind === 'custom-element-definition' && entry.name === declaration.tagName)) continue
        module.exports.push({
          kind: 'custom-element-definition',
          name: declaration.tagName,
          declaration: {name: declaration.name, module: module.path},
        })
      }
    }
  },
})

export default {
  globs: ['widget/identity-verify.ts'],
  outdir: '.',
  litelement: true,
  plugins: [definitionFromTagName()],
}

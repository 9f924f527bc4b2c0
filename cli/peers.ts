/** The package a failed import could not find, when that is why it failed. */
export function missingPackageOf(error: unknown): string | null {
  if ((error as NodeJS.ErrnoException | null)?.code !== 'ERR_MODULE_NOT_FOUND') return null
  return /Cannot find package '([^']+)'/.exec((error as Error).message)?.[1] ?? null
}

/**
 * Of the packages named, those that cannot be imported from here, which is where the programs import
 * them from. Each is loaded, as the program would load it a moment later; one that imports another of
 * them (@hono/node-server imports hono) fails for that other one, which is the one to name.
 */
export async function missingPackages(names: readonly string[]): Promise<string[]> {
  const missing = new Set<string>()
  for (const name of names) {
    try {
      await import(name)
    } catch (error) {
      const absent = missingPackageOf(error)
      if (absent === null || !names.includes(absent)) throw error
      missing.add(absent)
    }
  }
  return names.filter((name) => missing.has(name))
}

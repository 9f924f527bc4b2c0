/**
 * Calls `load` once the user shows intent: the pointer over `element`, focus inside it, or `element`
 * scrolled into view (`load` may run more than once), with the event that showed it, if any. Returns
 * a function that stops watching.
 */
export function onIntent(element: HTMLElement, load: (event?: Event) => void): () => void {
  const observer = new IntersectionObserver((entries) => entries.some((entry) => entry.isIntersecting) && fire())
  const fire = (event?: Event) => (observer.disconnect(), load(event))
  observer.observe(element)
  for (const type of ['pointerenter', 'focusin']) element.addEventListener(type, fire, {once: true})
  return () => observer.disconnect()
}

// Colours as the screen shows them, and WCAG's contrast between two: what a user reads, whatever CSS
// syntax a computed style gives (rgb(), color(srgb-linear …), color-mix() results).

const canvas = document.createElement('canvas')
canvas.width = canvas.height = 1
const context = canvas.getContext('2d', {willReadFrequently: true})!

/** `colour` painted on white, read back as sRGB channels from 0 to 255. */
export function painted(colour: string): [number, number, number] {
  context.fillStyle = '#fff'
  context.fillRect(0, 0, 1, 1)
  context.fillStyle = colour
  context.fillRect(0, 0, 1, 1)
  const [r, g, b] = context.getImageData(0, 0, 1, 1).data
  return [r!, g!, b!]
}

/** WCAG's relative luminance of a colour. */
function luminance(colour: string): number {
  const [r, g, b] = painted(colour).map((channel) => {
    const c = channel / 255
    return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4
  })
  return 0.2126 * r! + 0.7152 * g! + 0.0722 * b!
}

/** WCAG's contrast ratio of two colours, from 1 to 21. */
export function contrast(a: string, b: string): number {
  const [light, dark] = [luminance(a), luminance(b)].sort((x, y) => y - x)
  return (light! + 0.05) / (dark! + 0.05)
}

/**
 * The baseline webhook receiver, shaped like Stripe's Identity sample server: Express, `express.raw`
 * and `stripe.webhooks.constructEvent`, a `switch` on the type, and nothing stored. Plain JavaScript
 * under plain Node, as the receiver it is compared with. Run as a child process by the bench:
 * `PORT=… STRIPE_WEBHOOK_SECRET=… node bench/express-baseline.mjs`.
 */
import express from 'express'
import Stripe from 'stripe'

const port = Number(process.env.PORT)
const webhookSecret = process.env.STRIPE_WEBHOOK_SECRET
if (!port || !webhookSecret) throw new Error('PORT and STRIPE_WEBHOOK_SECRET are required')

// constructEvent never calls Stripe, so the key is never used.
const stripe = new Stripe('sk_test_baseline')
const app = express()

app.post('/webhook', express.raw({type: 'application/json'}), (req, res) => {
  let event
  try {
    event = stripe.webhooks.constructEvent(req.body, req.headers['stripe-signature'] ?? '', webhookSecret)
  } catch {
    res.status(400).json({error: {message: 'Webhook signature verification failed'}})
    return
  }
  switch (event.type) {
    case 'identity.verification_session.verified':
    case 'identity.verification_session.requires_input':
    case 'identity.verification_session.processing':
      // Where the sample would update its own records; the baseline keeps nothing.
      break
  }
  res.json({received: true})
})

const server = app.listen(port, '127.0.0.1')
process.once('SIGTERM', () => server.close(() => process.exit(0)))

import type {Messages} from '../messages.js'

/** French. */
export default {
  label: 'Vérifier votre identité',
  loading: 'Démarrage de la vérification…',
  submitted: 'Merci ! Vos documents ont été envoyés.',
  verified: 'Votre identité est vérifiée.',
  canceled: 'Vérification annulée. Vous pouvez recommencer à tout moment.',
  retry: 'Réessayer',
  requires_input: 'Nous n’avons pas pu vérifier votre document. Veuillez réessayer.',
  document_expired: 'Votre document a expiré. Réessayez avec un document valide.',
  failed: 'La vérification a échoué. Veuillez réessayer.',
  session_failed: 'La vérification n’a pas pu démarrer. Réessayez plus tard.',
  network: 'Le serveur est injoignable. Vérifiez votre connexion et réessayez.',
  stripe_unavailable: 'Le service de vérification ne s’est pas chargé. Veuillez réessayer.',
  config: 'La vérification n’est pas correctement configurée sur cette page.',
  insecure_context: 'La vérification nécessite une page sécurisée (https).',
  camera_blocked: 'Cette page n’a pas accès à votre caméra.',
  consent_declined: 'La vérification nécessite votre consentement. Réessayez si vous changez d’avis.',
  device_unsupported: 'Cet appareil ne convient pas. Réessayez sur un appareil avec une caméra.',
  under_supported_age: 'La vérification n’est pas disponible pour votre âge.',
  phone_otp_declined: 'Votre numéro de téléphone n’a pas pu être confirmé. Veuillez réessayer.',
  email_verification_declined: 'Votre adresse e-mail n’a pas pu être confirmée. Veuillez réessayer.',
} satisfies Messages

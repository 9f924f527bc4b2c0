import type {Messages} from '../messages.js'

/** Spanish. */
export default {
  label: 'Verificar tu identidad',
  loading: 'Iniciando la verificación…',
  submitted: '¡Gracias! Tus documentos se han enviado.',
  verified: 'Tu identidad está verificada.',
  canceled: 'Verificación cancelada. Puedes empezar de nuevo cuando quieras.',
  retry: 'Intentar de nuevo',
  requires_input: 'No hemos podido verificar tu documento. Inténtalo de nuevo.',
  document_expired: 'Tu documento ha caducado. Inténtalo de nuevo con uno válido.',
  failed: 'La verificación ha fallado. Inténtalo de nuevo.',
  session_failed: 'No se ha podido iniciar la verificación. Inténtalo más tarde.',
  network: 'No se puede contactar con el servidor. Comprueba tu conexión e inténtalo de nuevo.',
  stripe_unavailable: 'El servicio de verificación no se ha cargado. Inténtalo de nuevo.',
  config: 'La verificación no está bien configurada en esta página.',
  insecure_context: 'La verificación necesita una página segura (https).',
  camera_blocked: 'Esta página no puede usar tu cámara.',
  consent_declined: 'La verificación necesita tu consentimiento. Inténtalo de nuevo si cambias de opinión.',
  device_unsupported: 'Este dispositivo no sirve. Inténtalo en un dispositivo con cámara.',
  under_supported_age: 'La verificación no está disponible para tu edad.',
  phone_otp_declined: 'No se ha podido confirmar tu número de teléfono. Inténtalo de nuevo.',
  email_verification_declined: 'No se ha podido confirmar tu correo electrónico. Inténtalo de nuevo.',
} satisfies Messages

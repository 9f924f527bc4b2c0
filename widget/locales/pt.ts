import type {Messages} from '../messages.js'

/** Portuguese. */
export default {
  label: 'Verificar a sua identidade',
  loading: 'A iniciar a verificação…',
  submitted: 'Obrigado! Os seus documentos foram enviados.',
  verified: 'A sua identidade está verificada.',
  canceled: 'Verificação cancelada. Pode recomeçar quando quiser.',
  retry: 'Tentar novamente',
  requires_input: 'Não foi possível verificar o seu documento. Tente novamente.',
  document_expired: 'O seu documento expirou. Tente novamente com um documento válido.',
  failed: 'A verificação falhou. Tente novamente.',
  session_failed: 'Não foi possível iniciar a verificação. Tente mais tarde.',
  network: 'Não é possível contactar o servidor. Verifique a ligação e tente novamente.',
  stripe_unavailable: 'O serviço de verificação não carregou. Tente novamente.',
  config: 'A verificação não está bem configurada nesta página.',
  insecure_context: 'A verificação precisa de uma página segura (https).',
  camera_blocked: 'Esta página não pode usar a sua câmara.',
  consent_declined: 'A verificação precisa do seu consentimento. Tente novamente se mudar de ideias.',
  device_unsupported: 'Este dispositivo não é suportado. Tente num dispositivo com câmara.',
  under_supported_age: 'A verificação não está disponível para a sua idade.',
  phone_otp_declined: 'Não foi possível confirmar o seu número de telefone. Tente novamente.',
  email_verification_declined: 'Não foi possível confirmar o seu e-mail. Tente novamente.',
} satisfies Messages

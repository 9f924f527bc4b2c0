/**
 * The request and response header that carries the standalone server's signed anonymous visitor
 * credential, for pages on other sites where the server's cookie would be a blocked third-party one.
 */
export const VISITOR_CREDENTIAL_HEADER = 'Identity-Verify-Visitor'

export { CLOCK_SKEW_SECONDS } from './check-credential-claims.js';
export { KEY_BINDING_MAX_AGE_SECONDS, type KeyBindingClaims } from './check-key-binding.js';
export { DIRECTORY_TYP, RECEIPT_TYP, signClubJwt, type VerifyClubJwtOptions, verifyClubJwt } from './club-jwt.js';
export { type DecodedCredential, type DecodedDisclosure, decodeCredential } from './decode-credential.js';
export { decodeBase64urlStrict, encodeBase64url, randomBase64url, sha256Base64url } from './encoding.js';
export {
  ClubpassError,
  type ClubpassErrorOptions,
  ERROR_STATUS,
  type ErrorCode,
  type FieldError,
  isErrorCode,
} from './errors.js';
export { exportPublicJwk, type GeneratedKeyPair, generateKeyPair } from './generate-key-pair.js';
export { type IssueCredentialInput, issueCredential } from './issue-credential.js';
export { buildJwks, importJwks, type Jwks } from './jwks.js';
export { MAX_PRESENTATION_BYTES } from './parse-presentation.js';
export { type KeyBindingInput, type PresentCredentialInput, presentCredential } from './present-credential.js';
export { importPublicJwk, jwkThumbprint, type PublicJwk, parsePublicJwk } from './public-jwk.js';
export {
  type Address,
  BENEFIT_KINDS,
  type BenefitClaim,
  type BenefitKind,
  type BenefitTerms,
  type Clock,
  CREDENTIAL_TYP,
  CREDENTIAL_TYPE,
  type CredentialClaims,
  DISCLOSABLE_CLAIMS,
  type DisclosableClaim,
  type DisclosedClaims,
  type HolderKey,
  KEY_BINDING_TYP,
  type Money,
  SD_ALG,
  SIGNING_ALGORITHMS,
  type SigningAlgorithm,
  type SigningKey,
  type TrustedKey,
  type TrustedKeySet,
} from './types.js';
export {
  DIRECTORY_MAX_LIFETIME_SECONDS,
  type DirectoryEntry,
  type VerifiedDirectory,
  verifyDirectory,
} from './verify-directory.js';
export {
  type VerifiedPresentation,
  type VerifyPresentationOptions,
  verifyPresentation,
} from './verify-presentation.js';
export { type VerifiedReceipt, verifyReceipt } from './verify-receipt.js';
export { verifySignature } from './verify-signature.js';

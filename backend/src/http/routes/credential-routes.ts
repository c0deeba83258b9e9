import { Router } from 'express';
import { z } from 'zod';
import { issueMemberCredential } from '../../domain/credentials/issue-member-credential.js';
import { listMemberCredentials } from '../../domain/credentials/list-member-credentials.js';
import type { AppDeps } from '../app-deps.js';
import { accountOf, requireAccount } from '../auth.js';
import { presentPage, readPageRequest } from '../pagination.js';
import { presentCredentialListItem, presentIssuedCredential } from '../presenters/present-credential.js';
import { parseInput } from '../validate.js';

const issueBody = z
  .object({
    benefit_id: z.string().min(1).max(100),
    // Checked in depth by the domain (parsePublicJwk): only public Ed25519 or P-256 keys pass.
    holder_jwk: z.unknown().optional(),
    // ASCII digits only: a PIN is typed at a counter or on a phone keypad.
    pin: z
      .string()
      .regex(/^[0-9]{4,12}$/, 'use 4 to 12 digits')
      .optional(),
  })
  .strict();

/** `POST /v1/credentials` and `GET /v1/credentials`, for members only (PROTOCOL.md §6). */
export function credentialRoutes(deps: AppDeps): Router {
  const router = Router();
  router.post('/v1/credentials', requireAccount(deps, ['member']), async (req, res) => {
    const body = parseInput(issueBody, req.body);
    const issued = await issueMemberCredential(deps, {
      memberId: accountOf(res).accountId,
      benefitId: body.benefit_id,
      holderJwk: body.holder_jwk,
      pin: body.pin ?? null,
    });
    // The response carries a bearer-like secret for link credentials: never cache it.
    res.setHeader('Cache-Control', 'no-store');
    res.status(issued.replayed ? 200 : 201).json(presentIssuedCredential(issued));
  });
  router.get('/v1/credentials', requireAccount(deps, ['member']), async (req, res) => {
    const page = readPageRequest(req.query);
    const found = await listMemberCredentials(deps, accountOf(res).accountId, page);
    res.setHeader('Cache-Control', 'no-store');
    res.json(presentPage(found, presentCredentialListItem));
  });
  return router;
}

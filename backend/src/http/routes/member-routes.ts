import { ClubpassError } from '@clubpass/shared';
import { Router } from 'express';
import { z } from 'zod';
import { registerAccount } from '../../domain/members/register-member.js';
import type { AppDeps } from '../app-deps.js';
import { accountOf, requireAccount } from '../auth.js';
import { presentMember } from '../presenters/present-account.js';
import { addressSchema, emailSchema, nameSchema, passwordSchema, phoneSchema } from '../schemas.js';
import { parseInput } from '../validate.js';

const registrationBody = z
  .object({
    email: emailSchema,
    password: passwordSchema,
    given_name: nameSchema,
    family_name: nameSchema,
    phone_number: phoneSchema.optional(),
    address: addressSchema.optional(),
  })
  .strict();

/** `POST /v1/members` and `GET /v1/members/me` (PROTOCOL.md §6). */
export function memberRoutes(deps: AppDeps): Router {
  const router = Router();
  router.post('/v1/members', async (req, res) => {
    const body = parseInput(registrationBody, req.body);
    const account = await registerAccount(
      deps,
      {
        email: body.email,
        password: body.password,
        givenName: body.given_name,
        familyName: body.family_name,
        phoneNumber: body.phone_number ?? null,
        address: body.address ?? null,
      },
      'member',
    );
    res.status(201).location('/v1/members/me').json(presentMember(account));
  });
  router.get('/v1/members/me', requireAccount(deps, ['member']), async (_req, res) => {
    const account = await deps.store.accounts.findById(accountOf(res).accountId);
    if (!account) throw new ClubpassError('unauthorized', 'the account no longer exists');
    res.json(presentMember(account));
  });
  return router;
}

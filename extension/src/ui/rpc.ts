/** The extension pages' one way to reach the background. */
import { browser } from 'wxt/browser';
import type { Rpc, RpcResult } from '../lib/messages.js';
import { internalProblem } from '../lib/problem.js';

export async function call<T>(rpc: Rpc): Promise<RpcResult<T>> {
  try {
    const answer = (await browser.runtime.sendMessage(rpc)) as RpcResult<T> | undefined;
    if (!answer || typeof answer !== 'object' || !('ok' in answer)) {
      return { ok: false, problem: internalProblem(new Error('the background did not answer')) };
    }
    return answer;
  } catch (error) {
    return { ok: false, problem: internalProblem(error) };
  }
}

/** Test support: the headers that authenticate a call as the embedded stack's admin (or any token). */
export const bearer = (token: string): { authorization: string } => ({ authorization: `Bearer ${token}` });

import type { NextApiRequest, NextApiResponse } from "next";
import bcrypt from "bcryptjs";

export default async function handler(req: NextApiRequest, res: NextApiResponse) {
  const hash = await bcrypt.hash(String(req.body.password), 4);
  res.json({ hash });
}

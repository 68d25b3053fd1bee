import { NextResponse } from "next/server";
import { findUserById, findUserByName, pool } from "@/lib/db";

export async function GET(_req: Request, { params }: { params: { id: string } }) {
  const user = await findUserById(params.id);
  return NextResponse.json(user);
}

export async function POST(request: Request) {
  const { name } = await request.json();
  const user = await findUserByName(name);
  return NextResponse.json(user ?? null);
}

export async function DELETE(_req: Request, { params }: { params: { id: string } }) {
  await pool.query("DELETE FROM users WHERE id = " + params.id);
  return new NextResponse(null, { status: 204 });
}

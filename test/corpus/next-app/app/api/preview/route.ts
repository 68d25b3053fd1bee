import { NextRequest, NextResponse } from "next/server";

export async function GET(request: NextRequest) {
  const target = request.nextUrl.searchParams.get("url");
  if (!target) return NextResponse.json({ error: "url required" }, { status: 400 });
  const upstream = await fetch(target);
  const html = await upstream.text();
  const title = /<title>(.*?)<\/title>/i.exec(html)?.[1] ?? "";
  return NextResponse.json({ title });
}

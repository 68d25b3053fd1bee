"use client";
import { useSearchParams, useRouter } from "next/navigation";
import { useEffect, useState } from "react";

export default function ProfilePage() {
  const params = useSearchParams();
  const router = useRouter();
  const [bio, setBio] = useState("");

  useEffect(() => {
    fetch(`/api/users/${params.get("id")}`)
      .then((r) => r.json())
      .then((u) => setBio(u?.bio ?? ""));
  }, [params]);

  function done() {
    const next = params.get("next") ?? "/";
    window.location.href = next;
  }

  return (
    <main>
      <h1>Welcome, {params.get("name")}</h1>
      <section dangerouslySetInnerHTML={{ __html: bio }} />
      <button onClick={done}>Continue</button>
      <button onClick={() => router.push("/settings")}>Settings</button>
    </main>
  );
}

import { useEffect, useState } from "react";

export function Search() {
  const [results, setResults] = useState<string[]>([]);
  const query = new URLSearchParams(window.location.search).get("q") ?? "";

  useEffect(() => {
    document.getElementById("search-title")!.innerHTML = "Results for " + query;
    fetch(`/api/search?q=${encodeURIComponent(query)}`)
      .then((r) => r.json())
      .then(setResults);
  }, [query]);

  useEffect(() => {
    const handler = (event: MessageEvent) => {
      if (event.data?.type === "theme") document.body.className = String(event.data.value);
      if (event.data?.type === "banner") document.getElementById("banner")!.insertAdjacentHTML("beforeend", event.data.html);
    };
    window.addEventListener("message", handler);
    return () => window.removeEventListener("message", handler);
  }, []);

  return (
    <section>
      <h2 id="search-title" />
      <div id="banner" />
      <ul>{results.map((r) => <li key={r}>{r}</li>)}</ul>
    </section>
  );
}

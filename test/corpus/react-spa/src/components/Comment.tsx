import { useEffect, useRef } from "react";
import DOMPurify from "dompurify";

type Props = { author: string; body: string; signature: string };

export function Comment({ author, body, signature }: Props) {
  const sigRef = useRef<HTMLDivElement>(null);

  useEffect(() => {
    if (sigRef.current) sigRef.current.innerHTML = signature;
  }, [signature]);

  return (
    <article>
      <h3>{author}</h3>
      <div dangerouslySetInnerHTML={{ __html: body }} />
      <div ref={sigRef} />
    </article>
  );
}

export function SafeComment({ author, body }: Props) {
  return (
    <article>
      <h3>{author}</h3>
      <div dangerouslySetInnerHTML={{ __html: DOMPurify.sanitize(body) }} />
      <p>{body}</p>
    </article>
  );
}

import { ShownOnce } from '../layout/shown-once';

/** The signing secret, shown once: the server never shows it again (rotate it to get a new one). */
export function SecretOnce({ secret, url }: { secret: string; url: string }) {
  return (
    <ShownOnce label={`Signing secret for ${url}`} value={secret}>
      Copy it now: it is shown only this once.
    </ShownOnce>
  );
}

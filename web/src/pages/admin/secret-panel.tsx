import { createUniqueId } from 'solid-js';
import { notify } from '../../components/notices.tsx';

/**
 * A secret the API returns once (an API key, a signing secret, an invitation
 * password). It takes focus when it appears so nobody misses it, and stays until
 * dismissed with Done.
 */
export function SecretPanel(props: { title: string; label: string; secret: string; onDone: () => void }) {
  const id = createUniqueId();
  let input: HTMLInputElement | undefined;

  const copy = async () => {
    try {
      await navigator.clipboard.writeText(props.secret);
      notify(`${props.label} copied.`);
    } catch {
      // No clipboard access (insecure origin, denied permission): select it for a manual copy.
      input?.focus();
      input?.select();
      notify('Press Ctrl+C (⌘C on a Mac) to copy the selected text.', 'info');
    }
  };

  return (
    <section
      class="card secret-panel"
      aria-labelledby={`${id}-title`}
      tabIndex={-1}
      ref={(el) => queueMicrotask(() => el.focus())}
    >
      <h2 id={`${id}-title`}>{props.title}</h2>
      <p class="secret-warning">
        <strong>Copy it now; it will not be shown again.</strong>
      </p>
      <div class="field">
        <label for={id}>{props.label}</label>
        <input
          ref={input}
          id={id}
          class="secret-value"
          readOnly
          value={props.secret}
          spellcheck={false}
          onFocus={(e) => e.currentTarget.select()}
        />
      </div>
      <div class="actions">
        <button type="button" class="button primary" onClick={copy}>
          Copy
        </button>
        <button type="button" class="button" onClick={() => props.onDone()}>
          Done
        </button>
      </div>
    </section>
  );
}

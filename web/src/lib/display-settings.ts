import { createSignal } from 'solid-js';
import { ITEM_PRIORITIES } from '../../../vocabulary/enums.ts';
import { api, call } from './api.ts';

type Priority = (typeof ITEM_PRIORITIES)[number];

const [appName, setAppName] = createSignal('Edgeplane');
const [defaultPriority, setDefaultPriority] = createSignal<Priority>('medium');

/** The workspace's name (setting `app.name`), shown in the top bar and the window title. */
/** The priority a new item starts with (setting `items.defaultPriority`). */
export { appName, defaultPriority };

/**
 * Reads the settings the dashboard itself follows. They only change how it looks, so a
 * failure keeps the built-in values instead of failing the page.
 */
export async function loadDisplaySettings(): Promise<void> {
  try {
    const { data } = await call(api.api.v1.settings.$get());
    for (const setting of data) {
      if (setting.key === 'app.name' && typeof setting.value === 'string') setAppName(setting.value);
      if (setting.key === 'items.defaultPriority' && ITEM_PRIORITIES.includes(setting.value as Priority)) {
        setDefaultPriority(setting.value as Priority);
      }
    }
  } catch {
    // Keep the current values.
  }
}

import { A } from '@solidjs/router';
import { Empty } from '../../components/states.tsx';
import { usePageTitle } from '../../lib/page-title.ts';

export default function NotFound() {
  usePageTitle(() => 'Not found');
  return (
    <Empty title="Page not found">
      <p>
        There is nothing at this address. <A href="/">Back to the overview</A>.
      </p>
    </Empty>
  );
}

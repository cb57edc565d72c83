import { A, useNavigate } from '@solidjs/router';
import { notify } from '../../components/notices.tsx';
import { api, call } from '../../lib/api.ts';
import { usePageTitle } from '../../lib/page-title.ts';
import { ItemForm } from './item-form.tsx';

export default function ItemNewPage() {
  usePageTitle(() => 'New item');
  const navigate = useNavigate();
  return (
    <>
      <div class="page-header">
        <h1>New item</h1>
        <A href="/items" class="button ghost">
          Back to items
        </A>
      </div>
      <ItemForm
        submitLabel="Create item"
        onSave={async (body) => {
          const item = await call(api.api.v1.items.$post({ json: body }));
          notify('Item created');
          navigate(`/items/${item.id}`);
        }}
      />
    </>
  );
}
